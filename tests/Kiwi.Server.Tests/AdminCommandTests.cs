using System.Globalization;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>CLIENT, CONFIG, INFO and COMMAND: what clients and operators probe.</summary>
public sealed class AdminCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Config_set_errors_use_redis_wording()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n", await client.CallAsync("CONFIG SET nosuch 1\r\n"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer\r\n", await client.CallAsync("CONFIG SET maxclients lots\r\n"));
    }

    [Fact]
    public async Task Client_id_is_an_integer_and_client_list_shows_named_clients()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string id = await client.CallAsync("CLIENT ID\r\n");
        Assert.Matches("^:[1-9][0-9]*\r\n$", id);

        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT SETNAME ad-listed\r\n"));
        Assert.Equal("$9\r\nad-listed\r\n", await client.CallAsync("CLIENT GETNAME\r\n"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", await client.CallAsync("CLIENT SETNAME \"a b\"\r\n"));

        IServer admin = server.Redis.GetServer("127.0.0.1", server.Port);
        ClientInfo[] clients = await admin.ClientListAsync();
        ClientInfo listed = Assert.Single(clients, c => c.Name == "ad-listed");
        Assert.Equal(long.Parse(id[1..^2], CultureInfo.InvariantCulture), listed.Id);
        Assert.Contains("name=ad-listed", await client.CallAsync("CLIENT INFO\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_kill_id_closes_that_connection()
    {
        using RawClient victim = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);
        string id = (await victim.CallAsync("CLIENT ID\r\n"))[1..^2];

        Assert.Equal(":1\r\n", await other.CallAsync($"CLIENT KILL ID {id}\r\n"));

        Assert.Equal(string.Empty, await victim.ReadUntilClosedAsync());
        Assert.Equal(":0\r\n", await other.CallAsync($"CLIENT KILL ID {id}\r\n"));
        Assert.Equal("+PONG\r\n", await other.CallAsync("PING\r\n"));
        Assert.DoesNotContain($"id={id} ", await other.CallAsync("CLIENT LIST\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_get_and_set()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string port = server.Port.ToString(CultureInfo.InvariantCulture);

        Assert.Equal($"*2\r\n$4\r\nport\r\n${port.Length}\r\n{port}\r\n", await client.CallAsync("CONFIG GET port\r\n"));
        Assert.Equal("*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n", await client.CallAsync("CONFIG GET maxclients\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET maxclients 100\r\n"));
        Assert.Equal("*2\r\n$10\r\nmaxclients\r\n$3\r\n100\r\n", await client.CallAsync("CONFIG GET maxclients\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("CONFIG GET no-such-setting\r\n"));
        Assert.StartsWith("*4\r\n", await client.CallAsync("CONFIG GET maxclients port\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR ", await client.CallAsync("CONFIG SET no-such-setting 1\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR ", await client.CallAsync("CONFIG SET maxclients lots\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR ", await client.CallAsync("CONFIG SET port 1234\r\n"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET maxclients 10000\r\n"));
        Assert.Equal(10000, server.Config.MaxClients);
    }

    [Fact]
    public async Task Stack_exchange_redis_reads_config()
    {
        IServer admin = server.Redis.GetServer("127.0.0.1", server.Port);

        KeyValuePair<string, string>[] port = await admin.ConfigGetAsync("port");

        Assert.Equal(server.Port.ToString(CultureInfo.InvariantCulture), Assert.Single(port).Value);
    }

    [Fact]
    public async Task Io_threads_and_inline_apply_are_readable_and_immutable()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("*2\r\n$10\r\nio-threads\r\n$1\r\n1\r\n", await client.CallAsync("CONFIG GET io-threads\r\n"));
        Assert.Equal("*2\r\n$12\r\ninline-apply\r\n$3\r\nyes\r\n", await client.CallAsync("CONFIG GET inline-apply\r\n"));
        Assert.StartsWith("-ERR ", await client.CallAsync("CONFIG SET io-threads 4\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR ", await client.CallAsync("CONFIG SET inline-apply no\r\n"), StringComparison.Ordinal);
        Assert.Matches("\r\ninline_batches:[0-9]+\r\n", await client.CallAsync("INFO kiwi\r\n"));
    }

    [Fact]
    public void Io_threads_and_inline_apply_parse_from_flags_and_reject_bad_values()
    {
        ServerConfig config = ServerConfig.Parse(["--io-threads", "2", "--inline-apply", "no"]);
        Assert.Equal(2, config.IoThreads);
        Assert.False(config.InlineApply);
        Assert.Equal(Math.Min(config.Memory.TotalBytes / 8, 256L * 1024 * 1024), config.Memory.ReadCacheBytes);
        Assert.Equal(0, ServerConfig.Parse(["--read-cache-size", "0"]).Memory.ReadCacheBytes);
        Assert.Equal(16L * 1024 * 1024, ServerConfig.Parse(["--read-cache-size", "16mb"]).Memory.ReadCacheBytes);
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--io-threads", "0"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--inline-apply", "maybe"]));
    }

    [Fact]
    public async Task Info_has_the_stats_and_kiwi_sections()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        string info = await client.CallAsync("INFO\r\n");

        Assert.StartsWith("$", info, StringComparison.Ordinal);
        Assert.Contains("# Server\r\n", info, StringComparison.Ordinal);
        Assert.Contains("# Stats\r\n", info, StringComparison.Ordinal);
        Assert.Contains("# Kiwi\r\n", info, StringComparison.Ordinal);
        Assert.Matches("\r\ntotal_commands_processed:[0-9]+\r\n", info);
        Assert.Matches("\r\ninstantaneous_ops_per_sec:[0-9]+\r\n", info);
        Assert.Matches("\r\ntotal_allocated_bytes:[1-9][0-9]*\r\n", info);

        string stats = await client.CallAsync("INFO stats\r\n");
        Assert.Contains("total_commands_processed:", stats, StringComparison.Ordinal);

        // The read cache: a second GET of a key is a hit.
        Assert.Equal("+OK\r\n", await client.CallAsync("SET info:cached v\r\n"));
        long hits = ReadCacheHits(stats);
        await client.CallAsync("GET info:cached\r\n");
        Assert.Equal("$1\r\nv\r\n", await client.CallAsync("GET info:cached\r\n"));
        Assert.True(ReadCacheHits(await client.CallAsync("INFO stats\r\n")) > hits);
        Assert.DoesNotContain("# Kiwi", stats, StringComparison.Ordinal);
    }

    private static long ReadCacheHits(string info)
        => long.Parse(System.Text.RegularExpressions.Regex.Match(info, "\r\nread_cache_hits:([0-9]+)\r\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Command_count_info_and_docs()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        string count = await client.CallAsync("COMMAND COUNT\r\n");
        Assert.True(int.Parse(count[1..^2], CultureInfo.InvariantCulture) > 40, count);
        Assert.StartsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n", await client.CallAsync("COMMAND INFO get\r\n"), StringComparison.Ordinal);
        Assert.Equal("*1\r\n$-1\r\n", await client.CallAsync("COMMAND INFO nosuch\r\n"));
        Assert.StartsWith("*2\r\n$3\r\nset\r\n", await client.CallAsync("COMMAND DOCS set\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("*", await client.CallAsync("COMMAND\r\n"), StringComparison.Ordinal);

        RedisResult listed = await server.Redis.GetDatabase().ExecuteAsync("COMMAND", "LIST");
        Assert.Contains("incrbyfloat", ((string[]?)listed)!);
    }
}
