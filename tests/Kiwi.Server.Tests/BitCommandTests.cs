using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>The bit commands and LCS over RESP: StackExchange.Redis for the happy paths, raw RESP for exact replies and errors.</summary>
public sealed class BitCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    [Fact]
    public void Setbit_getbit_bitcount_and_bitpos_through_a_client()
    {
        Assert.False(Db.StringSetBit("bit:a", 7, true));
        Assert.True(Db.StringSetBit("bit:a", 7, true));
        Assert.False(Db.StringSetBit("bit:a", 100, true));
        Assert.True(Db.StringGetBit("bit:a", 100));
        Assert.False(Db.StringGetBit("bit:a", 1_000_000));
        Assert.Equal(13, Db.StringLength("bit:a"));
        Assert.Equal(2, Db.StringBitCount("bit:a"));
        Assert.Equal(1, Db.StringBitCount("bit:a", 0, 0));
        Assert.Equal(1, Db.StringBitCount("bit:a", 8, 100, StringIndexType.Bit));
        Assert.Equal(7, Db.StringBitPosition("bit:a", true));
        Assert.Equal(100, Db.StringBitPosition("bit:a", true, 1));
        Assert.Equal(0, Db.StringBitPosition("bit:a", false));
        Assert.Equal(-1, Db.StringBitPosition("bit:none", true));
        Assert.Equal(0, Db.StringBitPosition("bit:none", false));
        Assert.Equal(0, Db.StringBitCount("bit:none"));
    }

    [Fact]
    public void Bitop_through_a_client()
    {
        Db.StringSet("bit:x", "foobar");
        Db.StringSet("bit:y", "abcdef");
        Assert.Equal(6, Db.StringBitOperation(Bitwise.And, "bit:and", "bit:x", "bit:y"));
        Assert.Equal("`bc`ab", (string?)Db.StringGet("bit:and"));
        Assert.Equal(6, Db.StringBitOperation(Bitwise.Xor, "bit:xor", ["bit:x", "bit:y", "bit:none"]));
        Assert.Equal(6, Db.StringBitOperation(Bitwise.Not, "bit:not", "bit:x"));
        Assert.Equal(0, Db.StringBitOperation(Bitwise.Or, "bit:and", "bit:none", "bit:none2"));
        Assert.False(Db.KeyExists("bit:and"));
    }

    [Fact]
    public async Task Bit_errors_have_redis_texts()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string offset = "-ERR bit offset is not an integer or out of range\r\n";
        Assert.Equal(offset, await client.CallAsync("SETBIT bit:e 4294967296 1\r\n"));
        Assert.Equal(offset, await client.CallAsync("SETBIT bit:e -1 1\r\n"));
        Assert.Equal(offset, await client.CallAsync("SETBIT bit:e x 1\r\n"));
        Assert.Equal(offset, await client.CallAsync("GETBIT bit:e 4294967296\r\n"));
        Assert.Equal("-ERR bit is not an integer or out of range\r\n", await client.CallAsync("SETBIT bit:e 1 2\r\n"));
        Assert.Equal("-ERR bit is not an integer or out of range\r\n", await client.CallAsync("SETBIT bit:e 1 x\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'setbit' command\r\n", await client.CallAsync("SETBIT bit:e 1\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'getbit' command\r\n", await client.CallAsync("GETBIT bit:e\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'bitop' command\r\n", await client.CallAsync("BITOP AND bit:d\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'lcs' command\r\n", await client.CallAsync("LCS bit:e\r\n"));
        Assert.Equal(0, Db.KeyExists("bit:e") ? 1 : 0);

        Assert.Equal("+OK\r\n", await client.CallAsync("SET bit:s foobar\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITCOUNT bit:s 1\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITCOUNT bit:s 1 2 BITS\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("BITCOUNT bit:s 1 x\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("BITCOUNT bit:none 1\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("BITCOUNT bit:s -1 -3 BITS\r\n"));
        Assert.Equal("-ERR The bit argument must be 1 or 0.\r\n", await client.CallAsync("BITPOS bit:s 2\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("BITPOS bit:s x\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITPOS bit:s 1 0 -1 BITS\r\n"));
        Assert.Equal(":-1\r\n", await client.CallAsync("BITPOS bit:none 1 0 -1 BITS\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITOP NAND bit:d bit:s\r\n"));
        Assert.Equal("-ERR BITOP NOT must be called with a single source key.\r\n", await client.CallAsync("BITOP NOT bit:d bit:s bit:s\r\n"));
    }

    [Fact]
    public async Task Bitfield_replies_in_each_protocol_with_nil_for_overflow_fail()
    {
        using RawClient resp2 = await RawClient.ConnectAsync(server.Port);
        using RawClient resp3 = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await resp3.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        const string command = "BITFIELD {0} SET u8 #1 255 GET i8 8 INCRBY u8 8 1 OVERFLOW FAIL INCRBY u8 8 256 OVERFLOW SAT INCRBY i4 0 100\r\n";
        Assert.Equal("*5\r\n:0\r\n:-1\r\n:0\r\n$-1\r\n:7\r\n", await resp2.CallAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, "bit:f2")));
        Assert.Equal("*5\r\n:0\r\n:-1\r\n:0\r\n_\r\n:7\r\n", await resp3.CallAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, "bit:f3")));
        Assert.Equal("$2\r\np\0\r\n", await resp2.CallAsync("GET bit:f2\r\n"));

        // Only GETs: an empty array for no ops, zeros for a missing key, nothing written.
        Assert.Equal("*0\r\n", await resp2.CallAsync("BITFIELD bit:fnone\r\n"));
        Assert.Equal("*1\r\n:0\r\n", await resp2.CallAsync("BITFIELD bit:fnone GET i64 0\r\n"));
        Assert.Equal(":0\r\n", await resp2.CallAsync("EXISTS bit:fnone\r\n"));
        Assert.Equal("*2\r\n:112\r\n:0\r\n", await resp2.CallAsync("BITFIELD_RO bit:f2 GET u8 0 GET u8 #5\r\n"));

        // A pipeline: BITFIELD with GETs only sees the SET before it.
        await resp2.SendAsync("SET bit:fp A\r\nBITFIELD bit:fp GET u8 0\r\nBITFIELD_RO bit:fp GET u4 4\r\n");
        Assert.Equal("+OK\r\n", await resp2.ReadReplyAsync());
        Assert.Equal("*1\r\n:65\r\n", await resp2.ReadReplyAsync());
        Assert.Equal("*1\r\n:1\r\n", await resp2.ReadReplyAsync());
    }

    [Fact]
    public async Task Bitfield_errors_have_redis_texts_and_order()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string type = "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n";
        Assert.Equal(type, await client.CallAsync("BITFIELD bit:g GET u64 0\r\n"));
        Assert.Equal(type, await client.CallAsync("BITFIELD bit:g GET i65 0\r\n"));
        Assert.Equal(type, await client.CallAsync("BITFIELD bit:g GET x8 0\r\n"));
        Assert.Equal(type, await client.CallAsync("BITFIELD bit:g SET u0 x x\r\n"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", await client.CallAsync("BITFIELD bit:g GET u8 #x\r\n"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", await client.CallAsync("BITFIELD bit:g SET u8 4294967296 x\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("BITFIELD bit:g SET u8 0 1.5\r\n"));
        Assert.Equal("-ERR Invalid OVERFLOW type specified\r\n", await client.CallAsync("BITFIELD bit:g OVERFLOW BOGUS\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITFIELD bit:g SET u8 0\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BITFIELD bit:g GET u8 0 BOGUS\r\n"));
        Assert.Equal("-ERR BITFIELD_RO only supports the GET subcommand\r\n", await client.CallAsync("BITFIELD_RO bit:g GET u8 0 SET u8 0 1\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'bitfield' command\r\n", await client.CallAsync("BITFIELD\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("EXISTS bit:g\r\n"));
    }

    [Fact]
    public async Task Lcs_replies_string_length_and_indexes_in_each_protocol()
    {
        using RawClient resp2 = await RawClient.ConnectAsync(server.Port);
        using RawClient resp3 = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await resp3.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await resp2.CallAsync("MSET bit:l1 ohmytext bit:l2 mynewtext\r\n"));
        Assert.Equal("$6\r\nmytext\r\n", await resp2.CallAsync("LCS bit:l1 bit:l2\r\n"));
        Assert.Equal(":6\r\n", await resp2.CallAsync("LCS bit:l1 bit:l2 LEN\r\n"));
        Assert.Equal("$0\r\n\r\n", await resp2.CallAsync("LCS bit:l1 bit:none\r\n"));

        const string matches = "*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n";
        Assert.Equal("*4\r\n$7\r\nmatches\r\n" + matches, await resp2.CallAsync("LCS bit:l1 bit:l2 IDX WITHMATCHLEN\r\n"));
        Assert.Equal("%2\r\n$7\r\nmatches\r\n" + matches, await resp3.CallAsync("LCS bit:l1 bit:l2 IDX WITHMATCHLEN\r\n"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n",
            await resp2.CallAsync("LCS bit:l1 bit:l2 IDX MINMATCHLEN 3\r\n"));

        Assert.Equal("-ERR If you want both the length and indexes, please just use IDX.\r\n", await resp2.CallAsync("LCS bit:l1 bit:l2 LEN IDX\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await resp2.CallAsync("LCS bit:l1 bit:l2 IDX MINMATCHLEN\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await resp2.CallAsync("LCS bit:l1 bit:l2 MINMATCHLEN x\r\n"));
    }

    [Fact]
    public async Task Substr_is_getrange()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET bit:sub Hello\r\n"));
        Assert.Equal("$3\r\nell\r\n", await client.CallAsync("SUBSTR bit:sub 1 3\r\n"));
        Assert.Equal("$5\r\nHello\r\n", await client.CallAsync("SUBSTR bit:sub -100 100\r\n"));
        Assert.Equal("$0\r\n\r\n", await client.CallAsync("SUBSTR bit:sub -1 -3\r\n"));
        Assert.Equal("$0\r\n\r\n", await client.CallAsync("SUBSTR bit:none 0 -1\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("SUBSTR bit:sub x 1\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'substr' command\r\n", await client.CallAsync("SUBSTR bit:sub 1\r\n"));
    }
}
