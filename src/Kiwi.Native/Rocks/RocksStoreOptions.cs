namespace Kiwi.Native.Rocks;

/// <summary>How a <see cref="RocksStore"/> is opened.</summary>
public sealed class RocksStoreOptions
{
    /// <summary>Directory of the database; created when missing.</summary>
    public required string Path { get; init; }

    /// <summary>Column families to open or create, besides RocksDB's "default". Indexes into this list name them.</summary>
    public required IReadOnlyList<string> ColumnFamilies { get; init; }

    /// <summary>Shared LRU block cache size in bytes.</summary>
    public long BlockCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Most bytes all memtables together may hold (RocksDB's WriteBufferManager), besides the block cache: the
    /// largest memtable is flushed when they near it. 0: no shared limit (each family's memtables are bounded by
    /// <see cref="WriteBufferBytes"/> only).
    /// </summary>
    public long MemtableBudgetBytes { get; init; }

    /// <summary>Bloom filter bits per key (0 disables the filter).</summary>
    public int BloomBitsPerKey { get; init; } = 10;

    /// <summary>Write-ahead log on (true) or off. Off loses every write since the last memtable flush on a crash.</summary>
    public bool EnableWal { get; init; } = true;

    /// <summary>Memtable size per column family in bytes.</summary>
    public long WriteBufferBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Memtable sizes of the column families named here, instead of <see cref="WriteBufferBytes"/>. Default: none.</summary>
    public IReadOnlyDictionary<string, long> WriteBufferBytesByFamily { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// Column families whose memtables keep no bloom filter over their keys: families whose records are walked by
    /// cursors, not read by key, where setting the filter's bits (a cache miss per insert) buys nothing. Default:
    /// none (every family has one).
    /// </summary>
    public IReadOnlyCollection<string> NoMemtableBloomFamilies { get; init; } = [];

    /// <summary>
    /// Column families whose SST files are compacted as soon as they are written with dense deletions: at least half
    /// of some <see cref="TombstoneWindow"/> consecutive entries (RocksDB's CompactOnDeletionCollector). A drained
    /// queue (a sorted set popped from its low end, the expiry index behind the expiry cycle) leaves runs of
    /// tombstones that every later seek into the run steps over one by one until compaction drops them, and by size
    /// alone compaction gets to them late. Default: none.
    /// </summary>
    public IReadOnlyCollection<string> DenseDeletionFamilies { get; init; } = [];

    /// <summary>The run of consecutive entries <see cref="DenseDeletionFamilies"/> are watched over.</summary>
    public const int TombstoneWindow = 10_000;

    /// <summary>Background flush and compaction threads.</summary>
    public int BackgroundJobs { get; init; } = 2;

    /// <summary>
    /// Column families whose memtable entries are updated in place when a key is overwritten with a value no
    /// larger than before (RocksDB's <c>inplace_update_support</c>; needs a single writer). Keeps the memtable
    /// small under overwrites, which keeps point reads fast (a skip list of live keys, not of versions).
    /// Iterators then see values as they are, not as of their creation, and backward iteration is unsupported.
    /// Range deletes there are special (see <see cref="RocksWriteBatch.DeleteRange"/>). At most 64 families.
    /// Default: none.
    /// </summary>
    public IReadOnlyCollection<string> InplaceUpdateFamilies { get; init; } = [];

    /// <summary>
    /// RocksDB options in RocksDB's own string form (<c>max_background_jobs=4;level0_slowdown_writes_trigger=30</c>,
    /// table options as <c>block_based_table_factory={block_size=8192}</c>), applied on top of the store's own
    /// choices, to the database and every column family. For tuning and measuring; null: none.
    /// </summary>
    public string? Overrides { get; init; }

    /// <summary>Skip flushing memtables when closing (the WAL restores them on the next open).</summary>
    public bool AvoidFlushOnClose { get; init; } = true;
}
