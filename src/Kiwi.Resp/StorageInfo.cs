using System.Globalization;
using System.Text;
using Kiwi.Core;
using Kiwi.Core.Storage;
using Kiwi.Native.Rocks;

namespace Kiwi.Resp;

/// <summary>
/// INFO's view of the storage engine: the memory RocksDB holds (in the memory section) and its compaction debt
/// and write stalls (the storage section). Admin path: allocation is fine here.
/// </summary>
internal static class StorageInfo
{
    /// <summary>Memory lines: block cache, memtables, table readers outside the cache, the read cache.</summary>
    public static void AppendMemory(StringBuilder text, KiwiDb db)
    {
        if (db.Engine is not RocksEngine rocks)
        {
            return;
        }

        RocksStore store = rocks.Store;
        MemoryBudget budget = db.Memory;
        Line(text, "memory_budget", (ulong)budget.TotalBytes);
        Line(text, "memory_budget_block_cache", (ulong)budget.BlockCacheBytes);
        Line(text, "memory_budget_memtables", (ulong)budget.MemtableBytes);
        Line(text, "memory_budget_read_cache", (ulong)budget.ReadCacheBytes);
        Line(text, "rocksdb_block_cache_bytes", store.IntProperty("rocksdb.block-cache-usage"));
        Line(text, "rocksdb_block_cache_pinned_bytes", store.IntProperty("rocksdb.block-cache-pinned-usage"));
        Line(text, "rocksdb_block_cache_capacity", store.IntProperty("rocksdb.block-cache-capacity"));
        Line(text, "rocksdb_memtable_bytes", store.SumIntProperty("rocksdb.cur-size-all-mem-tables"));
        Line(text, "rocksdb_memtable_budget_used", store.MemtableBudgetUsage);
        Line(text, "rocksdb_table_readers_bytes", store.SumIntProperty("rocksdb.estimate-table-readers-mem"));
        Line(text, "read_cache_bytes", (ulong)rocks.ReadCacheBytes);
    }

    /// <summary>The storage section: data on disk, compaction debt, flushes and compactions running, write stalls.</summary>
    public static void AppendSection(StringBuilder text, KiwiDb db)
    {
        if (db.Engine is not RocksEngine rocks)
        {
            return;
        }

        RocksStore store = rocks.Store;
        Line(text, "live_sst_bytes", store.SumIntProperty("rocksdb.live-sst-files-size"));
        Line(text, "estimate_live_data_bytes", store.SumIntProperty("rocksdb.estimate-live-data-size"));
        Line(text, "pending_compaction_bytes", store.SumIntProperty("rocksdb.estimate-pending-compaction-bytes"));
        Line(text, "running_compactions", store.IntProperty("rocksdb.num-running-compactions"));
        Line(text, "running_flushes", store.IntProperty("rocksdb.num-running-flushes"));
        Line(text, "immutable_memtables", store.SumIntProperty("rocksdb.num-immutable-mem-table"));
        Line(text, "write_stopped", store.IntProperty("rocksdb.is-write-stopped"));
        Line(text, "delayed_write_rate", store.IntProperty("rocksdb.actual-delayed-write-rate"));
        ServerInfo.Line(text, "write_stall_seconds", StallSeconds(store.TextProperty("rocksdb.dbstats")).ToString("F3", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The cumulative write-stall time in RocksDB's DB stats text ("Cumulative stall: 00:00:1.234 H:M:S, 0.1 percent").
    /// </summary>
    internal static double StallSeconds(string? dbStats)
    {
        const string Marker = "Cumulative stall: ";
        int at = dbStats?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return 0;
        }

        int start = at + Marker.Length;
        int end = dbStats!.IndexOf(' ', start);
        string[] parts = dbStats[start..(end < 0 ? dbStats.Length : end)].Split(':');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            && double.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            ? (hours * 3600) + (minutes * 60) + seconds
            : 0;
    }

    private static void Line(StringBuilder text, string name, ulong value) => ServerInfo.Line(text, name, value.ToString(CultureInfo.InvariantCulture));
}
