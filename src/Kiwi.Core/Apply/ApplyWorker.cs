using System.Diagnostics;
using Kiwi.Core.Commands;
using Kiwi.Core.Metrics;
using Kiwi.Core.Storage;
using Kiwi.Native.Ring;

namespace Kiwi.Core.Apply;

/// <summary>
/// The single writer. On its own thread it drains whatever the commit ring holds (a lone entry alone, a burst
/// as one batch), applies every entry against the batch's write set with read-your-writes, adds the applied
/// index to the same write set, commits it with ONE storage write, publishes the applied index, and only then
/// completes each entry's waiter. A failed commit fails every waiter of the batch; nothing of it is applied.
/// Producers publish with <see cref="Publish"/> and then call <see cref="ApplyPublished"/>; with inline apply a
/// producer that finds the writer idle applies the batch itself, but there is still one writer at a time:
/// whoever holds the writer role.
/// </summary>
internal sealed partial class ApplyWorker : IDisposable, KiwiMetrics.IMetricsSource
{
    private readonly IStorageEngine _engine;
    private readonly CommitRing<ApplyRequest> _ring;
    private readonly bool _syncEachBatch;
    private readonly ApplyRequest[] _batch;
    private readonly WriteSet _writes = new();
    private readonly ApplyContext _context;
    private readonly WriteDedup _dedup = new();
    private readonly Thread _thread;
    private long _appliedIndex;
    private long _appliedTerm;
    private int _appliedSub;
    private int _appliedSubCount;
    private long _fullyAppliedIndex;
    private long _failedBatches;
    private long _batchesWritten;

    private long _entriesApplied;
    private long _duplicatesSkipped;

    /// <summary>Creates the worker; call <see cref="Start"/>.</summary>
    /// <param name="engine">The storage every batch is committed to.</param>
    /// <param name="ring">The ring producers publish to (through <see cref="Publish"/> for inline apply).</param>
    /// <param name="durability">Whether each batch is synced.</param>
    /// <param name="maxBatch">The most entries applied as one storage write.</param>
    /// <param name="inlineApply">
    /// Lets a producer that finds the writer idle apply the batch on its own thread: an embedded caller when it awaits
    /// its write (with any durability: it waits for that fsync anyway), a session after its read (never with
    /// <see cref="Durability.Always"/>, whose fsync would hold every connection of that I/O thread).
    /// </param>
    /// <param name="databases">The number of databases (SELECT 0 to n-1).</param>
    public ApplyWorker(IStorageEngine engine, CommitRing<ApplyRequest> ring, Durability durability, int maxBatch = 1024, bool inlineApply = false, int databases = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _engine = engine;
        _ring = ring;
        _syncEachBatch = durability == Durability.Always;
        _batch = new ApplyRequest[maxBatch];
        Databases = new DatabaseMap(databases);
        Databases.Load(engine);
        Events = new PubSub.KeyspaceEvents(PubSub, Databases);
        Counts = new DatabaseCounts(databases);
        Counts.Load(engine);
        Blocking = new Blocking.BlockingKeys(this);
        _context = new ApplyContext(engine, _writes) { Blocking = Blocking, Events = Events, Databases = Databases, Counts = Counts, ExpiryLow = ExpiryLow };
        AppliedState.Position position = AppliedState.Read(engine);
        (_appliedIndex, _appliedTerm, _appliedSub, _appliedSubCount) = position;
        _fullyAppliedIndex = position.FullyApplied;
        _dedup.Load(engine);
        _context.Watches.Load(engine);
        _inlineApply = inlineApply && !_syncEachBatch;
        _applyOnAwait = inlineApply;
        _thread = new Thread(Run) { IsBackground = true, Name = "kiwi-apply" };
    }

    /// <summary>The keys blocked clients wait on: woken after each committed batch that wrote them.</summary>
    internal Blocking.BlockingKeys Blocking { get; }

    /// <summary>Runs reads queued in transactions (set once, before the first entry).</summary>
    internal Transactions.ITransactionReads? TransactionReads
    {
        get => _context.TransactionReads;
        set => _context.TransactionReads = value;
    }
    /// <summary>Which physical database each logical one stands on (SWAPDB), kept by the writer.</summary>
    internal DatabaseMap Databases { get; }

    /// <summary>How many keys each physical database holds, kept by the writer.</summary>
    internal DatabaseCounts Counts { get; }

    /// <summary>The earliest expiry the writer indexed since the expiry cycle last looked.</summary>
    internal Expiry.ExpiryIndexLow ExpiryLow { get; } = new();

    /// <summary>This node's pub/sub subscriptions: keyspace events and cluster publishes are delivered to them after commit.</summary>
    internal PubSub.PubSubHub PubSub { get; } = new();

    /// <summary>The keyspace notifications the writer notes while it applies a batch and publishes after its commit.</summary>
    internal PubSub.KeyspaceEvents Events { get; }

    /// <summary>The storage the writer commits to.</summary>
    internal IStorageEngine Engine => _engine;

    /// <summary>The highest index whose batch is committed (published after the storage write returned).</summary>
    public long AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <summary>
    /// The highest index whose every client entry is committed to storage (a Raft batch entry can be split
    /// across two storage writes; <see cref="AppliedIndex"/> may name a partly applied one).
    /// </summary>
    public long FullyAppliedIndex => Volatile.Read(ref _fullyAppliedIndex);

    /// <summary>The term of <see cref="AppliedIndex"/>.</summary>
    public long AppliedTerm => Volatile.Read(ref _appliedTerm);

    /// <summary>
    /// True on a thread that applies this worker's batches: its writer thread, or a caller holding the writer role
    /// inline. Continuations completed there must not wait on the ring, nor start a batch of their own.
    /// </summary>
    public bool IsApplyingOnThisThread => Thread.CurrentThread == _thread || Volatile.Read(ref _inlineHolder) == Environment.CurrentManagedThreadId;

    /// <summary>Batches committed since start.</summary>
    public long BatchesWritten => Volatile.Read(ref _batchesWritten);

    /// <summary>Entries applied (in committed batches) since start.</summary>
    public long EntriesApplied => Volatile.Read(ref _entriesApplied);

    /// <summary>Batches whose commit failed since start.</summary>
    public long FailedBatches => Volatile.Read(ref _failedBatches);

    int KiwiMetrics.IMetricsSource.RingOccupancy => _ring.Count;

    (long Hits, long Misses) KiwiMetrics.IMetricsSource.ReadCache => _engine is RocksEngine rocks ? rocks.ReadCacheStats : default;

    /// <summary>Starts the writer thread.</summary>
    public void Start()
    {
        KiwiMetrics.Register(this);
        _thread.Start();
    }

    /// <summary>Closes the ring, lets the writer apply everything already in it, and waits for it to stop.</summary>
    /// <exception cref="InvalidOperationException">Called by the thread applying a batch (from a continuation of a
    /// write completed there): it would wait for itself.</exception>
    public void Stop()
    {
        ThrowIfApplyingOnThisThread();
        _ring.Close();
        Volatile.Write(ref _writerParked, 0);
        _wake.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        ReleaseWaiters();
        KiwiMetrics.Unregister(this);
    }

    /// <summary>Throws when this thread is applying a batch of this worker (it cannot wait for the writer to stop).</summary>
    public void ThrowIfApplyingOnThisThread()
    {
        if (IsApplyingOnThisThread)
        {
            throw new InvalidOperationException("the database cannot be disposed by the thread applying its writes (a write's continuation); dispose it from another thread");
        }
    }

    /// <summary>Stops the writer and releases its buffers (not the engine or the ring).</summary>
    public void Dispose()
    {
        Blocking.CancelAll();
        Stop();
        _context.Dispose();
        _groupEnd.Dispose();
        _writes.Dispose();
        _wake.Dispose();
        Blocking.Dispose();
        Events.Dispose();
        PubSub.Dispose();
    }

    private void ApplyBatch(int n)
    {
        int start = 0;
        while (start < n)
        {
            start = ApplySegment(_batch.AsSpan(start, n - start)) + start;
        }

        _batch.AsSpan(0, n).Clear();
    }

    // Applies entries of the batch as ONE storage write, up to the end or to an entry that ends the batch (see
    // ApplyContext.EndBatch), completes their waiters and returns how many it took.
    private int ApplySegment(Span<ApplyRequest> batch)
    {
        _writes.Clear();
        _context.EndBatch = false;
        _context.WakeAllBlocked = false;
        _context.ForgetKnownKey();
        long index = _appliedIndex;
        long term = _appliedTerm;
        int sub = _appliedSub;
        int subCount = _appliedSubCount;
        if (batch.Length > 1)
        {
            PrefetchKeys(batch);
        }

        int commands = 0;
        int taken = 0;
        while (taken < batch.Length && !_context.EndBatch)
        {
            if (batch[taken].Kind is EntryKind.Checkpoint or EntryKind.Install or EntryKind.Cleanup)
            {
                if (taken > 0)
                {
                    // Commit what precedes it first: the checkpoint must hold it, the install replaces it, the
                    // cleanup re-checks committed meta records and writes no applied index.
                    break;
                }

                switch (batch[0].Kind)
                {
                    case EntryKind.Checkpoint:
                        TakeCheckpoint(batch[..1]);
                        break;
                    case EntryKind.Install:
                        Install(batch[..1]);
                        break;
                    default:
                        Cleanup(batch[..1]);
                        break;
                }

                return 1;
            }

            ApplyRequest request = batch[taken++];
            if (request.Index == 0)
            {
                // Standalone: the writer numbers entries.
                request.Index = index + 1;
                request.SubIndex = 0;
                request.SubCount = 1;
            }
            else if (request.Index < index || (request.Index == index && request.SubIndex < sub))
            {
                // Replayed after a restart: already in storage.
                request.ReplyOk();
                continue;
            }

            index = request.Index;
            sub = request.SubIndex + 1;
            subCount = request.SubCount;
            term = Math.Max(term, request.Term);
            if (request.Kind == EntryKind.Normal)
            {
                if (request.WriteOrigin == 0)
                {
                    commands += CommandExecutor.Execute(_context, request);
                }
                else
                {
                    commands += ExecuteOnce(request);
                }
            }
            else
            {
                // Blank and membership entries carry no data but still advance the applied index.
                request.ReplyOk();
            }
        }

        batch = batch[..taken];
        var position = new AppliedState.Position(index, term, sub, subCount);
        AppliedState.Write(_writes, position);
        _dedup.WriteChanges(_writes);
        _context.Watches.WriteChanges(_writes);
        Databases.WriteChanges(_writes);
        Counts.WriteChanges(_writes);
        // Cursors kept for the batch's walks would pin the memtables they saw: let them go before the commit.
        _context.ReleaseCursors();
        long started = Stopwatch.GetTimestamp();
        try
        {
            _engine.Commit(_writes, _syncEachBatch);
        }
        catch (Exception ex)
        {
            // The write ids this batch recorded are not stored: back to what storage holds.
            ReloadDedup();
            Databases.Discard();
            Counts.Discard();
            Blocking.Discard();
            Events.Discard();
            _context.ZSetEdges.Clear();
            FailBatch(batch, ex);
            return taken;
        }

        KiwiMetrics.WriteLatency.Record(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        Databases.Publish();
        Counts.Publish();
        Volatile.Write(ref _appliedTerm, term);
        _appliedSub = sub;
        _appliedSubCount = subCount;
        Volatile.Write(ref _appliedIndex, index);
        Volatile.Write(ref _fullyAppliedIndex, position.FullyApplied);
        Volatile.Write(ref _batchesWritten, _batchesWritten + 1);
        Volatile.Write(ref _entriesApplied, _entriesApplied + taken);
        KiwiMetrics.CommandsApplied.Add(commands);
        KiwiMetrics.BatchesWritten.Add(1);
        KiwiMetrics.BatchSize.Record(taken);

        // Before the replies: a RESP3 client notified of its own write gets the push first, as from Redis.
        Events.Publish();
        _handedOff |= CompletionChunk.CompleteAll(batch);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            ReleaseWaiters();
        }

        Blocking.Publish();
        if (_context.WakeAllBlocked)
        {
            // SWAPDB: a blocked client's key may now hold data in its database (Redis serves it from the new contents).
            Blocking.WakeAll();
        }

        return taken;
    }

    private void TakeCheckpoint(Span<ApplyRequest> single)
    {
        ApplyRequest request = single[0];
        if (_appliedSub < _appliedSubCount)
        {
            // Inside a log entry: the copy would hold only part of its writes. The caller asks again later.
            request.ReplyErrorText("TRYAGAIN the writer is inside a log entry; checkpoint later");
        }
        else
        {
            try
            {
                _engine.Checkpoint(System.Text.Encoding.UTF8.GetString(request.Payload.WrittenSpan));

                // The log may be compacted up to the checkpoint's index: everything below it must be durable here.
                _engine.SyncWal();
                request.Term = _appliedTerm;
                request.ReplyInteger(_appliedIndex);
            }
            catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or IOException or NotSupportedException or UnauthorizedAccessException)
            {
                request.Fail(ex.Message);
            }
        }

        CompletionChunk.CompleteAll(single);
    }

    private void FailBatch(Span<ApplyRequest> batch, Exception ex)
    {
        Interlocked.Increment(ref _failedBatches);
        KiwiMetrics.BatchesFailed.Add(1);
        string detail = ex.Message;
        for (int i = 0; i < batch.Length; i++)
        {
            ApplyRequest request = batch[i];
            if (request.Index > _appliedIndex && request.Kind == EntryKind.Normal && request.Term == 0)
            {
                // Standalone indexes are assigned here; the next batch reuses them.
                request.Index = 0;
            }

            batch[i] = null!;
            if (request.ReturnWhenApplied)
            {
                // Nobody waits for it: this node now lags its log (a restart replays the entry).
                ApplyRequestPool.Return(request);
                continue;
            }

            request.Fail(detail);
            if (!request.TryCompleteUnawaited())
            {
                request.Complete();
                _handedOff = true;
            }
        }
    }
}
