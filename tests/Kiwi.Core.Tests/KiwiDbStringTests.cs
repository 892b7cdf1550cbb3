using System.Buffers;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>MSET, MSETNX, MGET, APPEND, STRLEN, GETRANGE and SETRANGE with Redis 7's semantics.</summary>
public sealed class KiwiDbStringTests : KiwiDbTestBase
{
    [Fact]
    public async Task MSet_SetsEveryPairAndClearsTtls()
    {
        await Db.SetAsync("a", "old", KiwiExpiry.Seconds(100));

        await Db.MSetAsync(("a", "1"), ("b", "2"), ("c", "3"));

        AssertValues(Db.MGet("a", "b", "c"), "1", "2", "3");
        Assert.Equal(-1, Db.Ttl("a"));
    }

    [Fact]
    public async Task MSet_RepeatedKey_LastValueWins()
    {
        await Db.MSetAsync(("a", "1"), ("a", "2"));

        Assert.Equal("2", Db.GetString("a"));
    }

    [Fact]
    public async Task MSetNx_SetsAllWhenNoneExists()
    {
        Assert.True(await Db.MSetNxAsync(("a", "1"), ("b", "2")));

        AssertValues(Db.MGet("a", "b"), "1", "2");
    }

    [Fact]
    public async Task MSetNx_SetsNothingWhenAnyKeyExists()
    {
        await Db.SetAsync("b", "old");

        Assert.False(await Db.MSetNxAsync(("a", "1"), ("b", "2"), ("c", "3")));

        AssertValues(Db.MGet("a", "b", "c"), null, "old", null);
    }

    [Fact]
    public async Task MSet_WithoutPairs_IsAnArityError()
    {
        Assert.Equal("ERR wrong number of arguments for 'mset' command", await ErrorOf(async () => await Db.MSetAsync()));
        Assert.Equal("ERR wrong number of arguments for 'msetnx' command", await ErrorOf(async () => await Db.MSetNxAsync()));
    }

    [Fact]
    public async Task MGet_ReturnsNilForMissingKeysInOrder()
    {
        await Db.SetAsync("a", "1");
        await Db.SetAsync("c", "3");

        AssertValues(Db.MGet("a", "b", "c", "a"), "1", null, "3", "1");
    }

    [Fact]
    public async Task MGet_SpanOverload_FillsPooledValues()
    {
        await Db.SetAsync("a", "1");
        ReadOnlyMemory<byte>[] keys = [B("a"), B("missing")];
        var values = new KiwiValue[2];

        Db.MGet(keys, values);

        Assert.Equal("1", values[0].ToString());
        Assert.True(values[1].IsNull);
        values[0].Dispose();
        Assert.Throws<ArgumentException>(() => Db.MGet(keys, new KiwiValue[1]));
    }

    [Fact]
    public async Task Append_CreatesThenAppendsAndReturnsTheNewLength()
    {
        Assert.Equal(5, await Db.AppendAsync("k", "Hello"));
        Assert.Equal(11, await Db.AppendAsync("k", " World"));

        Assert.Equal("Hello World", Db.GetString("k"));
    }

    [Fact]
    public async Task Append_KeepsTheTtl()
    {
        await Db.SetAsync("k", "a", KiwiExpiry.Seconds(100));

        await Db.AppendAsync("k", "b");

        Assert.Equal(100, Db.Ttl("k"));
    }

    [Fact]
    public async Task Append_EmptyValueOnMissingKey_CreatesAnEmptyString()
    {
        Assert.Equal(0, await Db.AppendAsync("k", ""));

        Assert.Equal(1, Db.Exists("k"));
        Assert.Equal(string.Empty, Db.GetString("k"));
    }

    [Fact]
    public async Task StrLen_CountsBytes()
    {
        await Db.SetAsync("ascii", "hello");
        await Db.SetAsync("utf8", "żółw");

        Assert.Equal(5, Db.StrLen("ascii"));
        Assert.Equal(7, Db.StrLen("utf8"));
        Assert.Equal(0, Db.StrLen("missing"));
    }

    [Theory]
    [InlineData(0, -1, "This is a string")]
    [InlineData(0, 3, "This")]
    [InlineData(-3, -1, "ing")]
    [InlineData(5, 3, "")]
    [InlineData(-1, -5, "")]
    [InlineData(10, 100, "string")]
    [InlineData(16, 20, "")]
    [InlineData(100, 200, "")]
    [InlineData(-100, 3, "This")]
    [InlineData(0, -100, "T")]
    [InlineData(-100, -100, "T")]
    [InlineData(long.MinValue, long.MaxValue, "This is a string")]
    [InlineData(long.MaxValue, long.MaxValue, "")]
    public async Task GetRange_FollowsRedis7IndexRules(long start, long end, string expected)
    {
        await Db.SetAsync("k", "This is a string");

        Assert.Equal(expected, Db.GetRange("k", start, end));
    }

    [Fact]
    public async Task GetRange_MissingKeyOrEmptyValue_IsEmptyNotNil()
    {
        await Db.SetAsync("empty", "");

        using KiwiValue missing = Db.GetRange(B("missing"), 0, -1);
        Assert.False(missing.IsNull);
        Assert.Equal(0, missing.Length);
        Assert.Equal(string.Empty, Db.GetRange("empty", 0, -1));
    }

    [Fact]
    public async Task GetRange_BufferWriterOverload_WritesTheSlice()
    {
        await Db.SetAsync("k", "Hello World");
        var writer = new ArrayBufferWriter<byte>();

        Assert.Equal(5, Db.GetRange(B("k"), 6, -1, writer));
        Assert.Equal(0, Db.GetRange(B("missing"), 0, -1, writer));

        Assert.Equal(B("World"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task SetRange_OnAMissingKey_PadsWithZeros()
    {
        Assert.Equal(5, await Db.SetRangeAsync("k", 3, "ab"));

        using KiwiValue value = Db.Get(B("k"));
        Assert.Equal(new byte[] { 0, 0, 0, (byte)'a', (byte)'b' }, value.Span.ToArray());
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task SetRange_OverwritesInsideTheValue()
    {
        await Db.SetAsync("k", "Hello World");

        Assert.Equal(11, await Db.SetRangeAsync("k", 6, "Redis"));

        Assert.Equal("Hello Redis", Db.GetString("k"));
    }

    [Fact]
    public async Task SetRange_PastTheEnd_ExtendsWithZeros()
    {
        await Db.SetAsync("k", "ab");

        Assert.Equal(6, await Db.SetRangeAsync("k", 4, "cd"));

        using KiwiValue value = Db.Get(B("k"));
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', 0, 0, (byte)'c', (byte)'d' }, value.Span.ToArray());
    }

    [Fact]
    public async Task SetRange_KeepsTheTtl()
    {
        await Db.SetAsync("k", "abc", KiwiExpiry.Seconds(100));

        await Db.SetRangeAsync("k", 1, "X");

        Assert.Equal("aXc", Db.GetString("k"));
        Assert.Equal(100, Db.Ttl("k"));
    }

    [Fact]
    public async Task SetRange_EmptyValue_ReturnsTheLengthAndCreatesNothing()
    {
        await Db.SetAsync("k", "abc");

        Assert.Equal(0, await Db.SetRangeAsync("missing", 5, ""));
        Assert.Equal(3, await Db.SetRangeAsync("k", 10, ""));

        Assert.Equal(0, Db.Exists("missing"));
        Assert.Equal("abc", Db.GetString("k"));
    }

    [Fact]
    public async Task SetRange_NegativeOffset_IsOutOfRange()
    {
        Assert.Equal("ERR offset is out of range", await ErrorOf(async () => await Db.SetRangeAsync("k", -1, "x")));
        Assert.Equal(0, Db.Exists("k"));
    }

    [Theory]
    [InlineData(536870912L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue - 1)]
    public async Task SetRange_PastTheSizeLimit_FailsWithoutAllocating(long offset)
    {
        await Db.SetAsync("k", "abc");
        const string Expected = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

        Assert.Equal(Expected, await ErrorOf(async () => await Db.SetRangeAsync("missing", offset, "x")));
        Assert.Equal(Expected, await ErrorOf(async () => await Db.SetRangeAsync("k", offset, "xy")));

        Assert.Equal(0, Db.Exists("missing"));
        Assert.Equal("abc", Db.GetString("k"));
    }

    [Fact]
    public async Task Type_IsStringOrNone()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal(KeyType.String, Db.Type("k"));
        Assert.Equal(KeyType.None, Db.Type("missing"));
    }
}
