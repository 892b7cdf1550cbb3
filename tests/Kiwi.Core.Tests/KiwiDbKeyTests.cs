using System.Buffers;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>DEL, UNLINK, EXISTS, TYPE and binary safety of keys and values.</summary>
public sealed class KiwiDbKeyTests : KiwiDbTestBase
{
    [Fact]
    public async Task Del_CountsTheKeysThatExisted()
    {
        await Db.MSetAsync(("a", "1"), ("b", "2"), ("c", "3"));

        Assert.Equal(2, await Db.DelAsync("a", "missing", "b"));
        Assert.Equal(0, await Db.DelAsync("a"));

        AssertValues(Db.MGet("a", "b", "c"), null, null, "3");
    }

    [Fact]
    public async Task Del_SameKeyTwice_CountsItOnce()
    {
        await Db.SetAsync("a", "1");

        Assert.Equal(1, await Db.DelAsync("a", "a"));
        Assert.Equal(0, Db.Exists("a"));
    }

    [Fact]
    public async Task Del_SingleKeySpanOverload()
    {
        await Db.SetAsync("a", "1");

        Assert.Equal(1, await Db.DelAsync(B("a")));
        Assert.Equal(0, await Db.DelAsync(B("a")));
    }

    [Fact]
    public async Task Del_WithoutKeys_IsAnArityError()
    {
        Assert.Equal("ERR wrong number of arguments for 'del' command", await ErrorOf(async () => await Db.DelAsync(Array.Empty<string>())));
    }

    [Fact]
    public async Task Unlink_WithoutKeys_IsAnArityErrorOfUnlink()
    {
        // As RESP's UNLINK with no key says; it used to borrow DEL's text.
        Assert.Equal("ERR wrong number of arguments for 'unlink' command", await ErrorOf(async () => await Db.UnlinkAsync(Array.Empty<string>())));
        Assert.Equal("ERR wrong number of arguments for 'unlink' command", await ErrorOf(async () => await Db.UnlinkAsync(ReadOnlySpan<ReadOnlyMemory<byte>>.Empty)));
    }

    [Fact]
    public async Task Unlink_DeletesLikeDel()
    {
        await Db.MSetAsync(("a", "1"), ("b", "2"));

        Assert.Equal(2, await Db.UnlinkAsync("a", "b", "c"));
        Assert.Equal(0, Db.Exists("a", "b"));
    }

    [Fact]
    public async Task Exists_CountsEveryMentionedKeyThatExists()
    {
        await Db.MSetAsync(("a", "1"), ("b", "2"));

        Assert.Equal(3, Db.Exists("a", "a", "b", "missing"));
        Assert.Equal(1, Db.Exists(B("a")));
        Assert.Equal(0, Db.Exists(B("missing")));
        Assert.Equal(0, Db.Exists("missing", "missing"));
    }

    [Fact]
    public async Task Type_OfAStringAndOfNothing()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal(KeyType.String, Db.Type("k"));
        Assert.Equal(KeyType.None, Db.Type(B("missing")));
    }

    [Fact]
    public async Task BinaryKeysAndValues_RoundTrip()
    {
        byte[] key = [0x00, 0xFF, (byte)'k', 0x00];
        byte[] other = [0x00, 0xFF, (byte)'k'];
        byte[] value = [0xFF, 0x00, 0xFE, 0x00, 0x01];

        Assert.True(await Db.SetAsync(key, value));
        Assert.True(await Db.SetAsync(other, [0x01]));

        using (KiwiValue read = Db.Get(key))
        {
            Assert.Equal(value, read.Span.ToArray());
        }

        Assert.Equal(5, Db.StrLen(key));
        Assert.Equal(7, await Db.AppendAsync(key, [0x00, 0xFF]));
        using (KiwiValue range = Db.GetRange(key, -2, -1))
        {
            Assert.Equal(new byte[] { 0x00, 0xFF }, range.Span.ToArray());
        }

        using (KiwiValue read = Db.Get(other))
        {
            Assert.Equal(new byte[] { 0x01 }, read.Span.ToArray());
        }

        Assert.Equal(1, await Db.DelAsync(key));
        Assert.Equal(1, Db.Exists(other));
    }

    [Fact]
    public async Task EmptyKey_IsAnOrdinaryKey()
    {
        Assert.True(await Db.SetAsync(ReadOnlySpan<byte>.Empty, B("v")));

        Assert.Equal("v", Db.GetString(""));
        Assert.Equal(1, Db.Exists(""));
        Assert.Equal(1, await Db.DelAsync(""));
        Assert.Equal(0, Db.Exists(""));
    }

    [Fact]
    public async Task EmptyValue_ExistsWithLengthZero()
    {
        Assert.True(await Db.SetAsync("k", ""));

        using KiwiValue value = Db.Get(B("k"));
        Assert.False(value.IsNull);
        Assert.Equal(0, value.Length);
        Assert.Equal(1, Db.Exists("k"));
        Assert.Equal(0, Db.StrLen("k"));
        Assert.Equal(KeyType.String, Db.Type("k"));
        AssertValues(Db.MGet("k"), string.Empty);
    }

    [Fact]
    public async Task LargeValue_RoundTrips()
    {
        byte[] value = new byte[16 * 1024 * 1024];
        new Random(42).NextBytes(value);

        Assert.True(await Db.SetAsync(B("big"), value));

        using (KiwiValue read = Db.Get(B("big")))
        {
            Assert.True(read.Span.SequenceEqual(value));
        }

        var writer = new ArrayBufferWriter<byte>();
        Assert.True(Db.TryGet(B("big"), writer));
        Assert.True(writer.WrittenSpan.SequenceEqual(value));
        Assert.Equal(value.Length, Db.StrLen("big"));
    }

    [Fact]
    public async Task TryGet_WritesNothingForAMissingKey()
    {
        await Db.SetAsync("k", "v");
        var writer = new ArrayBufferWriter<byte>();

        Assert.False(Db.TryGet(B("missing"), writer));
        Assert.Equal(0, writer.WrittenCount);
        Assert.True(Db.TryGet(B("k"), writer));
        Assert.Equal(B("v"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task GetAsync_ReturnsTheValue()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("v", await Text(Db.GetAsync(B("k"))));
        Assert.Null(await Text(Db.GetAsync(B("missing"))));
    }

    [Fact]
    public async Task NonAsciiStrings_RoundTripThroughTheConvenienceOverloads()
    {
        const string Key = "ключ-日本-🥝";
        const string Value = "значение ü ß 𝄞 キウイ";

        Assert.True(await Db.SetAsync(Key, Value));

        Assert.Equal(Value, Db.GetString(Key));
        AssertValues(Db.MGet(Key), Value);
        Assert.Equal(Value, Db.GetRange(Key, 0, -1));
        Assert.Equal(B(Value).Length, Db.StrLen(Key));
        Assert.Equal(Value, await Text(Db.GetSetAsync(Key, Value + "!")));
        Assert.Equal(B(Value).Length + 3, await Db.AppendAsync(Key, "é"));
        Assert.Equal(Value + "!é", await Text(Db.GetDelAsync(Key)));
        Assert.Equal(0, Db.Exists(Key));
    }
}
