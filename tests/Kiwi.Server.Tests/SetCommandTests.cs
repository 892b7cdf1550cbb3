using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>Set commands through StackExchange.Redis, and their exact replies and errors over raw RESP.</summary>
public sealed class SetCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private IDatabase Db => server.Redis.GetDatabase();

    private static string[] Sorted(RedisValue[] values) => [.. values.Select(v => (string)v!).Order(StringComparer.Ordinal)];

    private string Error(string command, params object[] args)
        => Assert.Throws<RedisServerException>(() => Db.Execute(command, args)).Message;

    [Fact]
    public void Sadd_srem_scard_count_each_member_once()
    {
        Assert.Equal(3, Db.SetAdd("s:add", ["a", "b", "a", "c"]));
        Assert.Equal(1, Db.SetAdd("s:add", ["a", "d", "d"]));
        Assert.Equal(4, Db.SetLength("s:add"));
        Assert.Equal(2, Db.SetRemove("s:add", ["a", "a", "b", "zz"]));
        Assert.Equal(0, Db.SetRemove("s:add", ["zz"]));
        Assert.Equal(0, Db.SetRemove("s:none", ["a"]));
        Assert.Equal(0, Db.SetLength("s:none"));
        Assert.Equal(["c", "d"], Sorted(Db.SetMembers("s:add")));

        // Removing the last member removes the key.
        Assert.Equal(2, Db.SetRemove("s:add", ["c", "d"]));
        Assert.False(Db.KeyExists("s:add"));
    }

    [Fact]
    public void The_empty_string_is_a_member_like_any_other()
    {
        Assert.True(Db.SetAdd("s:empty", ""));
        Assert.False(Db.SetAdd("s:empty", ""));
        Assert.True(Db.SetAdd("s:empty", "a"));
        Assert.True(Db.SetContains("s:empty", ""));
        Assert.Equal(["", "a"], Sorted(Db.SetMembers("s:empty")));
        Assert.Equal(["", "a"], Sorted(Db.SetScan("s:empty", pageSize: 1).ToArray()));
        Assert.True(Db.SetRemove("s:empty", ""));
        Assert.False(Db.SetContains("s:empty", ""));
    }

    [Fact]
    public void Sismember_smismember_and_smembers()
    {
        Db.SetAdd("s:is", ["a", "b"]);
        Assert.True(Db.SetContains("s:is", "a"));
        Assert.False(Db.SetContains("s:is", "z"));
        Assert.False(Db.SetContains("s:none", "a"));
        Assert.Equal([true, false, true], Db.SetContains("s:is", ["a", "z", "b"]));
        Assert.Equal([false, false], Db.SetContains("s:none", ["a", "b"]));
        Assert.Empty(Db.SetMembers("s:none"));
    }

    [Fact]
    public void Every_set_command_on_another_type_is_wrongtype()
    {
        Db.StringSet("s:str", "x");
        Db.SetAdd("s:wt", "a");
        Assert.Equal(WrongType, Error("SADD", "s:str", "a"));
        Assert.Equal(WrongType, Error("SREM", "s:str", "a"));
        Assert.Equal(WrongType, Error("SCARD", "s:str"));
        Assert.Equal(WrongType, Error("SISMEMBER", "s:str", "a"));
        Assert.Equal(WrongType, Error("SMISMEMBER", "s:str", "a"));
        Assert.Equal(WrongType, Error("SMEMBERS", "s:str"));
        Assert.Equal(WrongType, Error("SPOP", "s:str"));
        Assert.Equal(WrongType, Error("SPOP", "s:str", "1"));
        Assert.Equal(WrongType, Error("SRANDMEMBER", "s:str"));
        Assert.Equal(WrongType, Error("SRANDMEMBER", "s:str", "2"));
        Assert.Equal(WrongType, Error("SSCAN", "s:str", "0"));
        Assert.Equal(WrongType, Error("SMOVE", "s:str", "s:wt", "a"));
        Assert.Equal(WrongType, Error("SMOVE", "s:wt", "s:str", "a"));
        Assert.Equal(WrongType, Error("SMOVE", "s:wt", "s:str", "missing-member"));

        // A key that is not a set fails a multi-key command even after a missing or empty one.
        Assert.Equal(WrongType, Error("SINTER", "s:none", "s:str"));
        Assert.Equal(WrongType, Error("SUNION", "s:wt", "s:str"));
        Assert.Equal(WrongType, Error("SDIFF", "s:none", "s:str"));
        Assert.Equal(WrongType, Error("SINTERCARD", "2", "s:none", "s:str"));
        Assert.Equal(WrongType, Error("SINTERSTORE", "s:dst", "s:none", "s:str"));
        Assert.Equal(WrongType, Error("SDIFFSTORE", "s:dst", "s:wt", "s:str"));
        Assert.False(Db.KeyExists("s:dst"));
        Assert.Equal("x", (string?)Db.StringGet("s:str"));

        // SMOVE from a missing source replies 0 before it looks at the destination's type.
        Assert.Equal(0, (long)Db.Execute("SMOVE", "s:none", "s:str", "a"));
    }

    [Theory]
    [InlineData("SADD s:k")]
    [InlineData("SREM s:k")]
    [InlineData("SCARD")]
    [InlineData("SCARD s:k x")]
    [InlineData("SISMEMBER s:k")]
    [InlineData("SMISMEMBER s:k")]
    [InlineData("SMEMBERS")]
    [InlineData("SPOP")]
    [InlineData("SRANDMEMBER")]
    [InlineData("SMOVE a b")]
    [InlineData("SINTER")]
    [InlineData("SUNION")]
    [InlineData("SDIFF")]
    [InlineData("SINTERSTORE d")]
    [InlineData("SUNIONSTORE d")]
    [InlineData("SDIFFSTORE d")]
    [InlineData("SINTERCARD 1")]
    [InlineData("SSCAN s:k")]
    public async Task Wrong_argument_counts_are_arity_errors(string command)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string name = command.Split(' ')[0].ToLowerInvariant();
        Assert.Equal($"-ERR wrong number of arguments for '{name}' command\r\n", await client.CallAsync(command + "\r\n"));
    }

    [Fact]
    public void Spop_without_count_pops_one_member()
    {
        Db.SetAdd("s:pop1", ["a", "b", "c"]);
        var popped = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            popped.Add((string)Db.SetPop("s:pop1")!);
        }

        Assert.Equal(["a", "b", "c"], popped.Order(StringComparer.Ordinal));
        Assert.False(Db.KeyExists("s:pop1"));
        Assert.True(Db.SetPop("s:pop1").IsNull);
    }

    [Fact]
    public void Spop_with_count_pops_distinct_members_and_takes_all_when_count_covers_the_set()
    {
        Db.SetAdd("s:popn", [.. Enumerable.Range(0, 50).Select(i => (RedisValue)$"m{i}")]);
        RedisValue[] first = Db.SetPop("s:popn", 20);
        Assert.Equal(20, first.Distinct().Count());
        Assert.Equal(30, Db.SetLength("s:popn"));
        Assert.All(first, m => Assert.False(Db.SetContains("s:popn", m)));

        Assert.Empty(Db.SetPop("s:popn", 0L));
        Assert.Equal(30, Db.SetLength("s:popn"));
        RedisValue[] rest = Db.SetPop("s:popn", long.MaxValue);
        Assert.Equal(30, rest.Length);
        Assert.Equal(50, first.Concat(rest).Distinct().Count());
        Assert.False(Db.KeyExists("s:popn"));
        Assert.Empty(Db.SetPop("s:popn", 3));
    }

    [Fact]
    public void Spop_count_errors_come_before_the_key_lookup()
    {
        Db.StringSet("s:popstr", "x");
        Assert.Equal("ERR value is out of range, must be positive", Error("SPOP", "s:none", "-1"));
        Assert.Equal("ERR value is out of range, must be positive", Error("SPOP", "s:popstr", "-1"));
        Assert.Equal("ERR value is out of range, must be positive", Error("SPOP", "s:none", "x"));
        Assert.Equal("ERR value is out of range, must be positive", Error("SPOP", "s:none", "-9223372036854775808"));
        Assert.Equal("ERR syntax error", Error("SPOP", "s:none", "1", "2"));
    }

    [Fact]
    public void Srandmember_counts()
    {
        Db.SetAdd("s:rand", ["a", "b", "c"]);
        Assert.Contains((string?)Db.SetRandomMember("s:rand"), new[] { "a", "b", "c" });
        Assert.True(Db.SetRandomMember("s:none").IsNull);
        Assert.Equal(2, Db.SetRandomMembers("s:rand", 2).Distinct().Count());
        Assert.Equal(["a", "b", "c"], Sorted(Db.SetRandomMembers("s:rand", 100)));
        RedisValue[] repeated = Db.SetRandomMembers("s:rand", -7);
        Assert.Equal(7, repeated.Length);
        Assert.All(repeated, m => Assert.Contains((string?)m, new[] { "a", "b", "c" }));
        Assert.Empty(Db.SetRandomMembers("s:rand", 0));
        Assert.Empty(Db.SetRandomMembers("s:none", 5));
        Assert.Empty(Db.SetRandomMembers("s:none", -5));
        Assert.Equal(3, Db.SetLength("s:rand"));

        Assert.Equal("ERR value is not an integer or out of range", Error("SRANDMEMBER", "s:none", "x"));
        Assert.Equal("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", Error("SRANDMEMBER", "s:rand", "-9223372036854775808"));
        Assert.Equal("ERR syntax error", Error("SRANDMEMBER", "s:rand", "1", "2"));
    }

    [Fact]
    public void Smove_moves_a_member_and_creates_or_removes_keys()
    {
        Db.SetAdd("s:mv1", ["a", "b"]);
        Assert.True(Db.SetMove("s:mv1", "s:mv2", "a"));
        Assert.False(Db.SetMove("s:mv1", "s:mv2", "a"));
        Assert.False(Db.SetMove("s:none", "s:mv2", "a"));
        Assert.Equal(["b"], Sorted(Db.SetMembers("s:mv1")));
        Assert.Equal(["a"], Sorted(Db.SetMembers("s:mv2")));

        // A member already in the destination leaves it as it is; the source's last member removes the source.
        Db.SetAdd("s:mv2", "b");
        Assert.True(Db.KeyExpire("s:mv2", TimeSpan.FromSeconds(100)));
        Assert.True(Db.SetMove("s:mv1", "s:mv2", "b"));
        Assert.False(Db.KeyExists("s:mv1"));
        Assert.Equal(2, Db.SetLength("s:mv2"));
        Assert.NotNull(Db.KeyTimeToLive("s:mv2"));
    }

    [Fact]
    public void Smove_to_the_same_set_only_reports_membership()
    {
        Db.SetAdd("s:same", ["a", "b"]);
        Assert.True(Db.SetMove("s:same", "s:same", "a"));
        Assert.False(Db.SetMove("s:same", "s:same", "z"));
        Assert.Equal(["a", "b"], Sorted(Db.SetMembers("s:same")));
    }

    [Fact]
    public void Sinter_sunion_sdiff()
    {
        Db.SetAdd("s:c1", ["a", "b", "c", "d"]);
        Db.SetAdd("s:c2", ["c", "d", "e"]);
        Db.SetAdd("s:c3", ["d", "e", "f"]);
        Assert.Equal(["d"], Sorted(Db.SetCombine(SetOperation.Intersect, ["s:c1", "s:c2", "s:c3"])));
        Assert.Equal(["a", "b", "c", "d", "e", "f"], Sorted(Db.SetCombine(SetOperation.Union, ["s:c1", "s:c2", "s:c3"])));
        Assert.Equal(["a", "b"], Sorted(Db.SetCombine(SetOperation.Difference, ["s:c1", "s:c2", "s:c3"])));
        Assert.Equal(["a", "b", "c", "d"], Sorted(Db.SetCombine(SetOperation.Union, ["s:c1", "s:c1"])));
        Assert.Empty(Db.SetCombine(SetOperation.Difference, ["s:c1", "s:c1"]));

        // A missing key is an empty set.
        Assert.Empty(Db.SetCombine(SetOperation.Intersect, ["s:c1", "s:none"]));
        Assert.Equal(["a", "b", "c", "d"], Sorted(Db.SetCombine(SetOperation.Union, ["s:none", "s:c1"])));
        Assert.Equal(["a", "b", "c", "d"], Sorted(Db.SetCombine(SetOperation.Difference, ["s:c1", "s:none"])));
        Assert.Empty(Db.SetCombine(SetOperation.Difference, ["s:none", "s:c1"]));
        Assert.Equal(["a", "b", "c", "d"], Sorted((RedisValue[])Db.Execute("SINTER", "s:c1")!));
    }

    [Fact]
    public void Sintercard_with_and_without_limit()
    {
        Db.SetAdd("s:ic1", ["a", "b", "c", "d"]);
        Db.SetAdd("s:ic2", ["b", "c", "d", "e"]);
        Assert.Equal(3, Db.SetIntersectionLength(["s:ic1", "s:ic2"]));
        Assert.Equal(2, Db.SetIntersectionLength(["s:ic1", "s:ic2"], 2));
        Assert.Equal(3, Db.SetIntersectionLength(["s:ic1", "s:ic2"], 0));
        Assert.Equal(3, Db.SetIntersectionLength(["s:ic1", "s:ic2"], 100));
        Assert.Equal(0, Db.SetIntersectionLength(["s:ic1", "s:none"]));
        Assert.Equal(2, (long)Db.Execute("SINTERCARD", "1", "s:ic1", "LIMIT", "1", "limit", "2"));
    }

    [Fact]
    public void Sintercard_errors_in_redis_order()
    {
        Assert.Equal("ERR numkeys should be greater than 0", Error("SINTERCARD", "0", "s:a"));
        Assert.Equal("ERR numkeys should be greater than 0", Error("SINTERCARD", "-1", "s:a"));
        Assert.Equal("ERR numkeys should be greater than 0", Error("SINTERCARD", "x", "s:a"));
        Assert.Equal("ERR Number of keys can't be greater than number of args", Error("SINTERCARD", "3", "s:a", "s:b"));
        Assert.Equal("ERR LIMIT can't be negative", Error("SINTERCARD", "1", "s:a", "LIMIT", "-1"));
        Assert.Equal("ERR LIMIT can't be negative", Error("SINTERCARD", "1", "s:a", "LIMIT", "x"));
        Assert.Equal("ERR syntax error", Error("SINTERCARD", "1", "s:a", "LIMIT"));
        Assert.Equal("ERR syntax error", Error("SINTERCARD", "1", "s:a", "FOO", "1"));
    }

    [Fact]
    public void Store_commands_overwrite_the_destination_and_drop_its_ttl()
    {
        Db.SetAdd("s:st1", ["a", "b", "c"]);
        Db.SetAdd("s:st2", ["b", "c", "d"]);
        Db.StringSet("s:stdst", "string", TimeSpan.FromSeconds(100));
        Assert.Equal(2, Db.SetCombineAndStore(SetOperation.Intersect, "s:stdst", ["s:st1", "s:st2"]));
        Assert.Equal(["b", "c"], Sorted(Db.SetMembers("s:stdst")));
        Assert.Null(Db.KeyTimeToLive("s:stdst"));

        Assert.Equal(4, Db.SetCombineAndStore(SetOperation.Union, "s:stdst", ["s:st1", "s:st2"]));
        Assert.Equal(["a", "b", "c", "d"], Sorted(Db.SetMembers("s:stdst")));
        Assert.Equal(1, Db.SetCombineAndStore(SetOperation.Difference, "s:stdst", ["s:st1", "s:st2"]));
        Assert.Equal(["a"], Sorted(Db.SetMembers("s:stdst")));

        // An empty result deletes the destination.
        Assert.Equal(0, Db.SetCombineAndStore(SetOperation.Intersect, "s:stdst", ["s:st1", "s:none"]));
        Assert.False(Db.KeyExists("s:stdst"));
        Assert.Equal(0, Db.SetCombineAndStore(SetOperation.Union, "s:stdst", ["s:none"]));
        Assert.False(Db.KeyExists("s:stdst"));
    }

    [Fact]
    public void Store_with_the_destination_among_the_sources()
    {
        Db.SetAdd("s:self", ["a", "b", "c"]);
        Db.SetAdd("s:other", ["b", "c", "d"]);
        Assert.Equal(2, Db.SetCombineAndStore(SetOperation.Intersect, "s:self", ["s:self", "s:other"]));
        Assert.Equal(["b", "c"], Sorted(Db.SetMembers("s:self")));
        Assert.Equal(3, Db.SetCombineAndStore(SetOperation.Union, "s:self", ["s:other", "s:self"]));
        Assert.Equal(["b", "c", "d"], Sorted(Db.SetMembers("s:self")));
        Db.SetAdd("s:other", "e");
        Assert.Equal(1, Db.SetCombineAndStore(SetOperation.Difference, "s:other", ["s:other", "s:self", "s:none"]));
        Assert.Equal(["e"], Sorted(Db.SetMembers("s:other")));
        Assert.Equal(3, Db.SetCombineAndStore(SetOperation.Union, "s:self", ["s:self", "s:self"]));
        Assert.Equal(0, Db.SetCombineAndStore(SetOperation.Difference, "s:self", ["s:self", "s:self"]));
        Assert.False(Db.KeyExists("s:self"));
    }

    [Fact]
    public void Sscan_walks_every_member_once_with_match_and_count()
    {
        RedisValue[] members = [.. Enumerable.Range(0, 120).Select(i => (RedisValue)$"m{i:D3}")];
        Db.SetAdd("s:scan", members);
        Assert.Equal(120, Db.SetScan("s:scan", pageSize: 7).Distinct().Count());
        Assert.Equal(["m010", "m011", "m012", "m013", "m014", "m015", "m016", "m017", "m018", "m019"], Sorted(Db.SetScan("s:scan", "m01*", pageSize: 5).ToArray()));
        Assert.Empty(Db.SetScan("s:none").ToArray());
        Assert.Equal("ERR invalid cursor", Error("SSCAN", "s:scan", "x"));
        Assert.Equal("ERR syntax error", Error("SSCAN", "s:scan", "0", "COUNT", "0"));
        Assert.Equal("ERR syntax error", Error("SSCAN", "s:scan", "0", "MATCH"));
        Assert.Equal("ERR value is not an integer or out of range", Error("SSCAN", "s:scan", "0", "COUNT", "x"));
    }

    [Fact]
    public async Task Replies_are_resp3_sets_where_redis_sends_sets()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal(":1\r\n", await client.CallAsync("SADD s:r3 a\r\n"));
        Assert.Equal("~1\r\n$1\r\na\r\n", await client.CallAsync("SMEMBERS s:r3\r\n"));
        Assert.Equal("~0\r\n", await client.CallAsync("SMEMBERS s:none\r\n"));
        Assert.Equal("~1\r\n$1\r\na\r\n", await client.CallAsync("SINTER s:r3\r\n"));
        Assert.Equal("~1\r\n$1\r\na\r\n", await client.CallAsync("SUNION s:r3 s:none\r\n"));
        Assert.Equal("~0\r\n", await client.CallAsync("SDIFF s:r3 s:r3\r\n"));
        Assert.Equal("*2\r\n:1\r\n:0\r\n", await client.CallAsync("SMISMEMBER s:r3 a b\r\n"));
        Assert.Equal("*1\r\n$1\r\na\r\n", await client.CallAsync("SRANDMEMBER s:r3 5\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("SRANDMEMBER s:none 5\r\n"));
        Assert.Equal("_\r\n", await client.CallAsync("SRANDMEMBER s:none\r\n"));
        Assert.Equal("~0\r\n", await client.CallAsync("SPOP s:r3 0\r\n"));
        Assert.Equal("~0\r\n", await client.CallAsync("SPOP s:none 2\r\n"));
        Assert.Equal("_\r\n", await client.CallAsync("SPOP s:none\r\n"));
        Assert.Equal("~1\r\n$1\r\na\r\n", await client.CallAsync("SPOP s:r3 5\r\n"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", await client.CallAsync("SSCAN s:none 0\r\n"));
    }

    [Fact]
    public async Task Replies_are_arrays_and_null_bulks_in_resp2()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal(":1\r\n", await client.CallAsync("SADD s:r2 a\r\n"));
        Assert.Equal("*1\r\n$1\r\na\r\n", await client.CallAsync("SMEMBERS s:r2\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("SINTER s:r2 s:none\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("SPOP s:none\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("SPOP s:none 1\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("SRANDMEMBER s:none\r\n"));
        Assert.Equal("*1\r\n$1\r\na\r\n", await client.CallAsync("SPOP s:r2 1\r\n"));
    }
}
