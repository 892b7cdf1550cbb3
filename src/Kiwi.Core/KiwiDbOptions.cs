using Kiwi.Core.Apply;

namespace Kiwi.Core;

/// <summary>How a <see cref="KiwiDb"/> is opened.</summary>
public sealed class KiwiDbOptions
{
    /// <summary>Directory of the RocksDB database; created when missing.</summary>
    public required string Path { get; init; }

    /// <summary>When writes reach the disk (default <see cref="Durability.EverySec"/>).</summary>
    public Durability Durability { get; init; } = Durability.EverySec;

    /// <summary>
    /// The memory for data, split by <see cref="MemoryBudget.Split"/> between RocksDB's block cache, its memtables
    /// and the read cache. 0 (default): a quarter of the memory available to the process.
    /// </summary>
    public long MemoryBudgetBytes { get; init; }

    /// <summary>RocksDB block cache size in bytes; null (default): from <see cref="MemoryBudgetBytes"/>.</summary>
    public long? BlockCacheBytes { get; init; }

    /// <summary>
    /// Bytes of the read cache in front of RocksDB's point reads of small meta records (string values up to
    /// about 100 bytes with their key) and of the hash, set and sorted-set members writes read back: a hit skips
    /// the memtable and SST search. 0 turns it off. Null (default):
    /// an eighth of <see cref="MemoryBudgetBytes"/>, at most 256 MiB.
    /// </summary>
    public long? ReadCacheBytes { get; init; }

    /// <summary>
    /// Read every table file at open and check its block checksums (default on): a damaged file makes the open
    /// throw instead of its keys going missing later. Costs one read of the data on disk; a damaged write-ahead
    /// log refuses the open either way (only a last record cut short is dropped).
    /// </summary>
    public bool VerifyOnOpen { get; init; } = true;

    /// <summary>
    /// RocksDB options in RocksDB's options-string form (<c>max_background_jobs=4;max_subcompactions=2</c>) applied on
    /// top of the engine's own, for tuning and measuring; null (default): none. A bad name or value fails the open.
    /// </summary>
    public string? RocksDbOptions { get; init; }

    /// <summary>Write-ahead log on (default). Off trades crash safety for speed.</summary>
    public bool EnableWal { get; init; } = true;

    /// <summary>
    /// The number of databases (Redis's <c>databases</c>, default 16): <see cref="KiwiDb.GetDatabase"/> and SELECT
    /// take 0 to n-1. At most 65536 (the key encoding's database id is 16 bits).
    /// </summary>
    public int Databases { get; init; } = 16;

    /// <summary>The most <see cref="Databases"/> a store may have.</summary>
    public const int MaxDatabases = Storage.DatabaseMap.MaxDatabases;

    /// <summary>Entries the commit ring holds before producers wait (rounded up to a power of two).</summary>
    public int RingCapacity { get; init; } = 64 * 1024;

    /// <summary>Most entries applied in one batch (one storage write).</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>
    /// When the writer thread is idle, a thread that awaits a write applies the batch itself (one writer at a time
    /// still), saving the writer's wake-up and two thread switches per lone write: every write the caller issued
    /// before that await goes into the same batch, and the await then finishes without a thread switch. The caller
    /// stops at its own write; other callers' writes that arrived meanwhile go to the writer thread, and while other
    /// callers wait on their writes (concurrent load) every write goes there, so batches stay large. A write nobody
    /// awaits is applied by the writer thread's next periodic check (at most 100 ms) or by the next caller's batch.
    /// With <see cref="Durability.Always"/> the awaiting caller waits for its batch's fsync (a group commit, as on
    /// the writer thread); RESP server sessions apply inline only with the other durabilities. Default true.
    /// </summary>
    public bool InlineApplyWhenIdle { get; init; } = true;

    /// <summary>
    /// Cluster mode: replicate every write through Raft with these members (open with
    /// <see cref="KiwiDb.OpenAsync(KiwiDbOptions, CancellationToken)"/>). Null: standalone.
    /// </summary>
    public Raft.KiwiRaftOptions? Raft { get; init; }

    /// <summary>Run the active expiry cycle that deletes expired keys in the background (default on).</summary>
    public bool ActiveExpiry { get; init; } = true;

    /// <summary>Pause between active expiry cycles.</summary>
    public TimeSpan ExpiryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Run the background cleanup that deletes the members of deleted, overwritten or expired collections (default
    /// on). Off, they stay on disk (unreachable) until it runs again; tests that inspect raw key spaces turn it off.
    /// </summary>
    public bool CollectionCleanup { get; init; } = true;

    /// <summary>Pause between two slices of the collection cleanup.</summary>
    public TimeSpan CollectionCleanupInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Most member groups (one collection version each) one cleanup slice looks at: one seek and one meta read per
    /// group, and one range delete per dead group in a storage write of its own.
    /// </summary>
    public int CollectionCleanupSlice { get; init; } = 1024;

    /// <summary>The clock (tests substitute one); its UTC time in unix milliseconds is "now" for expiry.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
