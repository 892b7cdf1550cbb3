namespace Kiwi.Server.Tests.Lists;

/// <summary>
/// BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP and CLIENT UNBLOCK over raw RESP: each blocked client is its own
/// connection; the tests wait for "blocked_clients" in INFO (polled with a deadline), never for a fixed time.
/// </summary>
public sealed class BlockingListTests(ServerFixture server) : RawBlockingTests(server), IClassFixture<ServerFixture>
{
    private static string Pair(string key, string value) => "*2\r\n" + Bulk(key) + Bulk(value);

    [Fact]
    public async Task Data_already_there_is_served_at_once_and_wrongtype_is_an_error()
    {
        await Call("RPUSH", "b:now2", "x", "y");
        Assert.Equal(Pair("b:now2", "x"), await Call("BLPOP", "b:now1", "b:now2", "0"));
        Assert.Equal(Pair("b:now2", "y"), await Call("BRPOP", "b:now2", "0"));
        await Call("SET", "b:str", "v");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", await Call("BLPOP", "b:none", "b:str", "0"));
        await Call("RPUSH", "b:m", "a", "b", "c");
        Assert.Equal("*2\r\n$3\r\nb:m\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n", await Call("BLMPOP", "0", "1", "b:m", "RIGHT", "COUNT", "2"));
        Assert.Equal(Bulk("a"), await Call("BLMOVE", "b:m", "b:m2", "LEFT", "RIGHT", "0"));
        Assert.Equal(Bulk("a"), await Call("BRPOPLPUSH", "b:m2", "b:m3", "0"));
    }

    [Theory]
    [InlineData("BLPOP b:t 0.01", "*-1\r\n", "_\r\n")]
    [InlineData("BRPOP b:t b:t2 0.01", "*-1\r\n", "_\r\n")]
    [InlineData("BLMOVE b:t b:d LEFT LEFT 0.01", "$-1\r\n", "_\r\n")]
    [InlineData("BRPOPLPUSH b:t b:d 0.01", "$-1\r\n", "_\r\n")]
    [InlineData("BLMPOP 0.01 1 b:t LEFT", "*-1\r\n", "_\r\n")]
    [InlineData("BLPOP b:t 0.0001", "*-1\r\n", "_\r\n")]
    public async Task A_timeout_replies_the_commands_null(string command, string resp2, string resp3)
    {
        using RawClient client = await Connect();
        Assert.Equal(resp2, await client.CallAsync(C(command.Split(' '))));
        await client.CallAsync(C("HELLO", "3"));
        Assert.Equal(resp3, await client.CallAsync(C(command.Split(' '))));
    }

    [Theory]
    [InlineData("BLPOP b:e -1", "-ERR timeout is negative\r\n")]
    [InlineData("BLPOP b:e inf", "-ERR timeout is negative\r\n")]
    [InlineData("BLPOP b:e 1e100", "-ERR timeout is negative\r\n")]
    [InlineData("BLPOP b:e x", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BLPOP b:e nan", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BRPOP b:e", "-ERR wrong number of arguments for 'brpop' command\r\n")]
    [InlineData("BLMOVE b:e b:f LEFT UP 0", "-ERR syntax error\r\n")]
    [InlineData("BLMOVE b:e b:f LEFT LEFT", "-ERR wrong number of arguments for 'blmove' command\r\n")]
    [InlineData("BRPOPLPUSH b:e b:f x", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BLMPOP x 1 b:e LEFT", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BLMPOP 0 0 b:e LEFT", "-ERR numkeys should be greater than 0\r\n")]
    [InlineData("BLMPOP 0 1 b:e LEFT COUNT 0", "-ERR count should be greater than 0\r\n")]
    [InlineData("BLMPOP 0 1 b:e", "-ERR wrong number of arguments for 'blmpop' command\r\n")]
    [InlineData("CLIENT UNBLOCK 1 MAYBE", "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n")]
    [InlineData("CLIENT UNBLOCK x", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("CLIENT UNBLOCK 999999", ":0\r\n")]
    public async Task Errors_match_redis(string command, string expected)
        => Assert.Equal(expected, await Call(command.Split(' ')));

    [Fact]
    public async Task Three_blocked_clients_are_served_in_the_order_they_blocked()
    {
        using RawClient first = await Blocked("BLPOP", "b:fair", "0");
        using RawClient second = await Blocked("BRPOP", "b:fair", "0");
        using RawClient third = await Blocked("BLPOP", "b:fair", "0");
        Assert.Equal(":3\r\n", await Call("RPUSH", "b:fair", "a", "b", "c"));
        Assert.Equal(Pair("b:fair", "a"), await first.ReadReplyAsync());
        Assert.Equal(Pair("b:fair", "c"), await second.ReadReplyAsync());
        Assert.Equal(Pair("b:fair", "b"), await third.ReadReplyAsync());
        Assert.Equal(":0\r\n", await Call("EXISTS", "b:fair"));
    }

    [Fact]
    public async Task One_element_serves_only_the_first_waiter_the_others_keep_their_place()
    {
        using RawClient first = await Blocked("BLPOP", "b:one", "0");
        using RawClient second = await Blocked("BLPOP", "b:one", "0");
        using RawClient third = await Blocked("BLPOP", "b:one", "0");
        int blocked = await BlockedClients();
        await Call("LPUSH", "b:one", "1");
        Assert.Equal(Pair("b:one", "1"), await first.ReadReplyAsync());
        await Poll.UntilAsync(async () => await BlockedClients() <= blocked - 1, "the first waiter was not unblocked");
        await Call("LPUSH", "b:one", "2");
        Assert.Equal(Pair("b:one", "2"), await second.ReadReplyAsync());
        await Call("LPUSH", "b:one", "3");
        Assert.Equal(Pair("b:one", "3"), await third.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_blocked_on_several_keys_is_served_by_the_key_that_gets_data()
    {
        using RawClient client = await Blocked("BLPOP", "b:k1", "b:k2", "b:k3", "0");
        await Call("RPUSH", "b:k2", "two");
        Assert.Equal(Pair("b:k2", "two"), await client.ReadReplyAsync());
        using RawClient multi = await Blocked("BLMPOP", "0", "2", "b:k4", "b:k5", "RIGHT", "COUNT", "5");
        await Call("RPUSH", "b:k5", "a", "b");
        Assert.Equal("*2\r\n$4\r\nb:k5\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n", await multi.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_blocked_on_several_keys_is_served_by_the_key_that_woke_it_as_redis_does()
    {
        using RawClient both = await Blocked("BLPOP", "b:pB", "b:pA", "0");
        using RawClient onlyA = await Blocked("BLPOP", "b:pA", "0");
        using (RawClient writer = await Connect())
        {
            // A gets an element first (waking the first in line on A), then B gets one; Redis serves the client
            // blocked on both from A, and the one blocked on A alone waits on.
            await writer.SendAsync(C("RPUSH", "b:pA", "x") + C("RPUSH", "b:pB", "y"));
            Assert.Equal(":1\r\n", await writer.ReadReplyAsync());
            Assert.Equal(":1\r\n", await writer.ReadReplyAsync());
        }

        Assert.Equal(Pair("b:pA", "x"), await both.ReadReplyAsync());
        Assert.Equal(":1\r\n", await Call("LLEN", "b:pB"));
        await Call("RPUSH", "b:pA", "z");
        Assert.Equal(Pair("b:pA", "z"), await onlyA.ReadReplyAsync());
    }

    [Fact]
    public async Task Blmove_chains_pass_an_element_along()
    {
        using RawClient last = await Blocked("BLPOP", "b:c3", "0");
        using RawClient middle = await Blocked("BLMOVE", "b:c2", "b:c3", "RIGHT", "LEFT", "0");
        using RawClient head = await Blocked("BRPOPLPUSH", "b:c1", "b:c2", "0");
        await Call("RPUSH", "b:c1", "hop");
        Assert.Equal(Bulk("hop"), await head.ReadReplyAsync());
        Assert.Equal(Bulk("hop"), await middle.ReadReplyAsync());
        Assert.Equal(Pair("b:c3", "hop"), await last.ReadReplyAsync());
        Assert.Equal("*0\r\n", await Call("KEYS", "b:c*"));
    }

    [Fact]
    public async Task A_key_of_another_type_keeps_the_client_blocked()
    {
        using RawClient client = await Blocked("BLPOP", "b:wt", "0");
        await Call("SADD", "b:wt", "m");
        await Call("DEL", "b:wt");
        await Call("RPUSH", "b:wt", "finally");
        Assert.Equal(Pair("b:wt", "finally"), await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Client_unblock_replies_a_timeout_or_the_unblocked_error()
    {
        using RawClient client = await Connect();
        string id = (await client.CallAsync(C("CLIENT", "ID"))).Trim(':', '\r', '\n');
        int before = await BlockedClients();
        await client.SendAsync(C("BLPOP", "b:unblock", "0"));
        await WaitBlocked(before + 1);
        Assert.Contains($"id={id} ", await Call("CLIENT", "LIST"));
        Assert.Matches($"id={id} [^\n]* flags=b ", await Call("CLIENT", "LIST"));
        Assert.Equal(":1\r\n", await Call("CLIENT", "UNBLOCK", id));
        Assert.Equal("*-1\r\n", await client.ReadReplyAsync());
        Assert.Equal(":0\r\n", await Call("CLIENT", "UNBLOCK", id));

        await client.SendAsync(C("BLMOVE", "b:unblock", "b:x", "LEFT", "LEFT", "0"));
        await WaitBlocked(before + 1);
        Assert.Equal(":1\r\n", await Call("CLIENT", "UNBLOCK", id, "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", await client.ReadReplyAsync());
        Assert.Equal("+PONG\r\n", await client.CallAsync(C("PING")));
    }

    [Fact]
    public async Task A_client_that_leaves_while_blocked_stops_waiting_and_takes_nothing()
    {
        int before = await BlockedClients();
        RawClient client = await Blocked("BLPOP", "b:gone", "0");
        client.Dispose();
        await Poll.UntilAsync(async () => await BlockedClients() <= before, "the closed client still counts as blocked");
        await Call("RPUSH", "b:gone", "kept");
        Assert.Equal(":1\r\n", await Call("LLEN", "b:gone"));
    }

    [Fact]
    public async Task Replies_before_a_blocking_command_are_sent_at_once_and_later_commands_wait()
    {
        using RawClient client = await Connect();
        int before = await BlockedClients();
        await client.SendAsync(C("SET", "b:p", "1") + C("BLPOP", "b:pipe", "0") + C("GET", "b:p"));
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        await WaitBlocked(before + 1);
        await Call("RPUSH", "b:pipe", "v");
        Assert.Equal(Pair("b:pipe", "v"), await client.ReadReplyAsync());
        Assert.Equal("$1\r\n1\r\n", await client.ReadReplyAsync());
    }
}
