using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Expiry;
using Kiwi.Core.Storage;
using Kiwi.Native.Ring;

namespace Kiwi.Core;

/// <summary>
/// Kiwi.Fast embedded: a Redis-compatible key-value database in your process. Writes are copied once into
/// pooled native memory, handed to one writer thread through a lock-free ring, applied in batches (one
/// RocksDB write per batch) and acknowledged after they are committed; reads go straight to storage.
/// All members are thread-safe. Values come back in caller buffers or pooled <see cref="KiwiValue"/>s.
/// </summary>
public sealed partial class KiwiDb : IDisposable, IAsyncDisposable
{
    private readonly IStorageEngine _engine;
    private readonly bool _ownsEngine;
    private readonly CommitRing<ApplyRequest> _ring;
    private readonly ApplyWorker _worker;
    private readonly WalSyncer? _walSyncer;
    private readonly ExpiryCycle? _expiryCycle;
    private readonly Cleanup.CollectionCleanup? _cleanup;
    private readonly TimeProvider _clock;
    private readonly Durability _durability;
    private readonly bool _clusterMode;
    private readonly KiwiDb? _root;
    private readonly int _database;
    private Raft.KiwiRaftNode? _raft;
    private int _disposed;

    /// <summary>How the memory budget is split between the block cache, memtables and read cache (see <see cref="KiwiDbOptions.MemoryBudgetBytes"/>).</summary>
    public MemoryBudget Memory { get; }

    private KiwiDb(IStorageEngine engine, bool ownsEngine, KiwiDbOptions options)
    {
        _engine = engine;
        _ownsEngine = ownsEngine;
        _clock = options.Clock;
        _durability = options.Durability;
        _clusterMode = options.Raft is not null;
        Memory = MemoryBudget.Split(options.MemoryBudgetBytes, options.BlockCacheBytes, options.ReadCacheBytes);
        Bits = new KiwiBits(this);
        _ring = new CommitRing<ApplyRequest>(options.RingCapacity);
        _worker = new ApplyWorker(engine, _ring, options.Durability, options.MaxBatch, options.InlineApplyWhenIdle, options.Databases);
        _worker.Start();
        if (options.Durability == Durability.EverySec)
        {
            _walSyncer = new WalSyncer(engine, TimeSpan.FromSeconds(1));
        }

        if (options.ActiveExpiry)
        {
            _expiryCycle = new ExpiryCycle(this, engine, options.ExpiryInterval, _worker.ExpiryLow);
        }

        if (options.CollectionCleanup)
        {
            _cleanup = new Cleanup.CollectionCleanup(engine, _worker.RunCleanupAsync, options.CollectionCleanupInterval, options.CollectionCleanupSlice);
        }
    }

    /// <summary>The hash commands (HSET, HGET, HDEL, HINCRBY, HLEN, HGETALL…).</summary>
    public KiwiHashes Hashes => _hashes ??= new KiwiHashes(this);

    private KiwiHashes? _hashes;

    /// <summary>The set commands (SADD, SREM, SISMEMBER, SCARD, SMEMBERS…).</summary>
    public KiwiSets Sets => _sets ??= new KiwiSets(this);

    private KiwiSets? _sets;

    /// <summary>The bit commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO) and LCS.</summary>
    public KiwiBits Bits { get; }

    /// <summary>
    /// The database every call of this handle uses: 0 for the instance <see cref="Open(KiwiDbOptions)"/> returns,
    /// n for <see cref="GetDatabase"/>(n).
    /// </summary>
    public int Database => _database;

    /// <summary>The highest applied index: every write acknowledged so far is at or below it.</summary>
    public long AppliedIndex => _worker.AppliedIndex;

    /// <summary>Batches committed since open (each one storage write).</summary>
    public long BatchesWritten => _worker.BatchesWritten;

    /// <summary>Entries applied since open; divided by <see cref="BatchesWritten"/> it is the average batch size.</summary>
    public long EntriesApplied => _worker.EntriesApplied;

    /// <summary>Batches whose storage commit failed since open (their commands failed; nothing was applied).</summary>
    public long FailedBatches => _worker.FailedBatches;

    /// <summary>
    /// Batches a caller (an awaiting embedded caller or a server session) applied on its own thread because the writer
    /// was idle (<see cref="KiwiDbOptions.InlineApplyWhenIdle"/>); they are included in <see cref="BatchesWritten"/>.
    /// </summary>
    public long BatchesAppliedInline => _worker.BatchesAppliedInline;

    /// <summary>True while the writer thread is parked: an awaiting caller then applies its writes itself (tests).</summary>
    internal bool WriterParked => _worker.WriterParked;

    /// <summary>Entries waiting in the commit ring.</summary>
    public int PendingWrites => _ring.Count;

    /// <summary>Opens (creating when missing) a RocksDB-backed database.</summary>
    /// <exception cref="InvalidOperationException"><see cref="KiwiDbOptions.Raft"/> is set: use
    /// <see cref="OpenAsync(KiwiDbOptions, CancellationToken)"/>, which starts the Raft member.</exception>
    public static KiwiDb Open(KiwiDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Raft is not null)
        {
            throw new InvalidOperationException("cluster mode (KiwiDbOptions.Raft) starts a Raft member: open it with KiwiDb.OpenAsync");
        }

        return OpenStorage(options);
    }

    private static KiwiDb OpenStorage(KiwiDbOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Databases, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Databases, KiwiDbOptions.MaxDatabases, nameof(options));
        // The same split the KiwiDb reports as Memory.
        MemoryBudget budget = MemoryBudget.Split(options.MemoryBudgetBytes, options.BlockCacheBytes, options.ReadCacheBytes);
        RocksEngine engine = RocksEngine.Open(options.Path, budget.BlockCacheBytes, options.EnableWal, budget.ReadCacheBytes, memtableBudgetBytes: budget.MemtableBytes, rocksOptions: options.RocksDbOptions);
        try
        {
            if (options.VerifyOnOpen)
            {
                // A damaged table file refuses the open here rather than hiding its keys later.
                engine.Store.VerifyChecksums();
            }

            // Raft and standalone indexes must never mix (see ClusterIdentity).
            if (options.Raft is null)
            {
                Kiwi.Core.Raft.ClusterIdentity.RefuseStandalone(engine, options.Path);
            }
            else
            {
                Kiwi.Core.Raft.ClusterIdentity.Claim(engine, options.Raft.Members, options.Path);
            }

            return new KiwiDb(engine, ownsEngine: true, options);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Opens a RocksDB-backed database at <paramref name="path"/> with default options.</summary>
    public static KiwiDb Open(string path) => Open(new KiwiDbOptions { Path = path });

    /// <summary>
    /// Runs the pipeline over a caller-supplied engine (an in-memory engine for tests, a decorated engine).
    /// The engine is not disposed with the database. <see cref="KiwiDbOptions.Path"/> is ignored.
    /// </summary>
    internal static KiwiDb Open(IStorageEngine engine, KiwiDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Databases, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Databases, KiwiDbOptions.MaxDatabases, nameof(options));
        return new KiwiDb(engine, ownsEngine: false, options);
    }

    /// <summary>The durability mode the database was opened with.</summary>
    public Durability Durability => _durability;

    /// <summary>Keys deleted by the active expiry cycle since open.</summary>
    public long ExpiredKeys => _expiryCycle?.Deleted ?? 0;

    /// <summary>The writer's note of the earliest expiry indexed, for an expiry cycle run outside (tests).</summary>
    internal Expiry.ExpiryIndexLow ExpiryLow => _worker.ExpiryLow;

    /// <summary>Member groups of deleted, overwritten or expired collections the background cleanup removed since open.</summary>
    public long CleanedGroups => _cleanup?.GroupsDeleted ?? 0;

    /// <summary>The background cleanup of dead collection members (null when off).</summary>
    internal Cleanup.CollectionCleanup? CollectionCleanup => _cleanup;

    /// <summary>Has the writer delete member groups (see <see cref="ApplyWorker.RunCleanupAsync"/>); for tests.</summary>
    /// <summary>Runs reads queued in transactions on the writer (the RESP server's read code); set before serving.</summary>
    internal Transactions.ITransactionReads? TransactionReads
    {
        get => _worker.TransactionReads;
        set => _worker.TransactionReads = value;
    }

    internal Task<long> RunCleanupAsync(ReadOnlyMemory<byte> groups) => _worker.RunCleanupAsync(groups);

    /// <summary>Number of live keys in database <paramref name="db"/> (walks the key space: O(keys)).</summary>
    public long CountKeys(int db) => Reads.KeyScan.Count(_engine, PhysicalDatabase(db), NowMs(), CancellationToken.None);

    /// <summary>Number of live keys in database <paramref name="db"/>; the walk stops when <paramref name="cancellation"/> fires.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired during the walk.</exception>
    public long CountKeys(int db, CancellationToken cancellation) => Reads.KeyScan.Count(_engine, PhysicalDatabase(db), NowMs(), cancellation);

    /// <summary>The storage engine (reads of the protocol layer).</summary>
    internal IStorageEngine Engine => _engine;

    /// <summary>The current time in unix milliseconds, from the configured clock.</summary>
    public long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Stops accepting writes, applies every write already accepted, stops the background work and closes
    /// storage (memtables are not flushed: the WAL restores them on the next open).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a continuation running on the thread that applies
    /// writes (it would wait for itself); the database stays open.</exception>
    public void Dispose()
    {
        if (_root is not null)
        {
            // A database handle shares its store's lifetime: the store's owner disposes it.
            return;
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            _worker.ThrowIfApplyingOnThisThread();
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The Raft node feeds the writer: it stops first, then the writer applies what it already queued.
        Volatile.Read(ref _raft)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _expiryCycle?.Dispose();
        _cleanup?.Dispose();
        _worker.Dispose();
        _walSyncer?.Dispose();
        if (_ownsEngine)
        {
            _engine.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Rents a request and starts its entry with the proposal-time clock; its reply is written in <paramref name="protocol"/>.
    /// A <paramref name="session"/>'s request completes on the writer thread (the session's continuation only
    /// writes and flushes replies) and submitting it does not apply it: the session calls
    /// <see cref="ApplyPublished"/> once after a read's commands, so a pipeline is one batch.
    /// </summary>
    internal ApplyRequest Begin(long nowMs, Resp.RespVersion protocol = Resp.RespVersion.Resp3, bool session = false)
    {
        ThrowIfDisposed();
        ApplyRequest request = ApplyRequestPool.Rent();
        request.Protocol = protocol;
        request.CompleteOnWriterThread = session;
        CommandFormat.BeginEntry(request.Payload, nowMs);
        return request;
    }

    /// <summary>
    /// Hands a request to the writer (waiting while the ring is full). Outside a session, with inline apply on, it is
    /// applied when awaited: by the awaiting thread if the writer is idle (every write published before the await
    /// in the same batch), else by whoever holds the writer role; with inline apply off, by the writer thread, which
    /// a burst of submits keeps busy. A session's request (see <see cref="Begin"/>) waits for the session to call
    /// <see cref="ApplyPublished"/> after its read.
    /// </summary>
    internal void Submit(ApplyRequest request)
    {
        if (_clusterMode)
        {
            SubmitToCluster(request);
            return;
        }

        // Read before publishing: once published, an embedded request may complete and go back to the pool.
        bool session = request.CompleteOnWriterThread;
        bool onAwait = !session && _worker.AppliesOnAwait;
        if (onAwait)
        {
            request.ApplyOnAwait(_worker);
        }

        if (!_worker.Publish(request))
        {
            ApplyRequestPool.Return(request);
            ThrowDisposed();
        }

        if (!session && !onAwait)
        {
            _worker.ApplyPublished(inline: false);
        }
    }

    /// <summary>
    /// Applies the session writes (see <see cref="Begin"/>) this thread published: here,
    /// with <paramref name="inline"/> and the writer idle (their waiters are then complete on return), or on
    /// the writer thread. Sessions call it once per read: one batch for a pipeline.
    /// </summary>
    internal void ApplyPublished(bool inline) => _worker.ApplyPublished(inline);

    /// <summary>True on a thread applying this database's batches (a write's completion runs there): see <see cref="ApplyWorker.IsApplyingOnThisThread"/>.</summary>
    internal bool IsApplyingOnThisThread => _worker.IsApplyingOnThisThread;

    /// <summary>
    /// Applies every write published so far on this thread if the writer is idle, or leaves them to the writer
    /// (for a write scheduler, <c>Kiwi.Resp.IWriteScheduler</c>: the waiters of writes applied here are complete on return).
    /// </summary>
    internal void ApplyPublishedHere() => _worker.ApplyPublished(inline: true);

    /// <summary>Hands a prepared request to the writer and returns it for awaiting (server and internal use).</summary>
    internal ApplyRequest SubmitRaw(ApplyRequest request)
    {
        Submit(request);
        return request;
    }

    /// <summary>Where this handle's entries go: its database, replies in RESP3 (decoded into typed results).</summary>
    internal EntryTarget Target => new(this, Database, Resp.RespVersion.Resp3, session: false);

    /// <summary>Submits an encoder's entry, or throws its refusal as a <see cref="KiwiException"/> with Redis's text.</summary>
    internal ApplyRequest SubmitEntry(EncodedEntry entry)
    {
        if (entry.Request is null)
        {
            ThrowRefused(entry.Error);
        }

        return SubmitRaw(entry.Request);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRefused(ReadOnlySpan<byte> error) => throw KiwiException.FromErrorLine(error);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref Root._disposed) != 0)
        {
            ThrowDisposed();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(KiwiDb));

    private static ValueTask<bool> AwaitStatus(ApplyRequest request) => request.AsStatusTask();

    private static ValueTask<long> AwaitInteger(ApplyRequest request) => request.AsIntegerTask();

    private static ValueTask<KiwiValue> AwaitValue(ApplyRequest request) => request.AsValueTask();

    private static ValueTask AwaitOk(ApplyRequest request) => request.AsOkTask();
}
