using System.Globalization;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>CLIENT's subcommands as Redis 7 answers them: LIST and KILL filters, REPLY, PAUSE, the probes, the errors.</summary>
public sealed class ClientCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Client_list_has_redis_fields_and_filters_by_type_and_id()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);
        string id = (await client.CallAsync("CLIENT ID\r\n"))[1..^2];
        string otherId = (await other.CallAsync("CLIENT ID\r\n"))[1..^2];

        string reply = await client.CallAsync($"CLIENT LIST ID {id}\r\n");
        string mine = reply[(reply.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        foreach (string field in new[] { "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp" })
        {
            Assert.Contains($" {field}=", " " + mine, StringComparison.Ordinal);
        }

        Assert.Contains($"id={id} ", mine, StringComparison.Ordinal);
        Assert.DoesNotContain($"id={otherId} ", mine, StringComparison.Ordinal);
        string both = await client.CallAsync($"CLIENT LIST ID {id} {otherId}\r\n");
        Assert.Contains($"id={otherId} ", both, StringComparison.Ordinal);
        Assert.Contains($"id={id} ", await client.CallAsync("CLIENT LIST TYPE normal\r\n"), StringComparison.Ordinal);
        Assert.Equal("$0\r\n\r\n", await client.CallAsync("CLIENT LIST TYPE pubsub\r\n"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", await client.CallAsync("CLIENT LIST TYPE foo\r\n"));
        Assert.Equal("-ERR Invalid client ID\r\n", await client.CallAsync("CLIENT LIST ID x\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("CLIENT LIST foo\r\n"));

        ClientInfo[] listed = await server.Redis.GetServer("127.0.0.1", server.Port).ClientListAsync();
        Assert.Contains(listed, c => c.Id == long.Parse(id, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Client_kill_filters_and_its_errors()
    {
        using RawClient killer = await RawClient.ConnectAsync(server.Port);
        using RawClient victim = await RawClient.ConnectAsync(server.Port);
        string info = await victim.CallAsync("CLIENT INFO\r\n");
        string laddr = System.Text.RegularExpressions.Regex.Match(info, " laddr=([^ ]+) ").Groups[1].Value;
        string addr = System.Text.RegularExpressions.Regex.Match(info, " addr=([^ ]+) ").Groups[1].Value;
        string id = System.Text.RegularExpressions.Regex.Match(info, "id=([0-9]+) ").Groups[1].Value;

        Assert.Equal("-ERR No such client\r\n", await killer.CallAsync("CLIENT KILL 1.2.3.4:5\r\n"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", await killer.CallAsync("CLIENT KILL ID 0\r\n"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", await killer.CallAsync("CLIENT KILL ID x\r\n"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", await killer.CallAsync("CLIENT KILL TYPE foo\r\n"));
        Assert.Equal("-ERR No such user 'nobody'\r\n", await killer.CallAsync("CLIENT KILL USER nobody\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await killer.CallAsync("CLIENT KILL SKIPME maybe\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await killer.CallAsync($"CLIENT KILL ID {id} SKIPME\r\n"));
        Assert.Equal(":0\r\n", await killer.CallAsync("CLIENT KILL LADDR 1.1.1.1:1\r\n"));

        // Filters combine: the victim's address, local address, user and type all match it, and only it.
        Assert.Equal(":1\r\n", await killer.CallAsync($"CLIENT KILL ADDR {addr} LADDR {laddr} USER default TYPE normal\r\n"));
        Assert.Equal(string.Empty, await victim.ReadUntilClosedAsync());
        Assert.Equal("+PONG\r\n", await killer.CallAsync("PING\r\n"));

        // SKIPME no: the caller is killed too, after its reply.
        string self = (await killer.CallAsync("CLIENT ID\r\n"))[1..^2];
        Assert.Equal(":1\r\n", await killer.CallAsync($"CLIENT KILL ID {self} SKIPME no\r\n"));
        Assert.Equal(string.Empty, await killer.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Client_reply_off_skip_and_on()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        // OFF: nothing comes back, writes included, until ON, whose +OK is the first reply.
        await client.SendAsync("CLIENT REPLY OFF\r\nSET cr:k 1\r\nGET cr:k\r\nNOSUCHCMD\r\nCLIENT REPLY ON\r\nGET cr:k\r\n");
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\n1\r\n", await client.ReadReplyAsync());

        // SKIP: no reply to it nor to the next command.
        await client.SendAsync("CLIENT REPLY SKIP\r\nSET cr:k 2\r\nGET cr:k\r\n");
        Assert.Equal("$1\r\n2\r\n", await client.ReadReplyAsync());
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("CLIENT REPLY maybe\r\n"));
    }

    [Fact]
    public async Task Client_probes_and_errors_use_redis_texts()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("*6\r\n$5\r\nflags\r\n*1\r\n+off\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n", await client.CallAsync("CLIENT TRACKINGINFO\r\n"));
        Assert.Equal(":-1\r\n", await client.CallAsync("CLIENT GETREDIR\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT NO-EVICT on\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT NO-TOUCH off\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("CLIENT NO-EVICT maybe\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT SETINFO lib-name StackExchange.Redis\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT SETINFO LIB-VER 3.4\r\n"));
        Assert.Contains("lib-name=StackExchange.Redis lib-ver=3.4", await client.CallAsync("CLIENT INFO\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR Unrecognized option 'lib-x'\r\n", await client.CallAsync("CLIENT SETINFO lib-x 1\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", await client.CallAsync("CLIENT foo\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'client|getname' command\r\n", await client.CallAsync("CLIENT GETNAME x\r\n"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", await client.CallAsync("CLIENT PAUSE x\r\n"));
        Assert.Equal("-ERR timeout is negative\r\n", await client.CallAsync("CLIENT PAUSE -1\r\n"));
        Assert.Equal("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", await client.CallAsync("CLIENT PAUSE 10 foo\r\n"));
        Assert.StartsWith("*", await client.CallAsync("CLIENT HELP\r\n"), StringComparison.Ordinal);
        Assert.Contains("+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n", await client.CallAsync("CLIENT HELP\r\n"), StringComparison.Ordinal);
    }
}

/// <summary>CLIENT PAUSE holds commands (not refuses them) until UNPAUSE; on a server of its own, as it stops every client.</summary>
public sealed class ClientPauseTests
{
    [Fact]
    public async Task Pause_write_holds_writes_not_reads_until_unpause()
    {
        using TestServer server = TestServer.Start();
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        using RawClient writer = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await admin.CallAsync("SET p:k old\r\n"));

        Assert.Equal("+OK\r\n", await admin.CallAsync("CLIENT PAUSE 100000 WRITE\r\n"));
        Task<string> held = writer.CallAsync("SET p:k new\r\n");
        Assert.Equal("$3\r\nold\r\n", await admin.CallAsync("GET p:k\r\n"));
        Assert.False(held.IsCompleted);

        Assert.Equal("+OK\r\n", await admin.CallAsync("CLIENT UNPAUSE\r\n"));
        Assert.Equal("+OK\r\n", await held);
        Assert.Equal("$3\r\nnew\r\n", await admin.CallAsync("GET p:k\r\n"));
    }

    [Fact]
    public async Task Pause_all_holds_reads_until_its_timeout()
    {
        using TestServer server = TestServer.Start();
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        using RawClient reader = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("+OK\r\n", await admin.CallAsync("CLIENT PAUSE 300 ALL\r\n"));
        Assert.Equal("+PONG\r\n", await reader.CallAsync("PING\r\n"));
        Assert.Equal("$-1\r\n", await reader.CallAsync("GET p:none\r\n"));
    }
}
