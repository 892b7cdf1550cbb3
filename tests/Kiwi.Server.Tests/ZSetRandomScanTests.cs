using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>ZRANDMEMBER (a read: random at read time), ZSCAN, and backward walks inside one pipelined batch.</summary>
public sealed class ZSetRandomScanTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    private string Error(string command, params object[] args)
        => Assert.Throws<RedisServerException>(() => Db.Execute(command, args)).Message;

    [Fact]
    public void Zrandmember_counts_follow_redis()
    {
        Db.SortedSetAdd("zr:k", [new("a", 1), new("b", 2), new("c", 3)]);
        Assert.Contains((string?)Db.Execute("ZRANDMEMBER", "zr:k"), new[] { "a", "b", "c" });
        Assert.True(Db.Execute("ZRANDMEMBER", "zr:none").IsNull);
        Assert.Empty((RedisResult[])Db.Execute("ZRANDMEMBER", "zr:k", "0")!);
        Assert.Empty((RedisResult[])Db.Execute("ZRANDMEMBER", "zr:none", "3")!);
        string[] distinct = [.. ((RedisResult[])Db.Execute("ZRANDMEMBER", "zr:k", "5")!).Select(r => (string)r!)];
        Assert.Equal(["a", "b", "c"], distinct.Order(StringComparer.Ordinal));
        Assert.Equal(10, ((RedisResult[])Db.Execute("ZRANDMEMBER", "zr:k", "-10")!).Length);
        SortedSetEntry[] withScores = Db.SortedSetRandomMembersWithScores("zr:k", 2);
        Assert.Equal(2, withScores.Length);
        Assert.All(withScores, e => Assert.Equal(e.Score, Db.SortedSetScore("zr:k", e.Element)));
        Assert.Equal("ERR syntax error", Error("ZRANDMEMBER", "zr:k", "1", "x"));
        Assert.Equal("ERR syntax error", Error("ZRANDMEMBER", "zr:k", "1", "WITHSCORES", "x"));
        Assert.Equal("ERR value is not an integer or out of range", Error("ZRANDMEMBER", "zr:k", "x"));
        Assert.Equal("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", Error("ZRANDMEMBER", "zr:k", "-9223372036854775808"));
        Assert.Equal("ERR value is out of range", Error("ZRANDMEMBER", "zr:k", "5000000000000000000", "WITHSCORES"));
    }

    [Fact]
    public async Task Resp3_random_members_with_scores_are_pairs()
    {
        Db.SortedSetAdd("zr:r3", "a", 1.5);
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n", await client.CallAsync("ZRANDMEMBER zr:r3 1 WITHSCORES\r\n"));
        Assert.Equal("*1\r\n*2\r\n$1\r\na\r\n,3\r\n", await client.CallAsync("ZUNION 2 zr:r3 zr:r3 WITHSCORES\r\n"));
        Assert.Equal("*2\r\n$5\r\nzr:r3\r\n*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n", await client.CallAsync("ZMPOP 1 zr:r3 MAX\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("ZRANGE zr:r3 0 -1\r\n"));
    }

    [Fact]
    public void Zscan_pages_and_matches()
    {
        SortedSetEntry[] entries = [.. Enumerable.Range(0, 300).Select(i => new SortedSetEntry($"m{i}", i * 0.5))];
        Db.SortedSetAdd("zr:scan", entries);
        SortedSetEntry[] all = [.. Db.SortedSetScan("zr:scan", pageSize: 7)];
        Assert.Equal(300, all.Length);
        Assert.All(all, e => Assert.Equal(int.Parse(((string)e.Element!)[1..], System.Globalization.CultureInfo.InvariantCulture) * 0.5, e.Score));
        Assert.Equal(11, Db.SortedSetScan("zr:scan", "m1?", pageSize: 13).Count() + Db.SortedSetScan("zr:scan", "m1", pageSize: 13).Count());
        RedisResult reply = Db.Execute("ZSCAN", "zr:none", "0");
        Assert.Equal("0", (string?)reply[0]);
        Assert.Equal("ERR invalid cursor", Error("ZSCAN", "zr:scan", "x"));
        Assert.Equal("ERR syntax error", Error("ZSCAN", "zr:scan", "0", "COUNT", "0"));
    }
    [Fact]
    public async Task Backward_walks_see_the_writes_pipelined_before_them()
    {
        SortedSetEntry[] entries = [.. Enumerable.Range(0, 100).Select(i => new SortedSetEntry($"m{i:D2}", i))];
        Db.SortedSetAdd("zr:back", entries);
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string[] commands =
        [
            "ZADD zr:back 1000 x", "ZREM zr:back m99", "ZREVRANGE zr:back 0 2", "ZPOPMAX zr:back",
            "ZREVRANGEBYSCORE zr:back +inf -inf LIMIT 1 2", "ZADD zr:p 1 a 2 b 3 c", "ZPOPMAX zr:p", "ZADD zr:p 5 d",
            "ZREVRANGE zr:p 0 -1 WITHSCORES", "ZPOPMAX zr:p 2", "ZRANGE zr:p 0 -1", "ZREMRANGEBYRANK zr:back -3 -1",
            "ZREVRANGE zr:back 0 0",
        ];
        await client.SendAsync(string.Concat(commands.Select(c => RawClient.Command(c.Split(' ')))));
        string[] expected =
        [
            ":1\r\n", ":1\r\n", "*3\r\n$1\r\nx\r\n$3\r\nm98\r\n$3\r\nm97\r\n", "*2\r\n$1\r\nx\r\n$4\r\n1000\r\n",
            "*2\r\n$3\r\nm97\r\n$3\r\nm96\r\n", ":3\r\n", "*2\r\n$1\r\nc\r\n$1\r\n3\r\n", ":1\r\n",
            "*6\r\n$1\r\nd\r\n$1\r\n5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n",
            "*4\r\n$1\r\nd\r\n$1\r\n5\r\n$1\r\nb\r\n$1\r\n2\r\n", "*1\r\n$1\r\na\r\n", ":3\r\n",
            "*1\r\n$3\r\nm95\r\n",
        ];
        foreach (string reply in expected)
        {
            Assert.Equal(reply, await client.ReadReplyAsync());
        }
    }
}
