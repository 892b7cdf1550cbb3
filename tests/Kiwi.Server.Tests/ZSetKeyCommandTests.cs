using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>
/// Sorted sets under the key commands (TYPE, OBJECT ENCODING, RENAME, COPY, EXPIRE, DEL, SCAN TYPE), big and
/// odd members, and the cases redis-diff runs found different (each pinned here).
/// </summary>
public sealed class ZSetKeyCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    private static string Encoding(RedisResult result) => (string)result!;

    [Fact]
    public void Type_and_object_encoding_follow_redis_7_0()
    {
        string longMember = new('x', 65);
        Db.SortedSetAdd("zk:enc", "a", 1);
        Assert.Equal(RedisType.SortedSet, Db.KeyType("zk:enc"));
        Assert.Equal("listpack", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc")));
        Db.SortedSetAdd("zk:enc", longMember, 2);
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc")));
        Db.SortedSetRemove("zk:enc", longMember);
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc")));

        SortedSetEntry[] entries = [.. Enumerable.Range(0, 128).Select(i => new SortedSetEntry($"m{i}", i))];
        Db.SortedSetAdd("zk:enc128", entries);
        Assert.Equal("listpack", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc128")));
        Db.SortedSetAdd("zk:enc128", "one-more", 1000);
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc128")));

        // A stored result is a listpack again when it fits.
        Db.Execute("ZUNIONSTORE", "zk:encu", "1", "zk:enc");
        Assert.Equal("listpack", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:encu")));
        Db.Execute("ZRANGESTORE", "zk:encr", "zk:enc128", "0", "-1");
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:encr")));
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:enc")));
    }

    [Fact]
    public void Rename_copy_expire_and_del_carry_both_orders()
    {
        Db.SortedSetAdd("zk:src", [new("a", 1), new("b", 2), new("c", 3)]);
        Assert.True(Db.KeyRename("zk:src", "zk:renamed"));
        Assert.Equal(["a", "b", "c"], Db.SortedSetRangeByRank("zk:renamed").Select(v => (string)v!));
        Assert.Equal(["b"], Db.SortedSetRangeByScore("zk:renamed", 2, 2).Select(v => (string)v!));
        Assert.True(Db.KeyCopy("zk:renamed", "zk:copy"));
        Db.SortedSetRemove("zk:renamed", "a");
        Assert.Equal(0, Db.SortedSetRank("zk:copy", "a"));
        Assert.Equal(0, Db.SortedSetRank("zk:renamed", "b"));
        Assert.Equal(3, Db.SortedSetLength("zk:copy"));

        Assert.True(Db.KeyExpire("zk:renamed", TimeSpan.FromSeconds(100)));
        Assert.InRange(Db.KeyTimeToLive("zk:renamed")!.Value.TotalSeconds, 90, 100);
        Db.SortedSetAdd("zk:renamed", "z", 9);
        Assert.NotNull(Db.KeyTimeToLive("zk:renamed"));
        Assert.True(Db.KeyPersist("zk:renamed"));
        Assert.True(Db.KeyExpire("zk:renamed", TimeSpan.FromMilliseconds(1)));
        Poll.Until(() => !Db.KeyExists("zk:renamed"), "the sorted set did not expire");
        Assert.Equal(0, Db.SortedSetLength("zk:renamed"));
        Assert.Empty(Db.SortedSetRangeByRank("zk:renamed"));

        Db.SortedSetAdd("zk:del", "a", 1);
        Assert.Equal(1, (long)Db.Execute("UNLINK", "zk:del"));
        Db.SortedSetAdd("zk:del", "b", 2);
        Assert.Equal(["b"], Db.SortedSetRangeByRank("zk:del").Select(v => (string)v!));
    }

    [Fact]
    public void Scan_type_zset_finds_sorted_sets_only()
    {
        Db.SortedSetAdd("zk:scan:z", "a", 1);
        Db.SetAdd("zk:scan:s", "a");
        RedisResult[] keys = (RedisResult[])Db.Execute("SCAN", "0", "MATCH", "zk:scan:*", "TYPE", "zset", "COUNT", "1000")[1]!;
        Assert.Equal(["zk:scan:z"], keys.Select(k => (string)k!));
    }

    [Fact]
    public void Empty_and_huge_members_are_members_like_any_other()
    {
        string huge = new('h', 1 << 20);
        Db.SortedSetAdd("zk:odd", [new("", 1), new(huge, 2)]);
        Assert.Equal(1, Db.SortedSetScore("zk:odd", ""));
        Assert.Equal(2, Db.SortedSetScore("zk:odd", huge));
        Assert.Equal(["", huge], Db.SortedSetRangeByRank("zk:odd").Select(v => (string)v!));
        Assert.Equal(["", huge], Db.SortedSetRangeByValue("zk:odd").Select(v => (string)v!));
        Assert.Equal(2, Db.SortedSetScan("zk:odd", pageSize: 1).Count());
        Assert.Equal("skiplist", Encoding(Db.Execute("OBJECT", "ENCODING", "zk:odd")));
        Assert.True(Db.SortedSetRemove("zk:odd", huge));
        Assert.True(Db.SortedSetRemove("zk:odd", ""));
        Assert.False(Db.KeyExists("zk:odd"));
    }

    [Fact]
    public async Task A_hundred_thousand_members_are_written_ranged_whole_and_removed()
    {
        const int N = 100_000;
        SortedSetEntry[] entries = [.. Enumerable.Range(0, N).Select(i => new SortedSetEntry($"m{i}", N - i))];
        Assert.Equal(N, await Db.SortedSetAddAsync("zk:huge", entries));
        Assert.Equal(N, await Db.SortedSetLengthAsync("zk:huge"));
        SortedSetEntry[] all = await Db.SortedSetRangeByRankWithScoresAsync("zk:huge");
        Assert.Equal(N, all.Length);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(i + 1, all[i].Score);
            Assert.Equal($"m{N - 1 - i}", (string?)all[i].Element);
        }

        Assert.Equal(N, (await Db.SortedSetRangeByScoreAsync("zk:huge", order: Order.Descending)).Length);
        Assert.Equal(10, (await Db.SortedSetRangeByScoreAsync("zk:huge", 50_000, double.PositiveInfinity, skip: 10, take: 10)).Length);
        Assert.Equal(N - 1, await Db.SortedSetRankAsync("zk:huge", "m0"));
        Assert.Equal(0, await Db.SortedSetRankAsync("zk:huge", "m0", Order.Descending));
        Assert.Equal(N / 2, await Db.SortedSetRankAsync("zk:huge", $"m{(N / 2) - 1}"));
        Assert.Equal(["m1", "m0"], (await Db.SortedSetRangeByRankAsync("zk:huge", N - 2, N - 1)).Select(v => (string)v!));
        Assert.Equal(["m99998", "m99999"], (await Db.SortedSetRangeByRankAsync("zk:huge", N - 2, N - 1, Order.Descending)).Select(v => (string)v!));
        Assert.Equal(N / 2, await Db.SortedSetRemoveRangeByScoreAsync("zk:huge", 1, N / 2));
        Assert.Equal(N / 2, await Db.SortedSetLengthAsync("zk:huge"));
        Assert.True(await Db.KeyDeleteAsync("zk:huge"));
    }

    [Fact]
    public async Task Differences_found_by_redis_diff_runs()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string longMember = new('x', 70);

        // ZPOPMIN/ZPOPMAX with count 0 checks the key's type first.
        Assert.Equal("+OK\r\n", await client.CallAsync("SET zk:str v\r\n"));
        Assert.StartsWith("-WRONGTYPE", await client.CallAsync("ZPOPMAX zk:str 0\r\n"), StringComparison.Ordinal);
        Assert.Equal("*0\r\n", await client.CallAsync("ZPOPMAX zk:none 0\r\n"));

        // -0 is "0" in a listpack (Redis keeps its scores as text) but stays -0 in a skiplist, through every path.
        Assert.Equal(":1\r\n", await client.CallAsync("ZADD zk:z0 -0 a\r\n"));
        Assert.Equal("$1\r\n0\r\n", await client.CallAsync("ZSCORE zk:z0 a\r\n"));
        Assert.Equal(":2\r\n", await client.CallAsync($"ZADD zk:zs -0 {longMember} 1 a\r\n"));
        Assert.Equal("$2\r\n-0\r\n", await client.CallAsync($"ZSCORE zk:zs {longMember}\r\n"));
        Assert.Equal(":2\r\n", await client.CallAsync("ZRANGESTORE zk:zs2 zk:zs 0 -1\r\n"));
        Assert.Equal("$2\r\n-0\r\n", await client.CallAsync($"ZSCORE zk:zs2 {longMember}\r\n"));
        Assert.Equal($"*4\r\n$70\r\n{longMember}\r\n$2\r\n-0\r\n$1\r\na\r\n$1\r\n1\r\n", await client.CallAsync("ZRANGE zk:zs 0 -1 WITHSCORES\r\n"));
        Assert.Equal($"*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$70\r\n{longMember}\r\n$2\r\n-0\r\n", await client.CallAsync("ZSCAN zk:zs 0\r\n"));
        Assert.Equal($"*2\r\n$70\r\n{longMember}\r\n$2\r\n-0\r\n", await client.CallAsync("ZPOPMIN zk:zs\r\n"));

        // A union stored as a skiplist keeps -0 wherever the long member sorts; a ZRANGESTORE result is a listpack
        // until the long member comes, as Redis builds them.
        Assert.Equal(":2\r\n", await client.CallAsync($"ZADD zk:m0 -0 {longMember} 1 a\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("ZADD zk:m0 -0 b\r\n"));
        Assert.Equal(":3\r\n", await client.CallAsync("ZUNIONSTORE zk:mu 1 zk:m0\r\n"));
        Assert.Equal("$2\r\n-0\r\n", await client.CallAsync("ZSCORE zk:mu b\r\n"));
        Assert.Equal(":3\r\n", await client.CallAsync("ZRANGESTORE zk:mr zk:m0 0 -1\r\n"));
        Assert.Equal("$1\r\n0\r\n", await client.CallAsync("ZSCORE zk:mr b\r\n"));

        // inf * 0 is NaN: ZINTER zeroes it for its first source only, then SUM zeroes a NaN sum.
        Assert.Equal(":2\r\n", await client.CallAsync("ZADD zk:n inf a 1 b\r\n"));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n1\r\n", await client.CallAsync("ZINTER 2 zk:n zk:n WEIGHTS 1 0 WITHSCORES\r\n"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$3\r\ninf\r\n", await client.CallAsync("ZINTER 2 zk:n zk:n WEIGHTS 0 1 AGGREGATE MAX WITHSCORES\r\n"));
    }
}
