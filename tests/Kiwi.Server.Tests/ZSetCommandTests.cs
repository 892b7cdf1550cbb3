using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>Sorted-set commands through StackExchange.Redis, and their exact replies and errors over raw RESP.</summary>
public sealed class ZSetCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private IDatabase Db => server.Redis.GetDatabase();

    private string Error(string command, params object[] args)
        => Assert.Throws<RedisServerException>(() => Db.Execute(command, args)).Message;

    private async Task<string> Raw(params string[] args)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        return await client.CallAsync(RawClient.Command(args));
    }

    [Fact]
    public void Zadd_zscore_zcard_zrem_count_each_member_once()
    {
        Assert.Equal(3, Db.SortedSetAdd("z:add", [new("a", 1), new("b", 2), new("c", 3)]));
        Assert.Equal(1, (long)Db.Execute("ZADD", "z:add", "5", "a", "4", "d", "6", "d"));
        Assert.Equal(4, Db.SortedSetLength("z:add"));
        Assert.Equal(5, Db.SortedSetScore("z:add", "a"));
        Assert.Equal(6, Db.SortedSetScore("z:add", "d"));
        Assert.Null(Db.SortedSetScore("z:add", "zz"));
        Assert.Null(Db.SortedSetScore("z:none", "a"));
        Assert.Equal(2, Db.SortedSetRemove("z:add", ["a", "a", "b", "zz"]));
        Assert.Equal(0, Db.SortedSetRemove("z:none", ["a"]));
        Assert.Equal(2, Db.SortedSetRemove("z:add", ["c", "d"]));
        Assert.False(Db.KeyExists("z:add"));
    }

    [Fact]
    public void Zadd_options_follow_redis()
    {
        Db.SortedSetAdd("z:opt", [new("a", 1), new("b", 2)]);
        Assert.Equal(0, (long)Db.Execute("ZADD", "z:opt", "NX", "9", "a"));
        Assert.Equal(1, Db.SortedSetScore("z:opt", "a"));
        Assert.Equal(0, (long)Db.Execute("ZADD", "z:opt", "XX", "9", "zz"));
        Assert.Null(Db.SortedSetScore("z:opt", "zz"));
        Assert.Equal(1, (long)Db.Execute("ZADD", "z:opt", "XX", "CH", "9", "a", "3", "zz"));
        Assert.Equal(0, (long)Db.Execute("ZADD", "z:opt", "GT", "CH", "1", "a"));
        Assert.Equal(1, (long)Db.Execute("ZADD", "z:opt", "GT", "CH", "10", "a"));
        Assert.Equal(2, (long)Db.Execute("ZADD", "z:opt", "LT", "CH", "0", "a", "1", "new"));
        Assert.Equal(0, Db.SortedSetScore("z:opt", "a"));
        Assert.Equal("2.5", (string?)Db.Execute("ZADD", "z:opt", "INCR", "2.5", "a"));
        Assert.True(Db.Execute("ZADD", "z:opt", "NX", "INCR", "1", "a").IsNull);
        Assert.True(Db.Execute("ZADD", "z:missing", "XX", "INCR", "1", "a").IsNull);
        Assert.False(Db.KeyExists("z:missing"));
        Assert.Equal(0, (long)Db.Execute("ZADD", "z:missing", "XX", "1", "a"));
        Assert.False(Db.KeyExists("z:missing"));
    }

    [Fact]
    public void Zadd_errors_are_redis_texts()
    {
        Assert.Equal("ERR XX and NX options at the same time are not compatible", Error("ZADD", "z:e", "NX", "XX", "1", "a"));
        Assert.Equal("ERR GT, LT, and/or NX options at the same time are not compatible", Error("ZADD", "z:e", "GT", "LT", "1", "a"));
        Assert.Equal("ERR GT, LT, and/or NX options at the same time are not compatible", Error("ZADD", "z:e", "NX", "GT", "1", "a"));
        Assert.Equal("ERR INCR option supports a single increment-element pair", Error("ZADD", "z:e", "INCR", "1", "a", "2", "b"));
        Assert.Equal("ERR syntax error", Error("ZADD", "z:e", "1", "a", "2"));
        Assert.Equal("ERR syntax error", Error("ZADD", "z:e", "NX", "1"));
        foreach (string bad in new[] { "nan", "x", "1e400", "-1e400", "1e-400", "(1", "", " 1", "1 " })
        {
            Assert.Equal("ERR value is not a valid float", Error("ZADD", "z:e", bad, "a"));
            Assert.Equal("ERR value is not a valid float", Error("ZINCRBY", "z:e", bad, "a"));
        }

        Assert.False(Db.KeyExists("z:e"));
        Db.Execute("ZADD", "z:nan", "inf", "a");
        Assert.Equal("ERR resulting score is not a number (NaN)", Error("ZINCRBY", "z:nan", "-inf", "a"));
        Assert.Equal("ERR resulting score is not a number (NaN)", Error("ZADD", "z:nan", "INCR", "-inf", "a"));
        Assert.Equal(double.PositiveInfinity, Db.SortedSetScore("z:nan", "a"));
    }

    [Fact]
    public async Task Scores_are_formatted_as_redis_7_0_does()
    {
        Db.Execute("ZADD", "z:fmt", "0.1", "a", "1e2", "b", "-inf", "c", "+inf", "d", "1.7976931348623157e308", "e", "5.0e-324", "f", "-0", "g", "1e17", "h", "0.0001", "i", "0.00001", "j");
        Assert.Equal("$19\r\n0.10000000000000001\r\n", await Raw("ZSCORE", "z:fmt", "a"));
        Assert.Equal("$3\r\n100\r\n", await Raw("ZSCORE", "z:fmt", "b"));
        Assert.Equal("$4\r\n-inf\r\n", await Raw("ZSCORE", "z:fmt", "c"));
        Assert.Equal("$3\r\ninf\r\n", await Raw("ZSCORE", "z:fmt", "d"));
        Assert.Equal("$23\r\n1.7976931348623157e+308\r\n", await Raw("ZSCORE", "z:fmt", "e"));
        Assert.Equal("$23\r\n4.9406564584124654e-324\r\n", await Raw("ZSCORE", "z:fmt", "f"));
        Assert.Equal("$1\r\n0\r\n", await Raw("ZSCORE", "z:fmt", "g")); // a listpack stores -0 as "0"
        Assert.Equal("$5\r\n1e+17\r\n", await Raw("ZSCORE", "z:fmt", "h"));
        Assert.Equal("$6\r\n0.0001\r\n", await Raw("ZSCORE", "z:fmt", "i"));
        Assert.Equal("$22\r\n1.0000000000000001e-05\r\n", await Raw("ZSCORE", "z:fmt", "j"));
    }

    [Fact]
    public async Task Resp3_scores_are_doubles()
    {
        Db.Execute("ZADD", "z:r3", "1.5", "a", "2", "b");
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal(",1.5\r\n", await client.CallAsync("ZSCORE z:r3 a\r\n"));
        Assert.Equal("_\r\n", await client.CallAsync("ZSCORE z:r3 zz\r\n"));
        Assert.Equal("*2\r\n,1.5\r\n_\r\n", await client.CallAsync("ZMSCORE z:r3 a zz\r\n"));
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n", await client.CallAsync("ZRANGE z:r3 0 -1 WITHSCORES\r\n"));
        Assert.Equal(",3.5\r\n", await client.CallAsync("ZINCRBY z:r3 2 a\r\n"));
        Assert.Equal("*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", await client.CallAsync("ZPOPMIN z:r3 1\r\n"));
        Assert.Equal("*2\r\n$1\r\na\r\n,3.5\r\n", await client.CallAsync("ZPOPMIN z:r3\r\n"));
        Assert.Equal("_\r\n", await client.CallAsync("ZMPOP 1 z:r3 MIN\r\n"));
        Assert.Equal(",inf\r\n", await client.CallAsync("ZINCRBY z:r3 inf a\r\n"));
    }

    [Fact]
    public void Ranges_by_rank_score_and_member()
    {
        Db.SortedSetAdd("z:rng", [new("a", 1), new("b", 2), new("c", 3), new("d", 4), new("e", 5)]);
        Assert.Equal(["a", "b", "c", "d", "e"], Strings(Db.Execute("ZRANGE", "z:rng", "0", "-1")));
        Assert.Equal(["d", "e"], Strings(Db.Execute("ZRANGE", "z:rng", "-2", "100")));
        Assert.Empty(Strings(Db.Execute("ZRANGE", "z:rng", "3", "1")));
        Assert.Empty(Strings(Db.Execute("ZRANGE", "z:rng", "5", "10")));
        Assert.Equal(["a"], Strings(Db.Execute("ZRANGE", "z:rng", "-100", "0")));
        Assert.Equal(["e", "d"], Strings(Db.Execute("ZREVRANGE", "z:rng", "0", "1")));
        Assert.Equal(["e", "5", "d", "4"], Strings(Db.Execute("ZRANGE", "z:rng", "0", "1", "REV", "WITHSCORES")));
        Assert.Equal(["b", "c"], Strings(Db.Execute("ZRANGEBYSCORE", "z:rng", "(1", "3")));
        Assert.Equal(["c", "b"], Strings(Db.Execute("ZREVRANGEBYSCORE", "z:rng", "3", "(1")));
        Assert.Equal(["c", "d"], Strings(Db.Execute("ZRANGE", "z:rng", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "2")));
        Assert.Equal(["c", "d", "e"], Strings(Db.Execute("ZRANGE", "z:rng", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "-1")));
        Assert.Empty(Strings(Db.Execute("ZRANGE", "z:rng", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2")));
        Assert.Empty(Strings(Db.Execute("ZRANGE", "z:rng", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "0")));
        Assert.Equal(["d", "c"], Strings(Db.Execute("ZRANGE", "z:rng", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2")));
        Assert.Equal(["b", "c"], Strings(Db.Execute("ZRANGEBYLEX", "z:rng", "(a", "[c")));
        Assert.Equal(["e", "d"], Strings(Db.Execute("ZREVRANGEBYLEX", "z:rng", "+", "[d")));
        Assert.Equal(["b"], Strings(Db.Execute("ZRANGE", "z:rng", "-", "+", "BYLEX", "LIMIT", "1", "1")));
        Assert.Equal(3, (long)Db.Execute("ZCOUNT", "z:rng", "2", "4"));
        Assert.Equal(5, (long)Db.Execute("ZCOUNT", "z:rng", "-inf", "inf"));
        Assert.Equal(0, (long)Db.Execute("ZCOUNT", "z:rng", "(2", "(2"));
        Assert.Equal(2, (long)Db.Execute("ZLEXCOUNT", "z:rng", "[b", "(d"));
        Assert.Equal(2, (long)Db.Execute("ZRANK", "z:rng", "c"));
        Assert.Equal(0, (long)Db.Execute("ZREVRANK", "z:rng", "e"));
        Assert.True(Db.Execute("ZRANK", "z:rng", "zz").IsNull);
        Assert.True(Db.Execute("ZRANK", "z:none", "a").IsNull);
    }

    [Fact]
    public void Range_errors_are_redis_texts()
    {
        Db.SortedSetAdd("z:rerr", "a", 1);
        Assert.Equal("ERR min or max is not a float", Error("ZRANGEBYSCORE", "z:rerr", "x", "1"));
        Assert.Equal("ERR min or max is not a float", Error("ZCOUNT", "z:rerr", "nan", "1"));
        Assert.Equal("ERR min or max is not a float", Error("ZCOUNT", "z:rerr", "(", "(x"));
        Assert.Equal("ERR min or max not valid string range item", Error("ZRANGEBYLEX", "z:rerr", "a", "+"));
        Assert.Equal("ERR min or max not valid string range item", Error("ZLEXCOUNT", "z:rerr", "", "+"));
        Assert.Equal("ERR min or max not valid string range item", Error("ZLEXCOUNT", "z:rerr", "-x", "+"));
        Assert.Equal("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX", Error("ZRANGE", "z:rerr", "0", "1", "LIMIT", "0", "1"));
        Assert.Equal("ERR syntax error, WITHSCORES not supported in combination with BYLEX", Error("ZRANGE", "z:rerr", "-", "+", "BYLEX", "WITHSCORES"));
        Assert.Equal("ERR syntax error", Error("ZRANGEBYSCORE", "z:rerr", "0", "1", "REV"));
        Assert.Equal("ERR syntax error", Error("ZRANGE", "z:rerr", "0", "1", "LIMIT", "0"));
        Assert.Equal("ERR value is not an integer or out of range", Error("ZRANGE", "z:rerr", "x", "1"));
        Assert.Equal("ERR value is not an integer or out of range", Error("ZRANGE", "z:rerr", "0", "1", "BYSCORE", "LIMIT", "x", "1"));
        Assert.Equal("ERR value is out of range, must be positive", Error("ZPOPMIN", "z:rerr", "-1"));
        Assert.Equal("ERR syntax error", Error("ZPOPMIN", "z:rerr", "1", "2"));
        Assert.Equal("ERR numkeys should be greater than 0", Error("ZMPOP", "0", "z:rerr", "MIN"));
        Assert.Equal("ERR syntax error", Error("ZMPOP", "1", "z:rerr", "MID"));
        Assert.Equal("ERR count should be greater than 0", Error("ZMPOP", "1", "z:rerr", "MIN", "COUNT", "0"));

        // An empty range is empty, with scores that are infinite or out of a double's range.
        Assert.Equal(1, (long)Db.Execute("ZCOUNT", "z:rerr", "-1e400", "1e400"));
        Assert.Equal(1, (long)Db.Execute("ZCOUNT", "z:rerr", "", "1"));
    }

    [Fact]
    public void Pops_and_range_removals()
    {
        Db.SortedSetAdd("z:pop", [new("a", 1), new("b", 2), new("c", 3), new("d", 4), new("e", 5)]);
        Assert.Equal(["a", "1"], Strings(Db.Execute("ZPOPMIN", "z:pop")));
        Assert.Equal(["e", "5", "d", "4"], Strings(Db.Execute("ZPOPMAX", "z:pop", "2")));
        Assert.Empty(Strings(Db.Execute("ZPOPMAX", "z:pop", "0")));
        Assert.Empty(Strings(Db.Execute("ZPOPMAX", "z:none", "3")));
        Assert.True(Db.Execute("ZMPOP", "2", "z:none", "z:none2", "MAX").IsNull);
        RedisResult mpop = Db.Execute("ZMPOP", "2", "z:none", "z:pop", "MAX", "COUNT", "10");
        Assert.Equal("z:pop", (string?)mpop[0]);
        Assert.Equal(2, mpop[1].Length);
        Assert.False(Db.KeyExists("z:pop"));

        Db.SortedSetAdd("z:rem", [new("a", 1), new("b", 2), new("c", 3), new("d", 4), new("e", 5)]);
        Assert.Equal(2, (long)Db.Execute("ZREMRANGEBYSCORE", "z:rem", "(1", "3"));
        Assert.Equal(1, (long)Db.Execute("ZREMRANGEBYRANK", "z:rem", "-1", "-1"));
        Assert.Equal(0, (long)Db.Execute("ZREMRANGEBYRANK", "z:rem", "5", "10"));
        Assert.Equal(1, (long)Db.Execute("ZREMRANGEBYLEX", "z:rem", "[d", "+"));
        Assert.Equal(["a"], Strings(Db.Execute("ZRANGE", "z:rem", "0", "-1")));
        Assert.Equal(0, (long)Db.Execute("ZREMRANGEBYSCORE", "z:none", "0", "1"));
    }

    [Fact]
    public void Union_inter_diff_with_weights_and_aggregate()
    {
        Db.SortedSetAdd("z:u1", [new("a", 1), new("b", 2), new("c", 3)]);
        Db.SortedSetAdd("z:u2", [new("b", 10), new("c", 20), new("d", 30)]);
        Db.SetAdd("z:plain", ["c", "e"]);
        Assert.Equal(["a", "1", "b", "12", "c", "23", "d", "30"], Strings(Db.Execute("ZUNION", "2", "z:u1", "z:u2", "WITHSCORES")));
        Assert.Equal(["a", "2", "b", "34", "c", "66", "d", "90"], Strings(Db.Execute("ZUNION", "2", "z:u1", "z:u2", "WEIGHTS", "2", "3", "WITHSCORES")));
        Assert.Equal(["b", "2", "c", "3"], Strings(Db.Execute("ZINTER", "2", "z:u1", "z:u2", "AGGREGATE", "MIN", "WITHSCORES")));
        Assert.Equal(["b", "10", "c", "20"], Strings(Db.Execute("ZINTER", "2", "z:u1", "z:u2", "AGGREGATE", "MAX", "WITHSCORES")));
        Assert.Equal(["c", "4"], Strings(Db.Execute("ZINTER", "2", "z:u1", "z:plain", "WITHSCORES")));
        Assert.Equal(["a"], Strings(Db.Execute("ZDIFF", "2", "z:u1", "z:u2")));
        Assert.Equal(2, (long)Db.Execute("ZINTERCARD", "2", "z:u1", "z:u2"));
        Assert.Equal(1, (long)Db.Execute("ZINTERCARD", "2", "z:u1", "z:u2", "LIMIT", "1"));
        Assert.Equal(4, (long)Db.Execute("ZUNIONSTORE", "z:dst", "2", "z:u1", "z:u2"));
        Assert.Equal(23, Db.SortedSetScore("z:dst", "c"));
        Assert.Equal(2, (long)Db.Execute("ZINTERSTORE", "z:dst", "2", "z:u1", "z:u2", "WEIGHTS", "1", "0"));
        Assert.Equal(2, Db.SortedSetScore("z:dst", "b"));
        Assert.Equal(0, (long)Db.Execute("ZDIFFSTORE", "z:dst", "2", "z:u1", "z:u1"));
        Assert.False(Db.KeyExists("z:dst"));
        Assert.Equal(2, (long)Db.Execute("ZRANGESTORE", "z:dst", "z:u2", "(10", "+inf", "BYSCORE"));
        Assert.Equal(["c", "d"], Strings(Db.Execute("ZRANGE", "z:dst", "0", "-1")));

        // inf * 0 is NaN, counted as 0; inf + -inf also.
        Db.SortedSetAdd("z:inf1", "a", double.PositiveInfinity);
        Db.SortedSetAdd("z:inf2", "a", double.NegativeInfinity);
        Assert.Equal(["a", "0"], Strings(Db.Execute("ZUNION", "2", "z:inf1", "z:inf2", "WITHSCORES")));
        Assert.Equal(["a", "0"], Strings(Db.Execute("ZUNION", "1", "z:inf1", "WEIGHTS", "0", "WITHSCORES")));

        Assert.Equal("ERR at least 1 input key is needed for 'zunionstore' command", Error("ZUNIONSTORE", "z:dst", "0", "z:u1"));
        Assert.Equal("ERR syntax error", Error("ZUNION", "3", "z:u1", "z:u2"));
        Assert.Equal("ERR weight value is not a float", Error("ZUNION", "2", "z:u1", "z:u2", "WEIGHTS", "1", "x"));
        Assert.Equal("ERR syntax error", Error("ZINTER", "2", "z:u1", "z:u2", "AGGREGATE", "AVG"));
        Assert.Equal("ERR syntax error", Error("ZDIFF", "2", "z:u1", "z:u2", "WEIGHTS", "1", "1"));
        Assert.Equal("ERR LIMIT can't be negative", Error("ZINTERCARD", "2", "z:u1", "z:u2", "LIMIT", "-1"));

        // WRONGTYPE comes before the options' errors, as in Redis.
        Db.StringSet("z:str", "x");
        Assert.Equal(WrongType, Error("ZUNIONSTORE", "z:dst", "2", "z:u1", "z:str", "AGGREGATE", "AVG"));
    }

    [Fact]
    public void Every_zset_command_on_another_type_is_wrongtype()
    {
        Db.StringSet("z:wt", "x");
        string[][] commands =
        [
            ["ZADD", "z:wt", "1", "a"], ["ZINCRBY", "z:wt", "1", "a"], ["ZREM", "z:wt", "a"], ["ZCARD", "z:wt"],
            ["ZSCORE", "z:wt", "a"], ["ZMSCORE", "z:wt", "a"], ["ZRANK", "z:wt", "a"], ["ZREVRANK", "z:wt", "a"],
            ["ZCOUNT", "z:wt", "0", "1"], ["ZLEXCOUNT", "z:wt", "-", "+"], ["ZRANGE", "z:wt", "0", "1"],
            ["ZRANGEBYSCORE", "z:wt", "0", "1"], ["ZREVRANGEBYSCORE", "z:wt", "1", "0"], ["ZRANGEBYLEX", "z:wt", "-", "+"],
            ["ZREVRANGEBYLEX", "z:wt", "+", "-"], ["ZREVRANGE", "z:wt", "0", "1"], ["ZPOPMIN", "z:wt"], ["ZPOPMAX", "z:wt", "2"],
            ["ZMPOP", "1", "z:wt", "MIN"], ["ZRANDMEMBER", "z:wt"], ["ZREMRANGEBYSCORE", "z:wt", "0", "1"],
            ["ZREMRANGEBYRANK", "z:wt", "0", "1"], ["ZREMRANGEBYLEX", "z:wt", "-", "+"], ["ZUNION", "1", "z:wt"],
            ["ZINTER", "1", "z:wt"], ["ZDIFF", "1", "z:wt"], ["ZUNIONSTORE", "d", "1", "z:wt"], ["ZINTERSTORE", "d", "1", "z:wt"],
            ["ZDIFFSTORE", "d", "1", "z:wt"], ["ZINTERCARD", "1", "z:wt"], ["ZRANGESTORE", "d", "z:wt", "0", "1"], ["ZSCAN", "z:wt", "0"],
        ];
        foreach (string[] command in commands)
        {
            Assert.Equal(WrongType, Error(command[0], command[1..]));
        }

        Db.SortedSetAdd("z:wt2", "a", 1);
        Assert.Equal(WrongType, Error("GET", "z:wt2"));
        Assert.Equal(WrongType, Error("SADD", "z:wt2", "a"));
    }

    [Theory]
    [InlineData("ZADD z:k 1")]
    [InlineData("ZINCRBY z:k 1")]
    [InlineData("ZREM z:k")]
    [InlineData("ZCARD")]
    [InlineData("ZSCORE z:k")]
    [InlineData("ZMSCORE z:k")]
    [InlineData("ZRANK z:k")]
    [InlineData("ZREVRANK z:k")]
    [InlineData("ZCOUNT z:k 0")]
    [InlineData("ZLEXCOUNT z:k -")]
    [InlineData("ZRANGE z:k 0")]
    [InlineData("ZRANGESTORE d z:k 0")]
    [InlineData("ZRANGEBYSCORE z:k 0")]
    [InlineData("ZREVRANGEBYSCORE z:k 0")]
    [InlineData("ZRANGEBYLEX z:k -")]
    [InlineData("ZREVRANGEBYLEX z:k +")]
    [InlineData("ZREVRANGE z:k 0")]
    [InlineData("ZPOPMIN")]
    [InlineData("ZPOPMAX")]
    [InlineData("ZMPOP 1 z:k")]
    [InlineData("ZRANDMEMBER")]
    [InlineData("ZREMRANGEBYSCORE z:k 0")]
    [InlineData("ZREMRANGEBYRANK z:k 0")]
    [InlineData("ZREMRANGEBYLEX z:k -")]
    [InlineData("ZUNION 1")]
    [InlineData("ZINTER 1")]
    [InlineData("ZDIFF 1")]
    [InlineData("ZUNIONSTORE d 1")]
    [InlineData("ZINTERSTORE d 1")]
    [InlineData("ZDIFFSTORE d 1")]
    [InlineData("ZINTERCARD 1")]
    [InlineData("ZSCAN z:k")]
    public async Task Wrong_argument_counts_are_arity_errors(string command)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string name = command.Split(' ')[0].ToLowerInvariant();
        Assert.Equal($"-ERR wrong number of arguments for '{name}' command\r\n", await client.CallAsync(command + "\r\n"));
    }

    // Flattened: the client may speak RESP3, where pairs come nested.
    private static string[] Strings(RedisResult result)
        => result.Resp3Type == ResultType.Array ? [.. ((RedisResult[])result!).SelectMany(Strings)] : [(string)result!];
}
