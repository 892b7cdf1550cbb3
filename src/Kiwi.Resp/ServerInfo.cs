using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Kiwi.Core;
using Kiwi.Core.Storage;

namespace Kiwi.Resp;

/// <summary>INFO's text, section by section (admin path: allocation is fine here).</summary>
internal static class ServerInfo
{
    /// <summary>The Redis version Kiwi.Fast reports, so clients enable the features it implements.</summary>
    public static ReadOnlySpan<byte> RedisVersion => "7.2.4"u8;

    // Redis 7.0's order, with Kiwi's own sections where Redis has its modules'.
    private static readonly string[] s_sections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "kiwi", "storage", "raft", "commandstats", "errorstats", "latencystats", "cluster", "keyspace"];

    // What INFO and INFO default leave out, as Redis does: one line per command ever called.
    private static readonly string[] s_notDefault = ["commandstats", "latencystats"];

    /// <summary>Builds the INFO reply for the requested sections ("default", "all", "everything" or names).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while the keyspace
    /// section counted the keys.</exception>
    public static string Build(ServerState server, IReadOnlyList<string> requested, CancellationToken cancellation)
    {
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in requested.Count == 0 ? ["default"] : requested)
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase) || name.Equals("everything", StringComparison.OrdinalIgnoreCase))
            {
                wanted.UnionWith(s_sections);
            }
            else if (name.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                wanted.UnionWith(s_sections.Except(s_notDefault));
            }
            else
            {
                wanted.Add(name);
            }
        }

        var text = new StringBuilder();
        foreach (string section in s_sections)
        {
            if (!wanted.Contains(section))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append("\r\n");
            }

            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section.AsSpan(1)).Append("\r\n");
            Append(text, section, server, cancellation);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string section, ServerState server, CancellationToken cancellation)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        KiwiDb db = server.Db;
        switch (section)
        {
            case "server":
                long uptime = (long)(DateTimeOffset.UtcNow - server.StartedAt).TotalSeconds;
                Line(text, "redis_version", Encoding.ASCII.GetString(RedisVersion));
                Line(text, "kiwi_fast_version", typeof(ServerInfo).Assembly.GetName().Version?.ToString() ?? "0");
                Line(text, "redis_git_sha1", "00000000");
                Line(text, "redis_git_dirty", "0");
                Line(text, "redis_mode", "standalone");
                Line(text, "os", RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
                Line(text, "arch_bits", (IntPtr.Size * 8).ToString(c));
                Line(text, "multiplexing_api", "epoll");
                Line(text, "runtime", RuntimeInformation.FrameworkDescription);
                Line(text, "process_id", Environment.ProcessId.ToString(c));
                Line(text, "run_id", server.RunId);
                Line(text, "tcp_port", server.Settings.Port.ToString(c));
                Line(text, "server_time_usec", ((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10).ToString(c));
                Line(text, "uptime_in_seconds", uptime.ToString(c));
                Line(text, "uptime_in_days", (uptime / 86400).ToString(c));
                Line(text, "hz", "10");
                Line(text, "configured_hz", "10");
                Line(text, "executable", Environment.ProcessPath ?? string.Empty);
                Line(text, "config_file", server.Settings.ConfigFile ?? string.Empty);
                Line(text, "io_threads_active", "0");
                break;
            case "clients":
                Line(text, "connected_clients", server.Clients.Count.ToString(c));
                Line(text, "maxclients", server.Settings.MaxClients.ToString(c));
                Line(text, "blocked_clients", server.Db.Blocking.Count.ToString(c));
                Line(text, "tracking_clients", "0");
                Line(text, "clients_in_timeout_table", "0");
                break;
            case "memory":
                long managed = GC.GetTotalMemory(false);
                long rss = Environment.WorkingSet;
                Line(text, "used_memory", managed.ToString(c));
                Line(text, "used_memory_human", Human(managed));
                Line(text, "used_memory_rss", rss.ToString(c));
                Line(text, "used_memory_rss_human", Human(rss));
                Line(text, "gc_heap_size", GC.GetGCMemoryInfo().HeapSizeBytes.ToString(c));
                StorageInfo.AppendMemory(text, db);
                Line(text, "maxmemory", "0");
                Line(text, "maxmemory_human", "0B");
                Line(text, "maxmemory_policy", "noeviction");
                Line(text, "mem_allocator", "dotnet");
                break;
            case "persistence":
                server.Saves.AppendInfo(text);
                break;
            case "stats":
                Line(text, "total_connections_received", Interlocked.Read(ref server.TotalConnections).ToString(c));
                Line(text, "total_commands_processed", server.TotalCommands.ToString(c));
                Line(text, "instantaneous_ops_per_sec", server.InstantaneousOpsPerSecond.ToString(c));
                Line(text, "rejected_connections", Interlocked.Read(ref server.RejectedConnections).ToString(c));
                Line(text, "client_output_buffer_limit_disconnections", Interlocked.Read(ref server.OutputLimitDisconnections).ToString(c));
                Line(text, "total_error_replies", server.Stats.ErrorReplies.ToString(c));
                Line(text, "expired_keys", db.ExpiredKeys.ToString(c));
                Line(text, "evicted_keys", "0");
                Line(text, "cleaned_collection_groups", db.CleanedGroups.ToString(c));
                (long cacheHits, long cacheMisses) = db.Engine is RocksEngine rocks ? rocks.ReadCacheStats : default;
                Line(text, "read_cache_hits", cacheHits.ToString(c));
                Line(text, "read_cache_misses", cacheMisses.ToString(c));
                Line(text, "total_allocated_bytes", GC.GetTotalAllocatedBytes(precise: true).ToString(c));
                Line(text, "gc_collections_gen0", GC.CollectionCount(0).ToString(c));
                Line(text, "gc_collections_gen1", GC.CollectionCount(1).ToString(c));
                Line(text, "gc_collections_gen2", GC.CollectionCount(2).ToString(c));
                break;
            case "replication":
                ReplicationInfo.AppendSection(text, server);
                break;
            case "cpu":
                using (Process process = Process.GetCurrentProcess())
                {
                    Line(text, "used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", c));
                    Line(text, "used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("F6", c));
                }

                break;
            case "kiwi":
                Line(text, "applied_index", db.AppliedIndex.ToString(c));
                Line(text, "batches_written", db.BatchesWritten.ToString(c));
                Line(text, "entries_applied", db.EntriesApplied.ToString(c));
                Line(text, "avg_batch_size", (db.EntriesApplied / (double)Math.Max(1, db.BatchesWritten)).ToString("F2", c));
                Line(text, "failed_batches", db.FailedBatches.ToString(c));
                Line(text, "inline_batches", db.BatchesAppliedInline.ToString(c));
                Line(text, "pending_writes", db.PendingWrites.ToString(c));
                Line(text, "durability", db.Durability.ToString().ToLowerInvariant());
                break;
            case "storage":
                StorageInfo.AppendSection(text, db);
                break;
            case "raft":
                RaftInfo.AppendSection(text, db);
                break;
            case "commandstats":
                server.Stats.AppendCommandStats(text);
                break;
            case "errorstats":
                server.Stats.AppendErrorStats(text);
                break;
            case "latencystats":
                server.Stats.AppendLatencyStats(text);
                break;
            case "cluster":
                // Kiwi.Fast does not speak the Redis Cluster protocol, not even as a Raft cluster: clients
                // must not switch to cluster mode.
                Line(text, "cluster_enabled", "0");
                break;
            case "keyspace":
                KeyspaceInfo.AppendSection(text, db);
                break;
        }
    }

    internal static void Line(StringBuilder text, string name, string value) => text.Append(name).Append(':').Append(value).Append("\r\n");

    private static string Human(long bytes)
    {
        string[] units = ["B", "K", "M", "G", "T"];
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return v.ToString("F2", CultureInfo.InvariantCulture) + units[u];
    }
}
