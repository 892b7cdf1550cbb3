namespace Kiwi.Server.Tests;

/// <summary>Bad input over a raw socket: Redis's exact error texts, and protocol errors close only the offender.</summary>
public sealed class ProtocolErrorTests(SmallBulkServerFixture server) : IClassFixture<SmallBulkServerFixture>
{
    [Theory]
    [InlineData("foo a b\r\n", "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n")]
    [InlineData("*3\r\n$3\r\nfoo\r\n$1\r\na\r\n$1\r\nb\r\n", "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n")]
    [InlineData("*1\r\n$6\r\nnosuch\r\n", "-ERR unknown command 'nosuch', with args beginning with: \r\n")]
    [InlineData("GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n")]
    [InlineData("SET pe:k\r\n", "-ERR wrong number of arguments for 'set' command\r\n")]
    [InlineData("*2\r\n$6\r\ngetset\r\n$4\r\npe:k\r\n", "-ERR wrong number of arguments for 'getset' command\r\n")]
    [InlineData("expire pe:k\r\n", "-ERR wrong number of arguments for 'expire' command\r\n")]
    [InlineData("INCRBY pe:k x\r\n", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("EXPIRE pe:k abc\r\n", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("SET pe:k v EX abc\r\n", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("SET pe:k v NX XX\r\n", "-ERR syntax error\r\n")]
    [InlineData("SET pe:k v EX 0\r\n", "-ERR invalid expire time in 'set' command\r\n")]
    [InlineData("SET pe:k v PX -5\r\n", "-ERR invalid expire time in 'set' command\r\n")]
    [InlineData("SET pe:k v EX 9999999999999999\r\n", "-ERR invalid expire time in 'set' command\r\n")]
    public async Task Bad_commands_get_redis_error_texts_and_the_connection_stays_open(string request, string expected)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal(expected, await client.CallAsync(request));
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
    }

    [Theory]
    [InlineData("*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n+foo\r\n", "-ERR Protocol error: expected '$', got '+'\r\n")]
    [InlineData("SET \"a b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n")]
    [InlineData("*1\r\n$2000\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    public async Task Malformed_resp_is_a_protocol_error_that_closes_only_that_connection(string request, string expected)
    {
        using RawClient bystander = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await bystander.CallAsync("SET pe:bystander before\r\n"));
        using RawClient offender = await RawClient.ConnectAsync(server.Port);

        await offender.SendAsync(request);

        Assert.Equal(expected, await offender.ReadUntilClosedAsync());
        Assert.Equal("$6\r\nbefore\r\n", await bystander.CallAsync("GET pe:bystander\r\n"));
        Assert.Equal("+PONG\r\n", await bystander.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task A_protocol_error_after_pipelined_commands_comes_after_their_replies()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        await client.SendAsync("SET pe:p1 a\r\nGET pe:p1\r\nINCR pe:p2\r\n*1\r\n$x\r\nPING\r\n");

        Assert.Equal("+OK\r\n$1\r\na\r\n:1\r\n-ERR Protocol error: invalid bulk length\r\n", await client.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task A_bulk_up_to_proto_max_bulk_len_is_accepted()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string value = new('v', 1024);

        Assert.Equal("+OK\r\n", await client.CallAsync($"*3\r\n$3\r\nSET\r\n$7\r\npe:max1\r\n$1024\r\n{value}\r\n"));
        Assert.Equal($"$1024\r\n{value}\r\n", await client.CallAsync("GET pe:max1\r\n"));
    }
}
