using System.Text;

namespace Kiwi.Server.Tests;

/// <summary>
/// Commands larger than the input pipe's 1 MB window are moved out of it by the session; they must work alone,
/// pipelined between small commands, and split across many writes, with replies in order.
/// </summary>
public sealed class LargeCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Large_values_pipelined_between_small_commands_keep_their_order()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string big = new('b', 3 * 1024 * 1024);
        string bigger = new('c', 5 * 1024 * 1024);
        var pipeline = new StringBuilder()
            .Append("SET lc:small 1\r\n")
            .Append($"*3\r\n$3\r\nSET\r\n$6\r\nlc:big\r\n${big.Length}\r\n{big}\r\n")
            .Append("INCR lc:small\r\n")
            .Append($"*3\r\n$3\r\nSET\r\n$9\r\nlc:bigger\r\n${bigger.Length}\r\n{bigger}\r\n")
            .Append("STRLEN lc:big\r\n")
            .Append("GET lc:small\r\n")
            .Append("STRLEN lc:bigger\r\n");
        await client.SendAsync(pipeline.ToString());

        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal(":2\r\n", await client.ReadReplyAsync());
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal($":{big.Length}\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\n2\r\n", await client.ReadReplyAsync());
        Assert.Equal($":{bigger.Length}\r\n", await client.ReadReplyAsync());

        string reply = await client.CallAsync("GET lc:bigger\r\n");
        Assert.Equal($"${bigger.Length}\r\n{bigger}\r\n", reply);
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task A_large_value_sent_in_small_pieces_is_assembled()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string value = new('x', 2 * 1024 * 1024);
        byte[] command = Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$8\r\nlc:piece\r\n${value.Length}\r\n{value}\r\nSTRLEN lc:piece\r\n");
        for (int offset = 0; offset < command.Length; offset += 100_000)
        {
            await client.SendAsync(command.AsMemory(offset, Math.Min(100_000, command.Length - offset)));
        }

        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal($":{value.Length}\r\n", await client.ReadReplyAsync());
    }
}
