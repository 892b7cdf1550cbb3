using StackExchange.Redis;

namespace Kiwi.Server.Tests.Lists;

/// <summary>List commands through StackExchange.Redis, and their exact replies and errors over raw RESP (checked against Redis 7.0).</summary>
public sealed class ListCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private const string NotInteger = "ERR value is not an integer or out of range";

    private IDatabase Db => server.Redis.GetDatabase();

    private string Error(string command, params object[] args)
        => Assert.Throws<RedisServerException>(() => Db.Execute(command, args)).Message;

    private string[] Range(string key, long start = 0, long stop = -1) => [.. Db.ListRange(key, start, stop).Select(v => (string)v!)];

    private async Task<string> Raw(string command, bool resp3 = false)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        if (resp3)
        {
            await client.CallAsync(RawClient.Command("HELLO", "3"));
        }

        return await client.CallAsync(RawClient.Command(command.Split(' ')));
    }

    [Fact]
    public void Pushes_and_pops_at_both_ends()
    {
        Assert.Equal(3, Db.ListRightPush("l:pp", ["b", "c", "d"]));
        Assert.Equal(5, Db.ListLeftPush("l:pp", ["a", "z"]));
        Assert.Equal(["z", "a", "b", "c", "d"], Range("l:pp"));
        Assert.Equal("z", (string?)Db.ListLeftPop("l:pp"));
        Assert.Equal("d", (string?)Db.ListRightPop("l:pp"));
        Assert.Equal(["a", "b"], Db.ListLeftPop("l:pp", 2).Select(v => (string)v!));
        Assert.Equal(["c"], Db.ListRightPop("l:pp", 5).Select(v => (string)v!));
        Assert.False(Db.KeyExists("l:pp"));
        Assert.True(Db.ListLeftPop("l:pp").IsNull);
        Assert.Equal(0, Db.ListLength("l:pp"));
    }

    [Fact]
    public void Pushx_only_onto_an_existing_list()
    {
        Assert.Equal(0, (long)Db.Execute("LPUSHX", "l:x", "a"));
        Assert.Equal(0, (long)Db.Execute("RPUSHX", "l:x", "a"));
        Assert.False(Db.KeyExists("l:x"));
        Db.ListRightPush("l:x", "m");
        Assert.Equal(3, (long)Db.Execute("LPUSHX", "l:x", "a", "b"));
        Assert.Equal(4, (long)Db.Execute("RPUSHX", "l:x", "z"));
        Assert.Equal(["b", "a", "m", "z"], Range("l:x"));
    }

    [Fact]
    public void Lindex_lset_and_lrange_follow_redis_index_rules()
    {
        Db.ListRightPush("l:i", ["a", "b", "c", "d"]);
        Assert.Equal("a", (string?)Db.ListGetByIndex("l:i", 0));
        Assert.Equal("d", (string?)Db.ListGetByIndex("l:i", -1));
        Assert.True(Db.ListGetByIndex("l:i", 4).IsNull);
        Assert.True(Db.ListGetByIndex("l:i", -5).IsNull);
        Assert.True(Db.ListGetByIndex("l:i", long.MaxValue).IsNull);
        Db.ListSetByIndex("l:i", -2, "C");
        Db.ListSetByIndex("l:i", 0, "");
        Assert.Equal(["", "b", "C", "d"], Range("l:i"));
        Assert.Equal("ERR index out of range", Error("LSET", "l:i", "4", "x"));
        Assert.Equal("ERR index out of range", Error("LSET", "l:i", "-5", "x"));
        Assert.Equal("ERR no such key", Error("LSET", "l:none", "0", "x"));
        Assert.Equal(NotInteger, Error("LSET", "l:i", "x", "x"));
        Assert.Equal(["b", "C"], Range("l:i", 1, 2));
        Assert.Equal(["", "b", "C", "d"], Range("l:i", -100, 100));
        Assert.Empty(Range("l:i", 3, 1));
        Assert.Empty(Range("l:i", 4, 10));
        Assert.Equal(["d"], Range("l:i", -1, long.MaxValue));
        Assert.Empty(Range("l:none"));
    }

    [Fact]
    public void Ltrim_lrem_and_linsert()
    {
        Db.ListRightPush("l:t", ["a", "b", "c", "d", "e"]);
        Db.ListTrim("l:t", 1, -2);
        Assert.Equal(["b", "c", "d"], Range("l:t"));
        Db.ListTrim("l:t", 5, 10);
        Assert.False(Db.KeyExists("l:t"));

        Db.ListRightPush("l:r", ["x", "a", "x", "b", "x", "c", "x"]);
        Assert.Equal(2, Db.ListRemove("l:r", "x", 2));
        Assert.Equal(["a", "b", "x", "c", "x"], Range("l:r"));
        Assert.Equal(1, Db.ListRemove("l:r", "x", -1));
        Assert.Equal(["a", "b", "x", "c"], Range("l:r"));
        Assert.Equal(1, Db.ListRemove("l:r", "x", 0));
        Assert.Equal(0, Db.ListRemove("l:r", "zz", 0));
        Assert.Equal("c", (string?)Db.ListGetByIndex("l:r", 2));
        Assert.Equal(0, Db.ListRemove("l:r", "", 0));

        Assert.Equal(4, Db.ListInsertBefore("l:r", "a", "0"));
        Assert.Equal(5, Db.ListInsertAfter("l:r", "c", "9"));
        Assert.Equal(6, Db.ListInsertAfter("l:r", "a", "a+"));
        Assert.Equal(7, Db.ListInsertBefore("l:r", "c", "c-"));
        Assert.Equal(-1, Db.ListInsertBefore("l:r", "nope", "q"));
        Assert.Equal(0, Db.ListInsertBefore("l:none", "a", "q"));
        Assert.Equal(["0", "a", "a+", "b", "c-", "c", "9"], Range("l:r"));
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(Range("l:r")[i], (string?)Db.ListGetByIndex("l:r", i));
        }
    }

    [Fact]
    public void Ltrim_that_keeps_nothing_deletes_the_list_and_a_new_one_starts_empty()
    {
        Db.ListRightPush("l:trimall", [.. Enumerable.Range(0, 200).Select(i => (RedisValue)i)]);
        Db.ListTrim("l:trimall", 1, 0);
        Assert.False(Db.KeyExists("l:trimall"));
        Db.ListRightPush("l:trimall", "new");
        Assert.Equal(["new"], Range("l:trimall"));
        Assert.Equal(1, Db.ListLength("l:trimall"));
    }

    [Fact]
    public void Lmove_rpoplpush_and_lmpop()
    {
        Db.ListRightPush("l:m1", ["a", "b", "c"]);
        Assert.Equal("c", (string?)Db.Execute("RPOPLPUSH", "l:m1", "l:m2"));
        Assert.Equal("a", (string?)Db.ListMove("l:m1", "l:m2", ListSide.Left, ListSide.Right));
        Assert.Equal(["c", "a"], Range("l:m2"));
        Assert.Equal("b", (string?)Db.ListMove("l:m1", "l:m1", ListSide.Left, ListSide.Right));
        Assert.Equal("c", (string?)Db.ListMove("l:m2", "l:m2", ListSide.Left, ListSide.Right));
        Assert.Equal(["a", "c"], Range("l:m2"));
        Assert.True(Db.ListMove("l:none", "l:m2", ListSide.Left, ListSide.Right).IsNull);

        RedisResult popped = Db.Execute("LMPOP", "3", "l:none", "l:m2", "l:m1", "RIGHT", "COUNT", "5");
        Assert.Equal("l:m2", (string?)popped[0]);
        Assert.Equal(["c", "a"], ((RedisValue[])popped[1]!).Select(v => (string)v!));
        Assert.True(Db.Execute("LMPOP", "1", "l:none", "LEFT").IsNull);
    }

    [Fact]
    public void Lpos_with_rank_count_and_maxlen()
    {
        Db.ListRightPush("l:p", ["a", "b", "c", "1", "2", "3", "c", "c"]);
        Assert.Equal(2, Db.ListPosition("l:p", "c"));
        Assert.Equal(6, Db.ListPosition("l:p", "c", rank: 2));
        Assert.Equal(7, Db.ListPosition("l:p", "c", rank: -1));
        Assert.Equal([2, 6, 7], Db.ListPositions("l:p", "c", 0));
        Assert.Equal([7, 6], Db.ListPositions("l:p", "c", 2, rank: -1));
        Assert.Equal([2], Db.ListPositions("l:p", "c", 0, maxLength: 6));
        Assert.Equal(-1, Db.ListPosition("l:p", "zz"));
        Assert.Equal(-1, Db.ListPosition("l:none", "zz"));
        Assert.Equal("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list", Error("LPOS", "l:p", "c", "RANK", "0"));
        Assert.Equal("ERR COUNT can't be negative", Error("LPOS", "l:p", "c", "COUNT", "-1"));
        Assert.Equal("ERR COUNT can't be negative", Error("LPOS", "l:p", "c", "COUNT", "x"));
        Assert.Equal("ERR MAXLEN can't be negative", Error("LPOS", "l:p", "c", "MAXLEN", "-1"));
        Assert.Equal(NotInteger, Error("LPOS", "l:p", "c", "RANK", "x"));
        Assert.Equal("ERR syntax error", Error("LPOS", "l:p", "c", "RANK"));

        // Redis negates LONG_MIN into itself: every match then counts, from the tail.
        Assert.Equal(7, (long)Db.Execute("LPOS", "l:p", "c", "RANK", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Every_list_command_on_another_type_is_wrongtype()
    {
        Db.StringSet("l:str", "v");
        Db.ListRightPush("l:ok", "a");
        foreach (string[] command in new[]
        {
            new[] { "LPUSH", "l:str", "a" }, ["RPUSH", "l:str", "a"], ["LPUSHX", "l:str", "a"], ["RPUSHX", "l:str", "a"],
            ["LPOP", "l:str"], ["RPOP", "l:str", "2"], ["LLEN", "l:str"], ["LINDEX", "l:str", "0"], ["LINDEX", "l:str", "x"],
            ["LSET", "l:str", "0", "a"], ["LSET", "l:str", "x", "a"], ["LRANGE", "l:str", "0", "-1"], ["LTRIM", "l:str", "0", "1"],
            ["LREM", "l:str", "0", "a"], ["LINSERT", "l:str", "BEFORE", "a", "b"], ["LPOS", "l:str", "a"],
            ["LMOVE", "l:str", "l:ok", "LEFT", "LEFT"], ["LMOVE", "l:ok", "l:str", "LEFT", "LEFT"], ["RPOPLPUSH", "l:str", "l:ok"],
            ["LMPOP", "2", "l:none", "l:str", "LEFT"],
        })
        {
            Assert.Equal(WrongType, Error(command[0], command[1..]));
        }

        Assert.Equal(["a"], Range("l:ok"));
        Assert.Equal("v", (string?)Db.StringGet("l:str"));
    }

    [Theory]
    [InlineData("LPUSH l:k")]
    [InlineData("RPUSH l:k")]
    [InlineData("LPUSHX l:k")]
    [InlineData("RPUSHX l:k")]
    [InlineData("LPOP")]
    [InlineData("LPOP l:k 1 2")]
    [InlineData("RPOP l:k 1 2")]
    [InlineData("LLEN")]
    [InlineData("LINDEX l:k")]
    [InlineData("LSET l:k 0")]
    [InlineData("LRANGE l:k 0")]
    [InlineData("LTRIM l:k 0")]
    [InlineData("LREM l:k 0")]
    [InlineData("LINSERT l:k BEFORE a")]
    [InlineData("LPOS l:k")]
    [InlineData("LMOVE a b LEFT")]
    [InlineData("RPOPLPUSH a")]
    [InlineData("LMPOP 1 a")]
    public async Task Wrong_argument_counts_are_arity_errors(string command)
    {
        string name = command.Split(' ')[0].ToLowerInvariant();
        Assert.Equal($"-ERR wrong number of arguments for '{name}' command\r\n", await Raw(command));
    }

    [Theory]
    [InlineData("LPOP l:e x", "-ERR value is out of range, must be positive\r\n")]
    [InlineData("LPOP l:e -1", "-ERR value is out of range, must be positive\r\n")]
    [InlineData("LINDEX l:none x", "$-1\r\n")]
    [InlineData("LRANGE l:none x 1", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("LRANGE l:none 0 99999999999999999999", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("LTRIM l:none 0 x", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("LREM l:none x a", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("LINSERT l:none MIDDLE a b", "-ERR syntax error\r\n")]
    [InlineData("LMOVE a b UP LEFT", "-ERR syntax error\r\n")]
    [InlineData("LMPOP 0 a LEFT", "-ERR numkeys should be greater than 0\r\n")]
    [InlineData("LMPOP x a LEFT", "-ERR numkeys should be greater than 0\r\n")]
    [InlineData("LMPOP 2 a LEFT", "-ERR syntax error\r\n")]
    [InlineData("LMPOP 1 a MIDDLE", "-ERR syntax error\r\n")]
    [InlineData("LMPOP 1 a LEFT COUNT 0", "-ERR count should be greater than 0\r\n")]
    [InlineData("LMPOP 1 a LEFT COUNT x", "-ERR count should be greater than 0\r\n")]
    [InlineData("LMPOP 1 a LEFT COUNT 1 COUNT 1", "-ERR syntax error\r\n")]
    [InlineData("LPOP l:none 2", "*-1\r\n")]
    [InlineData("LPOP l:none 0", "*-1\r\n")]
    [InlineData("LPOP l:none", "$-1\r\n")]
    [InlineData("LMPOP 1 l:none LEFT", "*-1\r\n")]
    [InlineData("LPOS l:none a", "$-1\r\n")]
    [InlineData("LPOS l:none a COUNT 0", "*0\r\n")]
    [InlineData("LRANGE l:none 0 -1", "*0\r\n")]
    public async Task Replies_and_errors_match_redis_over_resp2(string command, string expected)
        => Assert.Equal(expected, await Raw(command));

    [Theory]
    [InlineData("LPOP l:none 2", "_\r\n")]
    [InlineData("LPOP l:none", "_\r\n")]
    [InlineData("LMPOP 1 l:none LEFT", "_\r\n")]
    [InlineData("LPOS l:none a", "_\r\n")]
    [InlineData("LINDEX l:none 0", "_\r\n")]
    public async Task Null_replies_over_resp3(string command, string expected)
        => Assert.Equal(expected, await Raw(command, resp3: true));

    [Fact]
    public async Task Lpop_zero_of_an_existing_list_is_an_empty_array()
    {
        Db.ListRightPush("l:zero", "a");
        Assert.Equal("*0\r\n", await Raw("LPOP l:zero 0"));
        Assert.Equal(1, Db.ListLength("l:zero"));
    }

    [Fact]
    public void Type_encoding_and_the_key_family_commands()
    {
        Db.ListRightPush("l:ty", ["a", "b"]);
        Assert.Equal(RedisType.List, Db.KeyType("l:ty"));
        Assert.Equal("quicklist", (string?)Db.Execute("OBJECT", "ENCODING", "l:ty"));
        Assert.True(Db.KeyRename("l:ty", "l:ty2"));
        Assert.Equal(["a", "b"], Range("l:ty2"));
        Assert.Equal(1, (long)Db.Execute("COPY", "l:ty2", "l:ty3"));
        Db.ListRightPush("l:ty3", "c");
        Assert.Equal(["a", "b"], Range("l:ty2"));
        Assert.Equal(["a", "b", "c"], Range("l:ty3"));
        Assert.Equal(["l:ty2", "l:ty3"], ((RedisResult[])Db.Execute("SCAN", "0", "MATCH", "l:ty*", "TYPE", "list", "COUNT", "1000")[1]!).Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.True(Db.KeyExpire("l:ty2", TimeSpan.FromMilliseconds(1)));
        Poll.Until(() => !Db.KeyExists("l:ty2"), "the list did not expire");
        Assert.Equal(0, Db.ListLength("l:ty2"));
        Assert.True(Db.KeyDelete("l:ty3"));
        Assert.Empty(Range("l:ty3"));
        Db.ListRightPush("l:ty3", "new");
        Assert.Equal(["new"], Range("l:ty3"));
    }

    [Fact]
    public void Empty_and_large_elements()
    {
        byte[] big = new byte[1 << 20];
        new Random(7).NextBytes(big);
        Db.ListRightPush("l:big", [RedisValue.EmptyString, big, RedisValue.EmptyString]);
        Assert.Equal(3, Db.ListLength("l:big"));
        Assert.Equal(big, (byte[]?)Db.ListGetByIndex("l:big", 1));
        Assert.Equal("", (string?)Db.ListLeftPop("l:big"));
        Assert.Equal(big, (byte[]?)Db.ListLeftPop("l:big"));
    }

    [Fact]
    public void A_hundred_thousand_elements_come_back_whole_and_in_order()
    {
        const int N = 100_000;
        for (int start = 0; start < N; start += 10_000)
        {
            Db.ListRightPush("l:100k", [.. Enumerable.Range(start, 10_000).Select(i => (RedisValue)i)]);
        }

        RedisValue[] all = Db.ListRange("l:100k");
        Assert.Equal(N, all.Length);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(i, (int)all[i]);
        }

        Assert.Equal(N / 2, (int)Db.ListGetByIndex("l:100k", N / 2));
        Assert.Equal(N + 1, Db.ListInsertAfter("l:100k", "50000", "mid"));
        Assert.Equal("mid", (string?)Db.ListGetByIndex("l:100k", 50_001));
        Assert.Equal(N - 1, (int)Db.ListGetByIndex("l:100k", -1));
    }
}
