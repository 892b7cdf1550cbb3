using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>MULTI/EXEC/DISCARD/WATCH/UNWATCH: Redis 7.0's replies and error texts over raw RESP.</summary>
public sealed class TransactionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    [Fact]
    public async Task Exec_answers_one_array_reads_see_earlier_writes_and_runtime_errors_stay_inside()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:a", "1"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "INCR", "tx:a"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "GET", "tx:a"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "HSET", "tx:a", "f", "v"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "HSET", "tx:h", "f", "v"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "HGETALL", "tx:h"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SADD", "tx:s", "x", "y"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SCARD", "tx:s"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SISMEMBER", "tx:s", "y"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "INCRBY", "tx:a", "x"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:a", "v", "NX", "XX"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "TTL", "tx:a"));
        Assert.Equal(
            "*12\r\n+OK\r\n:2\r\n$1\r\n2\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n:1\r\n"
            + "*2\r\n$1\r\nf\r\n$1\r\nv\r\n:2\r\n:2\r\n:1\r\n-ERR value is not an integer or out of range\r\n-ERR syntax error\r\n:-1\r\n",
            await Call(c, "EXEC"));
        Assert.Equal("$1\r\n2\r\n", await Call(c, "GET", "tx:a"));

        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("*0\r\n", await Call(c, "EXEC"));
    }

    [Fact]
    public async Task Errors_have_redis_texts()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("-ERR EXEC without MULTI\r\n", await Call(c, "EXEC"));
        Assert.Equal("-ERR DISCARD without MULTI\r\n", await Call(c, "DISCARD"));
        Assert.Equal("-ERR wrong number of arguments for 'multi' command\r\n", await Call(c, "MULTI", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'watch' command\r\n", await Call(c, "WATCH"));
        Assert.Equal("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", await Call(c, "EXEC", "x"));

        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", await Call(c, "MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed\r\n", await Call(c, "WATCH", "tx:e"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:e", "1"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "PING"));
        Assert.Equal("*2\r\n+OK\r\n+PONG\r\n", await Call(c, "EXEC"));

        // A command refused while queueing fails the transaction.
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:e", "2"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", await Call(c, "GET"));
        Assert.StartsWith("-ERR unknown command 'NOSUCH'", await Call(c, "NOSUCH", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'discard' command\r\n", await Call(c, "DISCARD", "x"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", await Call(c, "EXEC"));
        Assert.Equal("$1\r\n1\r\n", await Call(c, "GET", "tx:e"));

        // EXEC with arguments inside MULTI ends it.
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:e", "3"));
        Assert.Equal("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", await Call(c, "EXEC", "x"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", await Call(c, "EXEC"));

        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:e", "4"));
        Assert.Equal("+OK\r\n", await Call(c, "DISCARD"));
        Assert.Equal("$1\r\n1\r\n", await Call(c, "GET", "tx:e"));

        // What cannot run inside MULTI yet is refused clearly, never run wrongly.
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("-ERR this command is not supported inside MULTI yet\r\n", await Call(c, "CLIENT", "LIST"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", await Call(c, "EXEC"));
    }

    [Fact]
    public async Task Blocking_commands_inside_multi_run_once_as_their_non_blocking_form()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BLPOP", "tx:b:l", "0"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "RPUSH", "tx:b:l", "x", "y"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BRPOP", "tx:b:l", "0"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BLMOVE", "tx:b:l", "tx:b:m", "LEFT", "RIGHT", "0"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BLMOVE", "tx:b:l", "tx:b:m", "LEFT", "RIGHT", "0"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BZPOPMIN", "tx:b:z", "0"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "BLPOP", "tx:b:l", "x"));
        Assert.Equal(
            "*7\r\n*-1\r\n:2\r\n*2\r\n$6\r\ntx:b:l\r\n$1\r\ny\r\n$1\r\nx\r\n$-1\r\n*-1\r\n-ERR timeout is not a float or out of range\r\n",
            await Call(c, "EXEC"));
        Assert.Equal("*1\r\n$1\r\nx\r\n", await Call(c, "LRANGE", "tx:b:m", "0", "-1"));
    }

    [Fact]
    public async Task Watch_aborts_exec_exactly_when_redis_would()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);

        async Task<string> Attempt(string key, Func<Task> between)
        {
            Assert.Equal("+OK\r\n", await Call(c, "WATCH", key));
            await between();
            Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
            Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:w:out", key));
            return await Call(c, "EXEC");
        }

        const string Ran = "*1\r\n+OK\r\n";
        const string Aborted = "*-1\r\n";
        Assert.Equal(Ran, await Attempt("tx:w1", () => Task.CompletedTask));
        Assert.Equal(Aborted, await Attempt("tx:w1", async () => await Call(other, "SET", "tx:w1", "x")));
        Assert.Equal(Aborted, await Attempt("tx:w1", async () => await Call(other, "SET", "tx:w1", "x")));
        Assert.Equal(Aborted, await Attempt("tx:w1", async () => await Call(c, "APPEND", "tx:w1", "y")));
        Assert.Equal(Ran, await Attempt("tx:w1", async () => await Call(c, "GET", "tx:w1")));
        Assert.Equal(Ran, await Attempt("tx:w2", async () => await Call(other, "DEL", "tx:w2")));
        Assert.Equal(Ran, await Attempt("tx:w2", async () => await Call(other, "EXPIRE", "tx:w2", "100")));
        await Call(other, "SADD", "tx:w3", "m");
        Assert.Equal(Ran, await Attempt("tx:w3", async () => await Call(other, "SADD", "tx:w3", "m")));
        Assert.Equal(Ran, await Attempt("tx:w3", async () => await Call(other, "SREM", "tx:w3", "zz")));
        Assert.Equal(Aborted, await Attempt("tx:w3", async () => await Call(other, "SADD", "tx:w3", "n")));
        Assert.Equal(Aborted, await Attempt("tx:w3", async () => await Call(other, "HSET", "tx:w3h", "f", "v").ContinueWith(_ => Call(other, "RENAME", "tx:w3h", "tx:w3")).Unwrap()));
        Assert.Equal(Ran, await Attempt("tx:w4", async () =>
        {
            Assert.Equal("+OK\r\n", await Call(c, "UNWATCH"));
            await Call(other, "SET", "tx:w4", "x");
        }));

        // UNWATCH queued inside MULTI answers OK in the array; the keys were checked before it runs.
        Assert.Equal("+OK\r\n", await Call(c, "WATCH", "tx:w7"));
        await Call(other, "SET", "tx:w7", "x");
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "UNWATCH"));
        Assert.Equal(Aborted, await Call(c, "EXEC"));
        Assert.Equal(Ran, await Attempt("tx:w7", async () =>
        {
            Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
            Assert.Equal("+QUEUED\r\n", await Call(c, "UNWATCH"));
            Assert.Equal("*1\r\n+OK\r\n", await Call(c, "EXEC"));
        }));

        // EXEC without MULTI keeps the WATCH; DISCARD drops it.
        Assert.Equal("+OK\r\n", await Call(c, "WATCH", "tx:w5"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", await Call(c, "EXEC"));
        await Call(other, "SET", "tx:w5", "x");
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal(Aborted, await Call(c, "EXEC"));
        Assert.Equal(Ran, await Attempt("tx:w5", async () =>
        {
            Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
            Assert.Equal("+OK\r\n", await Call(c, "DISCARD"));
            Assert.Equal("+OK\r\n", await Call(c, "WATCH", "tx:w5b"));
            await Call(other, "SET", "tx:w5", "y");
        }));

        // FLUSHALL changes a watched key that exists.
        await Call(other, "SET", "tx:w6", "x");
        Assert.Equal(Aborted, await Attempt("tx:w6", async () => await Call(other, "FLUSHALL")));
    }

    [Fact]
    public async Task A_watched_key_that_expires_before_exec_aborts_it()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SET", "tx:x1", "v", "PX", "200"));
        Assert.Equal("+OK\r\n", await Call(c, "WATCH", "tx:x1"));
        await Poll.UntilAsync(async () => await Call(c, "PTTL", "tx:x1") == ":-2\r\n", "the key never expired");
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:x2", "v"));
        Assert.Equal("*-1\r\n", await Call(c, "EXEC"));
    }

    [Fact]
    public async Task Stackexchange_transactions_with_conditions()
    {
        ITransaction tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists("tx:se:a"));
        Task<bool> set = tx.StringSetAsync("tx:se:a", "1");
        Task<long> incr = tx.StringIncrementAsync("tx:se:n");
        Task<RedisValue> get = tx.StringGetAsync("tx:se:a");
        Assert.True(await tx.ExecuteAsync());
        Assert.True(await set);
        Assert.Equal(1, await incr);
        Assert.Equal("1", (string?)await get);

        tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists("tx:se:a"));
        _ = tx.StringSetAsync("tx:se:a", "2");
        Assert.False(await tx.ExecuteAsync());
        Assert.Equal("1", (string?)Db.StringGet("tx:se:a"));

        Db.HashSet("tx:se:h", "f", "v");
        tx = Db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual("tx:se:a", "1"));
        tx.AddCondition(Condition.HashEqual("tx:se:h", "f", "v"));
        Task<bool> added = tx.SetAddAsync("tx:se:s", "m");
        Task<long> length = tx.HashLengthAsync("tx:se:h");
        Assert.True(await tx.ExecuteAsync());
        Assert.True(await added);
        Assert.Equal(1, await length);

        tx = Db.CreateTransaction();
        tx.AddCondition(Condition.HashEqual("tx:se:h", "f", "other"));
        _ = tx.SetAddAsync("tx:se:s", "n");
        Assert.False(await tx.ExecuteAsync());
        Assert.False(Db.SetContains("tx:se:s", "n"));
    }

    [Fact]
    public void Stackexchange_locks_take_extend_and_release()
    {
        Assert.True(Db.LockTake("tx:lock", "me", TimeSpan.FromMinutes(1)));
        Assert.False(Db.LockTake("tx:lock", "you", TimeSpan.FromMinutes(1)));
        Assert.True(Db.LockExtend("tx:lock", "me", TimeSpan.FromMinutes(2)));
        Assert.False(Db.LockExtend("tx:lock", "you", TimeSpan.FromMinutes(2)));
        Assert.False(Db.LockRelease("tx:lock", "you"));
        Assert.Equal("me", (string?)Db.LockQuery("tx:lock"));
        Assert.True(Db.LockRelease("tx:lock", "me"));
        Assert.False(Db.KeyExists("tx:lock"));
        Assert.True(Db.LockTake("tx:lock", "you", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Optimistic_increments_from_eight_clients_lose_no_update()
    {
        const int Clients = 8;
        const int Each = 15;
        async Task<int> Run()
        {
            using RawClient c = await RawClient.ConnectAsync(server.Port);
            int done = 0;
            int aborted = 0;
            while (done < Each)
            {
                Assert.Equal("+OK\r\n", await Call(c, "WATCH", "tx:counter"));
                string current = await Call(c, "GET", "tx:counter");
                long value = current == "$-1\r\n" ? 0 : long.Parse(current.Split("\r\n")[1], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
                Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "tx:counter", (value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                string reply = await Call(c, "EXEC");
                if (reply == "*1\r\n+OK\r\n")
                {
                    done++;
                }
                else
                {
                    Assert.Equal("*-1\r\n", reply);
                    aborted++;
                }
            }

            return aborted;
        }

        var tasks = new Task<int>[Clients];
        for (int i = 0; i < Clients; i++)
        {
            tasks[i] = Task.Run(Run);
        }

        await Task.WhenAll(tasks);
        Assert.Equal((Clients * Each).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)Db.StringGet("tx:counter"));
    }
}
