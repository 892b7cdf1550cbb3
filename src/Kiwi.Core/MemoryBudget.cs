namespace Kiwi.Core;

/// <summary>
/// How the memory a <see cref="KiwiDb"/> may use for data is split, in three parts that do not overlap: RocksDB's
/// block cache, its memtables (all families together), and the read cache in front of RocksDB. Not a Redis
/// <c>maxmemory</c>: nothing is evicted from the data, only from caches. The process also needs the .NET runtime,
/// connection buffers and RocksDB's own small structures beyond the budget.
/// </summary>
public readonly record struct MemoryBudget
{
    /// <summary>The least memtable share, so a tiny budget does not flush every few writes.</summary>
    public const long MinMemtableBytes = 16L * 1024 * 1024;

    // 2M slots: a million small keys written at random hit it about three times in four (kiwi-bench pipeline, 1M
    // keys: the writer's CPU per SET 6.5 -> 5.6-6.1 us against 64 MiB, whose 512k slots can hold half the keys at most).
    private const long MaxDefaultReadCache = 256L * 1024 * 1024;
    private const long MinBlockCache = 8L * 1024 * 1024;

    /// <summary>The whole budget in bytes: the three parts together.</summary>
    public long TotalBytes { get; init; }

    /// <summary>RocksDB's block cache (data, index and filter blocks).</summary>
    public long BlockCacheBytes { get; init; }

    /// <summary>What the memtables may hold together before the largest is flushed.</summary>
    public long MemtableBytes { get; init; }

    /// <summary>The read cache of small records (0: off).</summary>
    public long ReadCacheBytes { get; init; }

    /// <summary>A quarter of the memory the process may use (the machine's, or its container's limit), at least 256 MiB.</summary>
    public static long DefaultTotalBytes() => Math.Max(256L * 1024 * 1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>
    /// Splits <paramref name="totalBytes"/> (0: <see cref="DefaultTotalBytes"/>): the read cache takes an eighth, at
    /// most 256 MiB, unless <paramref name="readCacheBytes"/> says otherwise; the memtables a quarter of the rest, at
    /// least <see cref="MinMemtableBytes"/>; the block cache what remains, unless <paramref name="blockCacheBytes"/>
    /// says otherwise (the total then grows to hold the parts as set).
    /// </summary>
    public static MemoryBudget Split(long totalBytes, long? blockCacheBytes = null, long? readCacheBytes = null)
    {
        long total = totalBytes > 0 ? totalBytes : DefaultTotalBytes();
        long read = Math.Max(0, readCacheBytes ?? Math.Min(total / 8, MaxDefaultReadCache));
        long memtables = Math.Max(MinMemtableBytes, (total - read) / 4);
        long cache = Math.Max(MinBlockCache, blockCacheBytes ?? total - read - memtables);
        return new MemoryBudget
        {
            TotalBytes = Math.Max(total, cache + memtables + read),
            BlockCacheBytes = cache,
            MemtableBytes = memtables,
            ReadCacheBytes = read,
        };
    }
}
