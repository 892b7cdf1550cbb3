using System.Text.RegularExpressions;

namespace Kiwi.Server.Tests;

/// <summary>
/// The reads and commands once refused inside MULTI (issue #17): sorted-set reads, KEYS/SCAN/RANDOMKEY, bit reads,
/// LCS, SORT without STORE, FLUSHDB/FLUSHALL. Each runs at EXEC against the writer's batch and sees the
/// transaction's earlier writes and deletes; the expected replies are redis-server 7.0.15's to the same sequences.
/// Each test uses its own databases (the fixture's server is shared within the class).
/// </summary>
public sealed partial class TransactionReadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    private static async Task Queue(RawClient client, params string[][] commands)
    {
        foreach (string[] command in commands)
        {
            Assert.Equal("+QUEUED\r\n", await Call(client, command));
        }
    }

    // The bulk strings of a reply, in order (keys come in hash order from Redis, byte order from us: compare sorted).
    private static List<string> Bulks(string reply)
    {
        var bulks = new List<string>();
        foreach (Match match in BulkPattern().Matches(reply))
        {
            bulks.Add(match.Groups[2].Value);
        }

        return bulks;
    }

    [GeneratedRegex(@"\$(\d+)\r\n([^\r]*)\r\n")]
    private static partial Regex BulkPattern();

    [Fact]
    public async Task Sorted_set_reads_inside_exec_see_the_transactions_earlier_writes()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "1"));
        Assert.Equal(":3\r\n", await Call(c, "ZADD", "z", "1", "a", "2", "b", "3", "c"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        await Queue(
            c,
            ["ZADD", "z", "4", "d"],
            ["ZREM", "z", "a"],
            ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
            ["ZREVRANGE", "z", "0", "-1"],
            ["ZRANGEBYSCORE", "z", "-inf", "+inf"],
            ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "0", "2"],
            ["ZRANGEBYLEX", "z", "-", "+"],
            ["ZSCORE", "z", "d"],
            ["ZMSCORE", "z", "a", "d"],
            ["ZRANK", "z", "d"],
            ["ZREVRANK", "z", "b"],
            ["ZCOUNT", "z", "-inf", "+inf"],
            ["ZLEXCOUNT", "z", "-", "+"],
            ["ZCARD", "z"],
            ["ZADD", "one", "1", "x"],
            ["ZRANDMEMBER", "one", "-2"],
            ["ZUNION", "1", "z"],
            ["ZINTER", "2", "z", "z"],
            ["ZDIFF", "1", "z"],
            ["ZINTERCARD", "1", "z"],
            ["ZSCAN", "z", "0"]);
        Assert.Equal(
            "*21\r\n:1\r\n:1\r\n*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"
            + "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n*2\r\n$1\r\nd\r\n$1\r\nc\r\n"
            + "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$-1\r\n$1\r\n4\r\n:2\r\n:2\r\n:3\r\n:3\r\n:3\r\n"
            + ":1\r\n*2\r\n$1\r\nx\r\n$1\r\nx\r\n"
            + "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"
            + ":3\r\n*2\r\n$1\r\n0\r\n*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
            await Call(c, "EXEC"));
    }

    [Fact]
    public async Task Keys_scan_and_randomkey_inside_exec_see_queued_writes_and_deletes()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "2"));
        Assert.Equal("+OK\r\n", await Call(c, "MSET", "k1", "v", "gone", "x", "kept", "y"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        await Queue(c, ["SET", "k2", "v"], ["DEL", "gone"], ["KEYS", "*"], ["SCAN", "0", "COUNT", "100"], ["DEL", "k1", "k2"], ["RANDOMKEY"]);
        string reply = await Call(c, "EXEC");
        Assert.StartsWith("*6\r\n+OK\r\n:1\r\n*3\r\n", reply);
        List<string> bulks = Bulks(reply);

        // KEYS' three keys, then SCAN's cursor 0 and the same keys, then RANDOMKEY: the one key left.
        Assert.Equal(["k1", "k2", "kept"], bulks[..3].Order());
        Assert.Equal("0", bulks[3]);
        Assert.Equal(["k1", "k2", "kept"], bulks[4..7].Order());
        Assert.EndsWith(":2\r\n$4\r\nkept\r\n", reply);
    }

    [Fact]
    public async Task Bit_reads_lcs_and_sort_inside_exec_see_the_transactions_earlier_writes()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "3"));
        Assert.Equal(":3\r\n", await Call(c, "RPUSH", "list", "3", "1", "2"));
        Assert.Equal("+OK\r\n", await Call(c, "MSET", "w:1", "10", "w:2", "5"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        await Queue(
            c,
            ["SETBIT", "bits", "3", "1"],
            ["GETBIT", "bits", "3"],
            ["BITCOUNT", "bits"],
            ["BITPOS", "bits", "1"],
            ["BITFIELD_RO", "bits", "GET", "u8", "0"],
            ["BITFIELD", "bits", "GET", "u4", "0"],
            ["SET", "a", "ohmytext"],
            ["SET", "b", "mynewtext"],
            ["LCS", "a", "b"],
            ["LCS", "a", "b", "LEN"],
            ["SORT", "list"],
            ["SORT_RO", "list", "DESC"],
            ["SORT", "list", "BY", "w:*", "GET", "#"],
            ["RPUSH", "list", "0"],
            ["SORT", "list", "LIMIT", "0", "2"]);
        Assert.Equal(
            "*15\r\n:0\r\n:1\r\n:1\r\n:3\r\n*1\r\n:16\r\n*1\r\n:1\r\n+OK\r\n+OK\r\n$6\r\nmytext\r\n:6\r\n"
            + "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"
            + ":4\r\n*2\r\n$1\r\n0\r\n$1\r\n1\r\n",
            await Call(c, "EXEC"));
    }

    [Fact]
    public async Task Flushdb_inside_multi_applies_with_the_transaction_and_dirties_other_clients_watches()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        using RawClient watcher = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "5"));
        Assert.Equal("+OK\r\n", await Call(c, "MSET", "a", "1", "b", "2"));
        Assert.Equal(":1\r\n", await Call(c, "HSET", "h", "f", "v"));
        Assert.Equal("+OK\r\n", await Call(watcher, "SELECT", "5"));
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "a"));

        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        await Queue(c, ["SET", "pre", "1"], ["FLUSHDB", "ASYNC"], ["SET", "after", "1"], ["DBSIZE"], ["KEYS", "*"], ["GET", "a"], ["HGETALL", "h"], ["FLUSHDB", "bogus"]);
        Assert.Equal("*8\r\n+OK\r\n+OK\r\n+OK\r\n:1\r\n*1\r\n$5\r\nafter\r\n$-1\r\n*0\r\n-ERR syntax error\r\n", await Call(c, "EXEC"));
        Assert.Equal(":1\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("$1\r\n1\r\n", await Call(c, "GET", "after"));
        Assert.Equal("*0\r\n", await Call(c, "HGETALL", "h"));

        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        await Queue(watcher, ["SET", "x", "1"]);
        Assert.Equal("*-1\r\n", await Call(watcher, "EXEC"));
    }

    [Fact]
    public async Task Flushall_inside_multi_empties_every_database_before_the_commands_after_it()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "6"));
        Assert.Equal("+OK\r\n", await Call(c, "SET", "x", "1"));
        Assert.Equal(":2\r\n", await Call(c, "SADD", "s", "m1", "m2"));
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "7"));
        Assert.Equal("+OK\r\n", await Call(c, "SET", "y", "1"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        await Queue(c, ["FLUSHALL", "SYNC"], ["SET", "z", "1"], ["DBSIZE"], ["SELECT", "6"], ["DBSIZE"], ["SMEMBERS", "s"]);
        Assert.Equal("*6\r\n+OK\r\n+OK\r\n:1\r\n+OK\r\n:0\r\n*0\r\n", await Call(c, "EXEC"));
        Assert.Equal(":0\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "7"));
        Assert.Equal("*1\r\n$1\r\nz\r\n", await Call(c, "KEYS", "*"));
        Assert.Equal(":1\r\n", await Call(c, "DBSIZE"));
    }
}
