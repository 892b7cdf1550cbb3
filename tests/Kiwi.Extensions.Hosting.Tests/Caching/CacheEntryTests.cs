using Kiwi.Extensions.Caching;

namespace Kiwi.Extensions.Hosting.Tests.Caching;

public sealed class CacheEntryTests
{
    [Fact]
    public void Header_IsTheFixedBytes()
    {
        var header = new byte[CacheEntry.HeaderLength];
        CacheEntry.WriteHeader(header, absoluteUnixMs: 0x0102030405060708, slidingMs: 1000);
        Assert.Equal(
            Convert.FromHexString("01" + "0807060504030201" + "E803000000000000"),
            header);
        Assert.Equal((0x0102030405060708L, 1000L), CacheEntry.ReadHeader(header));
    }

    [Fact]
    public void NotAnEntry_IsRefused()
    {
        Assert.Throws<InvalidDataException>(() => CacheEntry.ReadHeader("plain string value"u8));
    }

    [Theory]
    [InlineData(1000, 0, 0, 0)]
    [InlineData(1000, 5000, 0, 5000)]
    [InlineData(1000, 0, 300, 1300)]
    [InlineData(1000, 1200, 300, 1200)]
    [InlineData(1000, 9000, 300, 1300)]
    public void KeyExpiry_SlidesFromNow_CappedByTheAbsolute(long now, long absolute, long sliding, long expected)
        => Assert.Equal(expected, CacheEntry.KeyExpiry(now, absolute, sliding));
}
