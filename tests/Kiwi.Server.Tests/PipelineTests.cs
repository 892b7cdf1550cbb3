using System.Text;

namespace Kiwi.Server.Tests;

/// <summary>Inline commands, pipelining, split and large requests, RESP3 and QUIT over a raw socket.</summary>
public sealed class PipelineTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Inline_commands_work_with_quoted_arguments()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SET pl:inline \"b c\"\r\n"));
        Assert.Equal("$3\r\nb c\r\n", await client.CallAsync("GET pl:inline\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("set pl:hex \"\\x41\\n\"\r\n"));
        Assert.Equal("$2\r\nA\n\r\n", await client.CallAsync("get pl:hex\r\n"));
    }

    [Fact]
    public async Task Getex_without_options_after_a_pipelined_set_sees_it_and_replies_after_it()
    {
        // GETEX with only its key is a plain read; it used to run before the client's queued SET was applied,
        // answering the old value ahead of the SET's +OK.
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        for (int i = 0; i < 10; i++)
        {
            await client.SendAsync($"SET pl:getex v{i}\r\nGETEX pl:getex\r\nGETEX pl:getex PERSIST\r\n");
            Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
            Assert.Equal($"$2\r\nv{i}\r\n", await client.ReadReplyAsync());
            Assert.Equal($"$2\r\nv{i}\r\n", await client.ReadReplyAsync());
        }
    }

    [Fact]
    public async Task Hundred_pipelined_commands_get_hundred_replies_in_order()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        var request = new StringBuilder();
        var expected = new List<string>();
        for (int i = 0; i < 50; i++)
        {
            // Each GET follows the SET of the same key in the same write: it must see that write.
            request.Append($"*3\r\n$3\r\nSET\r\n${$"pl:n{i}".Length}\r\npl:n{i}\r\n${i.ToString().Length}\r\n{i}\r\n");
            request.Append($"GET pl:n{i}\r\n");
            expected.Add("+OK\r\n");
            expected.Add($"${i.ToString().Length}\r\n{i}\r\n");
        }

        await client.SendAsync(request.ToString());

        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], await client.ReadReplyAsync());
        }

        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task An_error_in_the_middle_of_pipelined_writes_keeps_reply_order()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET pl:abc abc\r\n"));

        await client.SendAsync("SET pl:a 1\r\nINCR pl:abc\r\nSET pl:b 2\r\nGET pl:b\r\nINCR pl:a\r\nSET pl:c 3 EX 0\r\nGET pl:a\r\n");

        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.ReadReplyAsync());
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\n2\r\n", await client.ReadReplyAsync());
        Assert.Equal(":2\r\n", await client.ReadReplyAsync());
        Assert.Equal("-ERR invalid expire time in 'set' command\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\n2\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_command_sent_byte_by_byte_works()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        byte[] request = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$8\r\npl:split\r\n$11\r\nhello world\r\nGET pl:split\r\n");

        for (int i = 0; i < request.Length; i++)
        {
            await client.SendAsync(request.AsMemory(i, 1));
        }

        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("$11\r\nhello world\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_ten_megabyte_value_round_trips()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        byte[] value = new byte[10 * 1024 * 1024];
        for (int i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }

        byte[] header = Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$8\r\npl:large\r\n${value.Length}\r\n");
        await client.SendAsync(header);
        await client.SendAsync(value);
        await client.SendAsync("\r\n"u8.ToArray());
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());

        string reply = await client.CallAsync("GET pl:large\r\n");
        string prefix = $"${value.Length}\r\n";
        Assert.StartsWith(prefix, reply, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + value.Length + 2, reply.Length);
        Assert.True(value.AsSpan().SequenceEqual(Encoding.Latin1.GetBytes(reply.Substring(prefix.Length, value.Length))), "the value read back differs");
        Assert.Equal($":{value.Length}\r\n", await client.CallAsync("STRLEN pl:large\r\n"));
    }

    [Fact]
    public async Task Hello_3_switches_replies_to_resp3()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("$-1\r\n", await client.CallAsync("GET pl:missing3\r\n"));

        string hello = await client.CallAsync("HELLO 3\r\n");

        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n", hello, StringComparison.Ordinal);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello, StringComparison.Ordinal);
        Assert.Equal("_\r\n", await client.CallAsync("GET pl:missing3\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SET pl:f 1.5\r\n"));
        Assert.Equal("$1\r\n3\r\n", await client.CallAsync("INCRBYFLOAT pl:f 1.5\r\n"));
        Assert.Equal("*2\r\n$1\r\n3\r\n_\r\n", await client.CallAsync("MGET pl:f pl:missing3\r\n"));
        Assert.Equal("%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n", await client.CallAsync("CONFIG GET maxclients\r\n"));
        Assert.StartsWith("*14\r\n$6\r\nserver\r\n", await client.CallAsync("HELLO 2\r\n"), StringComparison.Ordinal);
        Assert.Equal("$-1\r\n", await client.CallAsync("GET pl:missing3\r\n"));
        Assert.Equal("*2\r\n$1\r\n3\r\n$-1\r\n", await client.CallAsync("MGET pl:f pl:missing3\r\n"));
    }

    [Fact]
    public async Task Quit_replies_ok_and_the_server_closes_the_connection()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        await client.SendAsync("QUIT\r\nPING\r\n");

        Assert.Equal("+OK\r\n", await client.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Empty_and_null_multibulks_are_skipped()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        await client.SendAsync("*0\r\n*-1\r\n\r\n   \r\nPING\r\n");

        Assert.Equal("+PONG\r\n", await client.ReadReplyAsync());
    }
}
