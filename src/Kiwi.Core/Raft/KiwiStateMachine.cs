using System.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Raft;

/// <summary>
/// DotNext's state machine, backed by the apply pipeline: each committed log entry's client entries go into the
/// commit ring with the entry's index and their position in it, and the ApplyWorker applies them in batches
/// (one RocksDB write per batch, the applied position in the same write). <see cref="ApplyAsync"/> returns as
/// soon as they are queued; entries the worker had not written before a crash are replayed by the log, because
/// <see cref="Snapshot"/> never claims more than the applied position stored in RocksDB.
/// </summary>
internal sealed class KiwiStateMachine : IStateMachine
{
    private readonly ApplyWorker _worker;
    private readonly long _appliedAtStart;
    private long _skippedEntries;
    private long _malformedEntries;
    private long _appliedEntries;
    private long _appliedCommands;
    private long _applyTicks;
    private long _lastPublished;

    public KiwiStateMachine(ApplyWorker worker)
    {
        _worker = worker;
        _appliedAtStart = worker.FullyAppliedIndex;
    }

    public int Version => 1;

    // No snapshots yet: the log replays from its first entry, and the worker skips what RocksDB already has.
    public ISnapshot? Snapshot => null;

    /// <summary>Log entries skipped at start because RocksDB already held them.</summary>
    public long SkippedEntries => Volatile.Read(ref _skippedEntries);

    /// <summary>
    /// The last log index whose client entries were handed to the writer (or that storage held at start): once
    /// the writer's fully applied index reaches it, every entry the log applied so far is readable.
    /// </summary>
    public long LastPublishedIndex => Math.Max(_appliedAtStart, Volatile.Read(ref _lastPublished));

    /// <summary>Log entries handed to the writer since start.</summary>
    public long AppliedEntries => Volatile.Read(ref _appliedEntries);

    /// <summary>Client commands handed to the writer since start.</summary>
    public long AppliedCommands => Volatile.Read(ref _appliedCommands);

    /// <summary>Time spent in <see cref="ApplyAsync"/> handing entries to the writer (the adaptor's cost).</summary>
    public TimeSpan ApplyTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Volatile.Read(ref _applyTicks));

    /// <summary>Log entries whose payload was not a batch entry (skipped: throwing would poison the log).</summary>
    public long MalformedEntries => Volatile.Read(ref _malformedEntries);

    public ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        // Always return the entry's own index: more would make the log skip entries for good.
        if (entry.Index <= _appliedAtStart)
        {
            _skippedEntries++;
            return new(entry.Index);
        }

        if (entry.IsSnapshot || !entry.TryGetPayload(out ReadOnlySequence<byte> payload) || payload.IsEmpty)
        {
            return new(entry.Index);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var reader = new SequenceReader<byte>(payload);
        if (!BatchEntry.TryReadHeader(ref reader, out int count, out ulong proposal) || count == 0)
        {
            Interlocked.Increment(ref _malformedEntries);
            return new(entry.Index);
        }

        if (entry.Context is ProposalBatch batch && batch.Count == count && batch.TryTake(proposal))
        {
            // The leader: the proposing clients' own requests, already holding their payloads.
            for (int i = 0; i < count; i++)
            {
                Publish(batch.Requests[i], entry, i, count);
            }

            batch.MarkPublished();
        }
        else
        {
            PublishCopies(ref reader, entry, count);
        }

        _worker.ApplyPublished(inline: false);
        Volatile.Write(ref _lastPublished, entry.Index);
        Volatile.Write(ref _appliedEntries, _appliedEntries + 1);
        Volatile.Write(ref _appliedCommands, _appliedCommands + count);
        Volatile.Write(ref _applyTicks, _applyTicks + System.Diagnostics.Stopwatch.GetTimestamp() - started);
        return new(entry.Index);
    }

    public ValueTask ReclaimGarbageAsync(long watermark, CancellationToken token) => ValueTask.CompletedTask;

    private void PublishCopies(ref SequenceReader<byte> reader, in LogEntry entry, int count)
    {
        // A follower, or a replay: copy each client entry once into a pooled request nobody waits for.
        for (int i = 0; i < count; i++)
        {
            ApplyRequest request = ApplyRequestPool.Rent();
            if (!BatchEntry.TryReadEntry(ref reader, request.Payload))
            {
                ApplyRequestPool.Return(request);
                Interlocked.Increment(ref _malformedEntries);
                return;
            }

            request.ReturnWhenApplied = true;
            Publish(request, entry, i, count);
        }
    }

    private void Publish(ApplyRequest request, in LogEntry entry, int sub, int count)
    {
        request.Index = entry.Index;
        request.Term = entry.Term;
        request.SubIndex = sub;
        request.SubCount = count;
        if (!_worker.Publish(request))
        {
            // Closed: the node is stopping. The entry stays in the log and is replayed on the next start.
            if (request.ReturnWhenApplied)
            {
                ApplyRequestPool.Return(request);
            }
            else
            {
                request.ReplyErrorText("ERR server is shutting down");
                request.Complete();
            }
        }
    }
}
