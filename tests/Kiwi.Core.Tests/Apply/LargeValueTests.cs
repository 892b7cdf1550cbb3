using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Tests.Apply;

/// <summary>The 512 MB string limit, reached for real: the largest value Redis accepts round-trips.</summary>
public sealed class LargeValueTests
{
    [Fact]
    public async Task A512MegabyteString_IsAcceptedStoredAndReadBack_AndOneByteMoreIsRefused()
    {
        using var dir = new TempDirectory();
        using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, ActiveExpiry = false });
        long max = Limits.MaxStringLength;

        Assert.Equal(max, await db.SetRangeAsync("big"u8, max - 1, "x"u8));
        Assert.Equal(max, db.StrLen("big"u8));

        var tail = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Equal(2, db.GetRange("big"u8, -2, -1, tail));
        Assert.Equal(new byte[] { 0, (byte)'x' }, tail.WrittenSpan.ToArray());

        KiwiException tooLong = await Assert.ThrowsAsync<KiwiException>(() => db.AppendAsync("big"u8, "y"u8).AsTask());
        Assert.Equal(KiwiError.StringTooLong, tooLong.Error);
        Assert.Equal("ERR string exceeds maximum allowed size (proto-max-bulk-len)", tooLong.Message);
        await Assert.ThrowsAsync<KiwiException>(() => db.SetRangeAsync("big"u8, max, "y"u8).AsTask());
        Assert.Equal(max, db.StrLen("big"u8));

        // The writer is still serving after handling half a gigabyte.
        Assert.Equal(1, await db.DelAsync("big"u8));
        Assert.True(await db.SetAsync("small"u8, "ok"u8));
        Assert.Equal("ok", db.GetString("small"));
    }
}
