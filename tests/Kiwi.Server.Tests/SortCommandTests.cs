namespace Kiwi.Server.Tests;

/// <summary>
/// SORT and SORT_RO over lists, sets and sorted sets, compared by hand with redis-server 7.0: the replies below are
/// the real server's, byte for byte.
/// </summary>
public sealed class SortCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Arr(params string?[] items)
    {
        var text = new System.Text.StringBuilder($"*{items.Length}\r\n");
        foreach (string? item in items)
        {
            text.Append(item is null ? "$-1\r\n" : $"${System.Text.Encoding.UTF8.GetByteCount(item)}\r\n{item}\r\n");
        }

        return text.ToString();
    }

    private async Task<string> Call(params string[] args)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        return await client.CallAsync(RawClient.Command(args));
    }

    private async Task<string> Sort(string args) => await Call(["SORT", .. args.Split(' ')]);

    [Fact]
    public async Task Numbers_sort_ascending_or_descending_with_equal_ones_by_their_bytes_and_limit()
    {
        await Call("RPUSH", "so:n", "3", "1", "2", "10", "1.5", "-1", "2", "3", "01", "1.0");
        Assert.Equal(Arr("-1", "01", "1", "1.0", "1.5", "2", "2", "3", "3", "10"), await Sort("so:n"));
        Assert.Equal(Arr("10", "3", "3", "2", "2", "1.5", "1.0", "1", "01", "-1"), await Sort("so:n DESC"));
        Assert.Equal(Arr("01", "1", "1.0"), await Sort("so:n LIMIT 1 3"));
        Assert.Equal(Arr("-1", "01"), await Sort("so:n LIMIT -5 2"));
        Assert.Equal(Arr("3", "10"), await Sort("so:n LIMIT 8 -1"));
        Assert.Equal("*0\r\n", await Sort("so:n LIMIT 100 2"));
        Assert.Equal("*0\r\n", await Sort("so:n LIMIT 0 0"));
        Assert.Equal("*0\r\n", await Sort("so:missing"));
        await Call("RPUSH", "so:bad", "1", "x", "2");
        Assert.Equal("-ERR One or more scores can't be converted into double\r\n", await Sort("so:bad"));
        Assert.Equal(Arr("1", "2", "x"), await Sort("so:bad ALPHA"));
    }

    [Fact]
    public async Task Alpha_compares_bytes()
    {
        await Call("RPUSH", "so:a", "b", "B", "a", "A", "_x", "ab", "10", "9");
        Assert.Equal(Arr("10", "9", "A", "B", "_x", "a", "ab", "b"), await Sort("so:a ALPHA"));
        Assert.Equal(Arr("b", "ab", "a"), await Sort("so:a ALPHA DESC LIMIT 0 3"));
    }

    [Fact]
    public async Task By_a_constant_keeps_a_list_or_a_sorted_set_in_its_order()
    {
        await Call("RPUSH", "so:l", "c", "a", "b", "d");
        Assert.Equal(Arr("c", "a", "b", "d"), await Sort("so:l BY nosort"));
        Assert.Equal(Arr("b", "a"), await Sort("so:l BY nosort DESC LIMIT 1 2"));
        await Call("ZADD", "so:z", "1", "c", "2", "b", "3", "a", "0", "d");
        Assert.Equal(Arr("d", "c", "b", "a"), await Sort("so:z BY nosort"));
        Assert.Equal(Arr("b", "c"), await Sort("so:z BY nosort DESC LIMIT 1 2"));
        Assert.Equal(Arr("a", "b", "c", "d"), await Sort("so:z ALPHA"));
    }

    [Fact]
    public async Task By_and_get_patterns_read_strings_and_hash_fields()
    {
        await Call("RPUSH", "so:p", "1", "2", "3");
        await Call("MSET", "so:w_1", "30", "so:w_2", "10", "so:w_3", "20");
        await Call("HSET", "so:h_1", "f", "5", "g", "one");
        await Call("HSET", "so:h_3", "f", "7");
        Assert.Equal(Arr("2", "3", "1"), await Sort("so:p BY so:w_*"));
        Assert.Equal(Arr("1", "30", "3", "20"), await Sort("so:p BY so:w_* DESC LIMIT 0 2 GET # GET so:w_*"));
        Assert.Equal(Arr("2", "1", "3"), await Sort("so:p BY so:h_*->f"));
        Assert.Equal(Arr(null, "2", "one", "1", null, "3"), await Sort("so:p BY so:h_*->f GET so:h_*->g GET #"));
        Assert.Equal(Arr(null, null, null), await Sort("so:p GET nostar"));
        Assert.Equal(Arr("1", "2", "3"), await Sort("so:p BY so:h_*->g ALPHA DESC"));
    }

    [Fact]
    public async Task Store_writes_a_list_replacing_the_destination_and_an_empty_result_deletes_it()
    {
        await Call("RPUSH", "so:s", "3", "1", "2");
        await Call("SET", "so:dst", "old", "EX", "100");
        Assert.Equal(":3\r\n", await Sort("so:s DESC STORE so:dst"));
        Assert.Equal("+list\r\n", await Call("TYPE", "so:dst"));
        Assert.Equal(":-1\r\n", await Call("TTL", "so:dst"));
        Assert.Equal(Arr("3", "2", "1"), await Call("LRANGE", "so:dst", "0", "-1"));
        Assert.Equal(":3\r\n", await Sort("so:s GET so:nothing_* STORE so:dst"));
        Assert.Equal(Arr("", "", ""), await Call("LRANGE", "so:dst", "0", "-1"));
        Assert.Equal(":1\r\n", await Sort("so:s LIMIT 0 1 STORE so:s"));
        Assert.Equal(Arr("1"), await Call("LRANGE", "so:s", "0", "-1"));
        Assert.Equal(":0\r\n", await Sort("so:none STORE so:dst"));
        Assert.Equal(":0\r\n", await Call("EXISTS", "so:dst"));

        // A set has no order: BY a constant with STORE sorts it ALPHA, as Redis does.
        await Call("SADD", "so:set", "b", "10", "a", "9");
        Assert.Equal(":4\r\n", await Sort("so:set BY nosort STORE so:dst"));
        Assert.Equal(Arr("10", "9", "a", "b"), await Call("LRANGE", "so:dst", "0", "-1"));
        Assert.Equal("-ERR One or more scores can't be converted into double\r\n", await Sort("so:set STORE so:dst"));
    }

    [Fact]
    public async Task Store_wakes_a_blocked_list_pop()
    {
        await Call("RPUSH", "so:wake_src", "2", "1");
        using RawClient blocked = await RawClient.ConnectAsync(server.Port);
        Task<string> waiting = blocked.CallAsync(RawClient.Command("BLPOP", "so:wake", "5"));
        await Poll.UntilAsync(async () => (await Call("INFO", "clients")).Contains("blocked_clients:1", StringComparison.Ordinal), "the client did not block");
        Assert.Equal(":2\r\n", await Sort("so:wake_src STORE so:wake"));
        Assert.Equal(Arr("so:wake", "1"), await waiting);
    }

    [Theory]
    [InlineData("SORT so:str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")]
    [InlineData("SORT so:hash", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")]
    [InlineData("SORT so:str STORE so:x", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")]
    [InlineData("SORT so:e foo", "-ERR syntax error\r\n")]
    [InlineData("SORT so:e LIMIT 1", "-ERR syntax error\r\n")]
    [InlineData("SORT so:e LIMIT x 1", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("SORT so:e STORE", "-ERR syntax error\r\n")]
    [InlineData("SORT_RO so:e STORE so:x", "-ERR syntax error\r\n")]
    [InlineData("SORT", "-ERR wrong number of arguments for 'sort' command\r\n")]
    [InlineData("SORT_RO so:e DESC", "*0\r\n")]
    public async Task Errors_match_redis(string command, string expected)
    {
        await Call("SET", "so:str", "v");
        await Call("HSET", "so:hash", "a", "b");
        Assert.Equal(expected, await Call(command.Split(' ')));
    }

    [Fact]
    public async Task Resp3_replies_missing_get_values_as_null()
    {
        await Call("RPUSH", "so:r3", "1");
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        await client.CallAsync(RawClient.Command("HELLO", "3"));
        Assert.Equal("*2\r\n$1\r\n1\r\n_\r\n", await client.CallAsync(RawClient.Command("SORT", "so:r3", "GET", "#", "GET", "so:none_*")));
    }
}
