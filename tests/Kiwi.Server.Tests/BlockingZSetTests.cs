namespace Kiwi.Server.Tests;

/// <summary>
/// BZPOPMIN, BZPOPMAX and BZMPOP over raw RESP (replies and error texts as redis-server 7.0 gives them): each blocked
/// client is its own connection, and the tests wait for "blocked_clients" in INFO, never for a fixed time.
/// </summary>
public sealed class BlockingZSetTests(ServerFixture server) : RawBlockingTests(server), IClassFixture<ServerFixture>
{
    private static string Triple(string key, string member, string score) => "*3\r\n" + Bulk(key) + Bulk(member) + Bulk(score);

    [Fact]
    public async Task Data_already_there_is_served_at_once_from_the_first_key_with_data()
    {
        await Call("ZADD", "bz:now2", "1", "a", "2", "b", "3", "c");
        Assert.Equal(Triple("bz:now2", "a", "1"), await Call("BZPOPMIN", "bz:now1", "bz:now2", "0"));
        Assert.Equal(Triple("bz:now2", "c", "3"), await Call("BZPOPMAX", "bz:now1", "bz:now2", "0"));
        await Call("ZADD", "bz:now1", "5", "x", "6", "y");
        Assert.Equal("*2\r\n$7\r\nbz:now1\r\n*2\r\n*2\r\n$1\r\ny\r\n$1\r\n6\r\n*2\r\n$1\r\nx\r\n$1\r\n5\r\n", await Call("BZMPOP", "0", "2", "bz:now1", "bz:now2", "MAX", "COUNT", "5"));
        Assert.Equal("*2\r\n$7\r\nbz:now2\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", await Call("BZMPOP", "0", "2", "bz:now1", "bz:now2", "MIN"));
        Assert.Equal(":0\r\n", await Call("EXISTS", "bz:now1", "bz:now2"));
    }

    [Fact]
    public async Task Resp3_replies_the_score_as_a_double()
    {
        await Call("ZADD", "bz:r3", "1.5", "a", "2", "b", "3", "c");
        using RawClient client = await Connect();
        await client.CallAsync(C("HELLO", "3"));
        Assert.Equal("*3\r\n$5\r\nbz:r3\r\n$1\r\na\r\n,1.5\r\n", await client.CallAsync(C("BZPOPMIN", "bz:r3", "0")));
        Assert.Equal("*2\r\n$5\r\nbz:r3\r\n*2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n", await client.CallAsync(C("BZMPOP", "0", "1", "bz:r3", "MAX", "COUNT", "3")));
    }

    [Fact]
    public async Task A_wrong_type_is_an_error_at_first_and_keeps_a_blocked_client_waiting_later()
    {
        await Call("SET", "bz:str", "v");
        const string wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        Assert.Equal(wrongType, await Call("BZPOPMIN", "bz:none", "bz:str", "0"));
        Assert.Equal(wrongType, await Call("BZMPOP", "0", "2", "bz:none", "bz:str", "MIN"));
        using RawClient client = await Blocked("BZPOPMAX", "bz:wt", "0");
        await Call("SADD", "bz:wt", "m");
        await Call("DEL", "bz:wt");
        await Call("ZADD", "bz:wt", "7", "finally");
        Assert.Equal(Triple("bz:wt", "finally", "7"), await client.ReadReplyAsync());
    }

    [Theory]
    [InlineData("BZPOPMIN bz:t 0.01")]
    [InlineData("BZPOPMAX bz:t bz:t2 0.01")]
    [InlineData("BZMPOP 0.01 1 bz:t MIN")]
    public async Task A_timeout_replies_a_null_array(string command)
    {
        using RawClient client = await Connect();
        Assert.Equal("*-1\r\n", await client.CallAsync(C(command.Split(' '))));
        await client.CallAsync(C("HELLO", "3"));
        Assert.Equal("_\r\n", await client.CallAsync(C(command.Split(' '))));
    }

    [Theory]
    [InlineData("BZPOPMIN bz:e -1", "-ERR timeout is negative\r\n")]
    [InlineData("BZPOPMAX bz:e inf", "-ERR timeout is negative\r\n")]
    [InlineData("BZPOPMIN bz:e x", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BZPOPMIN bz:e", "-ERR wrong number of arguments for 'bzpopmin' command\r\n")]
    [InlineData("BZMPOP x 1 bz:e MIN", "-ERR timeout is not a float or out of range\r\n")]
    [InlineData("BZMPOP -1 1 bz:e MIN", "-ERR timeout is negative\r\n")]
    [InlineData("BZMPOP 0 0 bz:e MIN", "-ERR numkeys should be greater than 0\r\n")]
    [InlineData("BZMPOP 0 1 bz:e MIN COUNT 0", "-ERR count should be greater than 0\r\n")]
    [InlineData("BZMPOP 0 1 bz:e UP", "-ERR syntax error\r\n")]
    [InlineData("BZMPOP 0 1 bz:e MIN COUNT 1 COUNT 1", "-ERR syntax error\r\n")]
    [InlineData("BZMPOP 0 1 bz:e", "-ERR wrong number of arguments for 'bzmpop' command\r\n")]
    public async Task Errors_match_redis(string command, string expected)
        => Assert.Equal(expected, await Call(command.Split(' ')));

    [Fact]
    public async Task Zadd_wakes_the_blocked_clients_in_the_order_they_blocked()
    {
        using RawClient first = await Blocked("BZPOPMIN", "bz:fair", "0");
        using RawClient second = await Blocked("BZPOPMAX", "bz:fair", "0");
        using RawClient third = await Blocked("BZMPOP", "0", "1", "bz:fair", "MIN", "COUNT", "10");
        Assert.Equal(":4\r\n", await Call("ZADD", "bz:fair", "3", "c", "1", "a", "4", "d", "2", "b"));
        Assert.Equal(Triple("bz:fair", "a", "1"), await first.ReadReplyAsync());
        Assert.Equal(Triple("bz:fair", "d", "4"), await second.ReadReplyAsync());
        Assert.Equal("*2\r\n$7\r\nbz:fair\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", await third.ReadReplyAsync());
        Assert.Equal(":0\r\n", await Call("EXISTS", "bz:fair"));
    }

    [Fact]
    public async Task A_client_blocked_on_several_keys_is_served_by_the_key_that_gets_data()
    {
        using RawClient client = await Blocked("BZPOPMIN", "bz:k1", "bz:k2", "bz:k3", "0");
        await Call("ZADD", "bz:k2", "9", "two");
        Assert.Equal(Triple("bz:k2", "two", "9"), await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Zincrby_and_the_store_commands_wake_blocked_clients()
    {
        using RawClient incr = await Blocked("BZPOPMIN", "bz:incr", "0");
        await Call("ZINCRBY", "bz:incr", "2.5", "m");
        Assert.Equal(Triple("bz:incr", "m", "2.5"), await incr.ReadReplyAsync());

        await Call("ZADD", "bz:src", "1", "a", "2", "b");
        using RawClient union = await Blocked("BZPOPMAX", "bz:union", "0");
        await Call("ZUNIONSTORE", "bz:union", "1", "bz:src");
        Assert.Equal(Triple("bz:union", "b", "2"), await union.ReadReplyAsync());

        using RawClient range = await Blocked("BZPOPMIN", "bz:range", "0");
        await Call("ZRANGESTORE", "bz:range", "bz:src", "0", "-1");
        Assert.Equal(Triple("bz:range", "a", "1"), await range.ReadReplyAsync());
    }
}
