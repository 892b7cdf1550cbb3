using Kiwi.Core;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>INFO's cluster, commandstats and errorstats sections, in Redis 7.0's format, on a server of its own.</summary>
public sealed class InfoStatsTests
{
    [Fact]
    public async Task Info_says_cluster_is_disabled_by_default_and_in_its_own_section()
    {
        using TestServer server = TestServer.Start();
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Contains("\r\n# Cluster\r\ncluster_enabled:0\r\n", await client.CallAsync("INFO\r\n"), StringComparison.Ordinal);
        string cluster = await client.CallAsync("INFO cluster\r\n");
        Assert.Contains("# Cluster\r\ncluster_enabled:0\r\n", cluster, StringComparison.Ordinal);
        Assert.DoesNotContain("# Server", cluster, StringComparison.Ordinal);

        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString());
        IGrouping<string, KeyValuePair<string, string>> section = Assert.Single(await redis.GetServer("127.0.0.1", server.Port).InfoAsync("cluster"));
        Assert.Equal("Cluster", section.Key);
        Assert.Equal("0", Assert.Single(section, kv => kv.Key == "cluster_enabled").Value);
    }

    [Fact]
    public async Task Info_counts_calls_rejections_failures_and_errors_by_code()
    {
        using TestServer server = TestServer.Start();
        WriteHash(server.Db, "h"u8);
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET k 1\r\n"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("$1\r\n1\r\n", await client.CallAsync("GET k\r\n"));
        }

        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", await client.CallAsync("GET k extra\r\n"));
        Assert.StartsWith("-WRONGTYPE ", await client.CallAsync("GET h\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-WRONGTYPE ", await client.CallAsync("INCR h\r\n"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET s x\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("INCR s\r\n"));
        Assert.StartsWith("-ERR unknown command 'NOSUCH'", await client.CallAsync("NOSUCH\r\n"), StringComparison.Ordinal);

        string commands = await client.CallAsync("INFO commandstats\r\n");
        Assert.StartsWith("# Commandstats\r\n", Body(commands), StringComparison.Ordinal);
        Assert.DoesNotContain("# Server", commands, StringComparison.Ordinal);
        Assert.Matches(@"\r\ncmdstat_get:calls=4,usec=[0-9]+,usec_per_call=[0-9]+\.[0-9]{2},rejected_calls=1,failed_calls=1\r\n", commands);
        Assert.Matches(@"\r\ncmdstat_set:calls=2,usec=[0-9]+,usec_per_call=[0-9]+\.[0-9]{2},rejected_calls=0,failed_calls=0\r\n", commands);
        Assert.Matches(@"\r\ncmdstat_incr:calls=2,usec=[0-9]+,usec_per_call=[0-9]+\.[0-9]{2},rejected_calls=0,failed_calls=2\r\n", commands);
        Assert.DoesNotContain("cmdstat_nosuch", commands, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cmdstat_mget", commands, StringComparison.Ordinal);

        Assert.Equal("# Errorstats\r\nerrorstat_ERR:count=3\r\nerrorstat_WRONGTYPE:count=2\r\n", Body(await client.CallAsync("INFO errorstats\r\n")));
        Assert.Matches(@"\r\ntotal_error_replies:5\r\n", await client.CallAsync("INFO stats\r\n"));

        // As Redis 7.0: the default INFO has errorstats but not commandstats; all and everything have both.
        string all = await client.CallAsync("INFO\r\n");
        Assert.DoesNotContain("# Commandstats", all, StringComparison.Ordinal);
        Assert.Contains("\r\n# Errorstats\r\nerrorstat_ERR:count=3\r\n", all, StringComparison.Ordinal);
        Assert.DoesNotContain("# Commandstats", await client.CallAsync("INFO default\r\n"), StringComparison.Ordinal);
        Assert.Contains("\r\ncmdstat_get:calls=4,", await client.CallAsync("INFO all\r\n"), StringComparison.Ordinal);
        Assert.Contains("\r\ncmdstat_get:calls=4,", await client.CallAsync("INFO everything\r\n"), StringComparison.Ordinal);

        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG RESETSTAT\r\n"));
        Assert.Equal("# Errorstats\r\n", Body(await client.CallAsync("INFO errorstats\r\n")));
        Assert.DoesNotContain("cmdstat_get", await client.CallAsync("INFO commandstats\r\n"), StringComparison.Ordinal);
        Assert.Matches(@"\r\ntotal_error_replies:0\r\n", await client.CallAsync("INFO stats\r\n"));
    }

    /// <summary>The text of a bulk-string reply.</summary>
    [Fact]
    public async Task Info_memory_shows_what_rocksdb_holds_and_info_storage_its_compaction_and_stalls()
    {
        using TestServer server = TestServer.Start();
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Dictionary<string, string> before = TestCluster.ParseInfo(Body(await client.CallAsync("INFO memory\r\n")));
        Assert.Equal((8L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), before["rocksdb_block_cache_capacity"]);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", await client.CallAsync($"SET key:{i} {new string('v', 1000)}\r\n"));
        }

        Dictionary<string, string> after = TestCluster.ParseInfo(Body(await client.CallAsync("INFO memory\r\n")));
        Assert.True(long.Parse(after["rocksdb_memtable_bytes"]) >= long.Parse(before["rocksdb_memtable_bytes"]) + (200 * 1000), $"memtables {before["rocksdb_memtable_bytes"]} -> {after["rocksdb_memtable_bytes"]}");
        foreach (string name in new[] { "rocksdb_block_cache_bytes", "rocksdb_block_cache_pinned_bytes", "rocksdb_table_readers_bytes", "read_cache_bytes" })
        {
            Assert.True(long.TryParse(after[name], out _), name);
        }

        Dictionary<string, string> storage = TestCluster.ParseInfo(Body(await client.CallAsync("INFO storage\r\n")));
        Assert.Equal("0", storage["write_stopped"]);
        foreach (string name in new[] { "live_sst_bytes", "pending_compaction_bytes", "running_compactions", "running_flushes", "immutable_memtables", "delayed_write_rate" })
        {
            Assert.True(long.TryParse(storage[name], out _), name);
        }

        Assert.Matches(@"^\d+\.\d{3}$", storage["write_stall_seconds"]);
        Assert.Contains("\r\n# Storage\r\n", await client.CallAsync("INFO\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_budget_is_split_between_the_block_cache_the_memtables_and_the_read_cache()
    {
        using TestServer server = TestServer.Start(c => c.Set("memory-budget", "256mb"));
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("*2\r\n$13\r\nmemory-budget\r\n$9\r\n268435456\r\n", await client.CallAsync("CONFIG GET memory-budget\r\n"));
        Assert.Equal("*2\r\n$16\r\nblock-cache-size\r\n$9\r\n176160768\r\n", await client.CallAsync("CONFIG GET block-cache-size\r\n"));
        Assert.Equal("*2\r\n$15\r\nread-cache-size\r\n$8\r\n33554432\r\n", await client.CallAsync("CONFIG GET read-cache-size\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync($"SET k {new string('v', 10_000)}\r\n"));
        Dictionary<string, string> memory = TestCluster.ParseInfo(Body(await client.CallAsync("INFO memory\r\n")));
        Assert.Equal("268435456", memory["memory_budget"]);
        Assert.Equal("176160768", memory["memory_budget_block_cache"]);
        Assert.Equal("58720256", memory["memory_budget_memtables"]);
        Assert.Equal("33554432", memory["memory_budget_read_cache"]);
        Assert.Equal("176160768", memory["rocksdb_block_cache_capacity"]);
        Assert.True(long.Parse(memory["read_cache_bytes"]) >= 32L * 1024 * 1024, memory["read_cache_bytes"]);

        // The memtables' share is counted as they fill.
        Assert.True(long.Parse(memory["rocksdb_memtable_budget_used"]) >= 10_000, memory["rocksdb_memtable_budget_used"]);
    }

    [Theory]
    [InlineData("Cumulative stall: 00:00:1.250 H:M:S, 0.1 percent\n", 1.25)]
    [InlineData("Uptime(secs): 5.0 total\nCumulative stall: 01:02:3.5 H:M:S, 9.0 percent\nInterval stall: 00:00:0.000 H:M:S", 3723.5)]
    [InlineData("no stall line", 0)]
    [InlineData(null, 0)]
    public void Stall_time_is_read_from_rocksdb_db_stats(string? text, double seconds)
        => Assert.Equal(seconds, Kiwi.Resp.StorageInfo.StallSeconds(text), 3);

    private static string Body(string reply) => reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];

    /// <summary>A hash's meta record written straight into the engine (no hash commands yet), for WRONGTYPE.</summary>
    private static void WriteHash(KiwiDb db, ReadOnlySpan<byte> key)
    {
        using var writes = new WriteSet();
        using var metaKey = new ByteBuffer();
        Span<byte> record = writes.Reserve(KeySpace.Meta, KeyCodec.Meta(metaKey, 0, key), MetaValue.HeaderSize + 16);
        MetaValue.WriteHeader(record, KeyType.Hash, 0);
        db.Engine.Commit(writes, sync: false);
    }
}
