using System.Globalization;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>CONFIG, INFO sections, ROLE, SAVE/BGSAVE/LASTSAVE, WAIT, RESET, MEMORY, COMMAND GETKEYS, ECHO, LOLWUT.</summary>
public sealed class AdminProbeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Config_get_takes_several_patterns_and_globs()
    {
        IServer admin = server.Redis.GetServer("127.0.0.1", server.Port);

        KeyValuePair<string, string>[] all = await admin.ConfigGetAsync("*");
        Assert.Contains(all, kv => kv.Key == "maxmemory" && kv.Value == "0");
        Assert.Contains(all, kv => kv.Key == "slowlog-log-slower-than" && kv.Value == "10000");
        Assert.Contains(all, kv => kv.Key == "slowlog-max-len" && kv.Value == "128");

        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string two = await client.CallAsync("CONFIG GET maxmemory save\r\n");
        Assert.StartsWith("*4\r\n", two, StringComparison.Ordinal);
        Assert.Contains("$9\r\nmaxmemory\r\n$1\r\n0\r\n", two, StringComparison.Ordinal);
        Assert.Contains("$4\r\nsave\r\n$0\r\n\r\n", two, StringComparison.Ordinal);
        Assert.StartsWith("*4\r\n", await client.CallAsync("CONFIG GET slowlog-*\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR wrong number of arguments for 'config|get' command\r\n", await client.CallAsync("CONFIG GET\r\n"));
    }

    [Fact]
    public async Task Config_set_of_several_pairs_is_all_or_nothing()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET slowlog-max-len 64 slowlog-log-slower-than 20000\r\n"));
        Assert.Equal("*2\r\n$15\r\nslowlog-max-len\r\n$2\r\n64\r\n", await client.CallAsync("CONFIG GET slowlog-max-len\r\n"));

        // The second pair fails: the first is put back.
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer\r\n",
            await client.CallAsync("CONFIG SET slowlog-max-len 32 maxclients lots\r\n"));
        Assert.Equal("*2\r\n$15\r\nslowlog-max-len\r\n$2\r\n64\r\n", await client.CallAsync("CONFIG GET slowlog-max-len\r\n"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'slowlog-max-len') - duplicate parameter\r\n",
            await client.CallAsync("CONFIG SET slowlog-max-len 1 slowlog-max-len 2\r\n"));
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n", await client.CallAsync("CONFIG SET slowlog-max-len 1 nosuch 1\r\n"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config\r\n", await client.CallAsync("CONFIG SET port 1\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'config|set' command\r\n", await client.CallAsync("CONFIG SET a b c\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", await client.CallAsync("CONFIG foo\r\n"));
        Assert.Equal("-ERR The server is running without a config file\r\n", await client.CallAsync("CONFIG REWRITE\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET slowlog-max-len 128 slowlog-log-slower-than 10000\r\n"));
    }

    [Fact]
    public void Config_rewrite_keeps_the_file_and_writes_running_values()
    {
        string path = Path.Combine(Path.GetTempPath(), "kiwi-rewrite-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllLines(path, ["# my settings", "maxclients 50", "port 7000"]);
        try
        {
            ServerConfig config = ServerConfig.Parse([path, "--slowlog-max-len", "7"]);
            config.Set("maxclients", "60");

            config.Rewrite();

            string[] lines = File.ReadAllLines(path);
            Assert.Equal("# my settings", lines[0]);
            Assert.Equal("maxclients 60", lines[1]);
            Assert.Equal("port 7000", lines[2]);
            Assert.Contains("slowlog-max-len 7", lines);
            Assert.Equal(60, ServerConfig.Parse([path]).MaxClients);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Info_sections_clients_read()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET info:k v\r\n"));
        Assert.Equal("$1\r\nv\r\n", await client.CallAsync("GET info:k\r\n"));

        string everything = await client.CallAsync("INFO everything\r\n");
        foreach (string field in new[] { "redis_version", "redis_mode", "os", "arch_bits", "tcp_port", "uptime_in_seconds", "connected_clients", "used_memory", "maxmemory", "loading", "rdb_last_save_time", "aof_enabled", "role", "connected_slaves", "master_repl_offset", "used_cpu_sys", "cluster_enabled" })
        {
            Assert.Matches($"\r\n{field}:[^\r]*\r\n", everything);
        }

        Assert.Matches("\r\ncmdstat_get:calls=[1-9][0-9]*,usec=[0-9]+,usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=0\r\n", everything);
        Assert.Matches("\r\nlatency_percentiles_usec_get:p50=[0-9]+\\.[0-9]{3},p99=[0-9]+\\.[0-9]{3},p99\\.9=[0-9]+\\.[0-9]{3}\r\n", everything);
        Assert.Contains("# Latencystats\r\n", everything, StringComparison.Ordinal);

        string byDefault = await client.CallAsync("INFO\r\n");
        Assert.DoesNotContain("# Latencystats", byDefault, StringComparison.Ordinal);
        Assert.DoesNotContain("# Commandstats", byDefault, StringComparison.Ordinal);
        string two = await client.CallAsync("INFO server replication\r\n");
        Assert.Contains("# Server\r\n", two, StringComparison.Ordinal);
        Assert.Contains("# Replication\r\nrole:master\r\n", two, StringComparison.Ordinal);
        Assert.DoesNotContain("# Clients", two, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_wait_echo_time_lolwut_and_reset()
    {
        IServer admin = server.Redis.GetServer("127.0.0.1", server.Port);
        Role role = await admin.RoleAsync();
        Assert.Equal("master", role.Value);
        Assert.Empty(Assert.IsType<Role.Master>(role).Replicas);
        Assert.Equal("hi", (string?)await server.Redis.GetDatabase().ExecuteAsync("ECHO", "hi"));
        Assert.True(Math.Abs((await admin.TimeAsync() - DateTime.UtcNow).TotalMinutes) < 5);

        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal(":0\r\n", await client.CallAsync("WAIT 0 0\r\n"));
        Assert.Equal("-ERR timeout is negative\r\n", await client.CallAsync("WAIT 0 -1\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("WAIT x -1\r\n"));
        Assert.Contains("Redis ver. ", await client.CallAsync("LOLWUT\r\n"), StringComparison.Ordinal);
        Assert.Equal("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", await client.CallAsync("ROLE\r\n"));

        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT SETNAME resetme\r\n"));
        Assert.StartsWith("%", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("+RESET\r\n", await client.CallAsync("RESET\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("CLIENT GETNAME\r\n"));
        Assert.Contains("resp=2", await client.CallAsync("CLIENT INFO\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR wrong number of arguments for 'reset' command\r\n", await client.CallAsync("RESET x\r\n"));

        // RESET leaves MULTI (what was queued is dropped) and subscribe mode.
        Assert.Equal("+OK\r\n", await client.CallAsync("MULTI\r\n"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SET reset:queued 1\r\n"));
        Assert.Equal("+RESET\r\n", await client.CallAsync("RESET\r\n"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", await client.CallAsync("EXEC\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("EXISTS reset:queued\r\n"));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$8\r\nreset:ch\r\n:1\r\n", await client.CallAsync("SUBSCRIBE reset:ch\r\n"));
        Assert.Equal("+RESET\r\n", await client.CallAsync("RESET\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("GET reset:queued\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("PUBLISH reset:ch m\r\n"));
    }

    [Fact]
    public async Task Memory_usage_object_and_command_getkeys()
    {
        IDatabase db = server.Redis.GetDatabase();
        await db.StringSetAsync("mem:s", new string('x', 100));
        await db.HashSetAsync("mem:h", [new("a", "1"), new("b", "2"), new("c", "3")]);
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        long small = long.Parse((await client.CallAsync("MEMORY USAGE mem:s\r\n"))[1..^2], CultureInfo.InvariantCulture);
        Assert.InRange(small, 100, 400);
        Assert.Matches("^:[1-9][0-9]*\r\n$", await client.CallAsync("MEMORY USAGE mem:h SAMPLES 0\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("MEMORY USAGE mem:none\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("MEMORY USAGE mem:s SAMPLES x\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n", await client.CallAsync("MEMORY foo\r\n"));
        Assert.StartsWith("$", await client.CallAsync("MEMORY DOCTOR\r\n"), StringComparison.Ordinal);

        Assert.Equal(":1\r\n", await client.CallAsync("OBJECT REFCOUNT mem:s\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("OBJECT IDLETIME mem:s\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", await client.CallAsync("OBJECT foo x\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'object|encoding' command\r\n", await client.CallAsync("OBJECT ENCODING\r\n"));
        Assert.Contains("+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n", await client.CallAsync("OBJECT HELP\r\n"), StringComparison.Ordinal);

        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nc\r\n", await client.CallAsync("COMMAND GETKEYS MSET a b c d\r\n"));
        Assert.Equal("*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n", await client.CallAsync("COMMAND GETKEYS ZUNIONSTORE d 2 a b\r\n"));
        Assert.Equal("-ERR Invalid command specified\r\n", await client.CallAsync("COMMAND GETKEYS nosuch a\r\n"));
        Assert.Equal("-ERR The command has no key arguments\r\n", await client.CallAsync("COMMAND GETKEYS PING x\r\n"));
        Assert.Equal("-ERR Invalid number of arguments specified for command\r\n", await client.CallAsync("COMMAND GETKEYS GET a b\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'command|getkeys' command\r\n", await client.CallAsync("COMMAND GETKEYS GET\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", await client.CallAsync("COMMAND foo\r\n"));
    }
}

/// <summary>SLOWLOG and SAVE/BGSAVE, each on a server of its own (they change what every client sees).</summary>
public sealed class SlowlogAndSaveTests
{
    [Fact]
    public async Task Slowlog_keeps_slow_commands_with_their_arguments_cut_as_redis()
    {
        using TestServer server = TestServer.Start();
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET slowlog-log-slower-than 0\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CLIENT SETNAME slow\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SLOWLOG RESET\r\n"));

        Assert.Equal("+OK\r\n", await client.CallAsync(RawClient.Command("SET", "sl:k", new string('v', 200))));
        string[] many = ["DEL", .. Enumerable.Range(0, 40).Select(i => "sl:" + i.ToString(CultureInfo.InvariantCulture))];
        Assert.Equal(":0\r\n", await client.CallAsync(RawClient.Command(many)));

        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString());
        CommandTrace[] entries = await redis.GetServer("127.0.0.1", server.Port).SlowlogGetAsync(128);
        CommandTrace del = Assert.Single(entries, e => (string?)e.Arguments[0] == "DEL");
        Assert.Equal(32, del.Arguments.Length);
        Assert.Equal("... (10 more arguments)", (string?)del.Arguments[31]);
        CommandTrace set = Assert.Single(entries, e => (string?)e.Arguments[0] == "SET");
        Assert.Equal(new string('v', 128) + "... (72 more bytes)", (string?)set.Arguments[2]);
        Assert.True(del.UniqueId > set.UniqueId);

        string raw = await client.CallAsync("SLOWLOG GET -1\r\n");
        Assert.Contains("$4\r\nslow\r\n", raw, StringComparison.Ordinal);
        Assert.Matches("^:[1-9][0-9]*\r\n$", await client.CallAsync("SLOWLOG LEN\r\n"));
        Assert.Equal("-ERR count should be greater than or equal to -1\r\n", await client.CallAsync("SLOWLOG GET -2\r\n"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n", await client.CallAsync("SLOWLOG foo\r\n"));

        // Back to the default threshold: fast commands are no longer logged.
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG SET slowlog-log-slower-than 10000\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SLOWLOG RESET\r\n"));
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("SLOWLOG LEN\r\n"));
    }

    [Fact]
    public async Task Save_and_bgsave_write_a_checkpoint_and_move_lastsave()
    {
        using TestServer server = TestServer.Start();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString("allowAdmin=true"));
        IServer admin = redis.GetServer("127.0.0.1", server.Port);
        await redis.GetDatabase().StringSetAsync("save:k", "v");
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("+OK\r\n", await client.CallAsync("SAVE\r\n"));
        string saved = Path.Combine(Path.GetFullPath(server.Config.Dir), "save");
        Assert.True(Directory.Exists(saved));
        Assert.NotEmpty(Directory.GetFiles(saved));
        Assert.Matches("\r\nrdb_saves:1\r\n", await client.CallAsync("INFO persistence\r\n"));
        Assert.Matches("\r\nrdb_changes_since_last_save:0\r\n", await client.CallAsync("INFO persistence\r\n"));

        await admin.SaveAsync(SaveType.BackgroundSave);
        await Poll.UntilAsync(async () => (await client.CallAsync("INFO persistence\r\n")).Contains("\r\nrdb_saves:2\r\n", StringComparison.Ordinal), "BGSAVE never completed");
        DateTime last = await admin.LastSaveAsync();
        Assert.True(Math.Abs((last - DateTime.UtcNow).TotalMinutes) < 5, last.ToString("O", CultureInfo.InvariantCulture));
        Assert.Matches("\r\nrdb_last_bgsave_status:ok\r\n", await client.CallAsync("INFO persistence\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("BGSAVE now\r\n"));
    }
}
