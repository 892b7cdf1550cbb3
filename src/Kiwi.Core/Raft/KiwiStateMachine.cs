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
internal sealed class KiwiStateMachine : IStateMachine, IDisposable
{
    // A snapshot sent again is replaced by a newer one (OnResending) only once it is at least this old, so that a
    // member still fetching a large one is not handed a new one at every short request timeout.
    private static readonly TimeSpan s_replaceResentAfter = TimeSpan.FromSeconds(2);

    private readonly ApplyWorker _worker;
    private readonly long _appliedAtStart;
    private long _skippedEntries;
    private long _malformedEntries;
    private long _appliedEntries;
    private long _appliedCommands;
    private long _applyTicks;
    private long _lastPublished;

    private readonly SnapshotStore _snapshots;
    private readonly long _snapshotEvery;
    private CheckpointSnapshot? _snapshot;
    private int _snapshotting;
    private long _snapshotsTaken;
    private long _snapshotsInstalled;
    private long _snapshotsRejected;
    private long _snapshotsForResend;
    private long _installedThrough;
    private long _lastTerm;
    private readonly SnapshotInstaller _installer;
    private readonly SnapshotFetcher _fetcher;

    private readonly PendingWrites? _pending;

    public KiwiStateMachine(ApplyWorker worker, SnapshotStore snapshots, long snapshotEvery, TimeSpan connectTimeout, TimeSpan chunkTimeout, PendingWrites? pending = null)
    {
        _worker = worker;
        _pending = pending;
        _fetcher = new SnapshotFetcher(snapshots.Staging, connectTimeout, chunkTimeout);
        _installer = new SnapshotInstaller(_fetcher, LoadAsync);
        _appliedAtStart = worker.FullyAppliedIndex;
        _snapshots = snapshots;
        _snapshotEvery = Math.Max(1, snapshotEvery);

        // Never more than storage holds: the log replays everything after it.
        _snapshot = snapshots.Latest(_appliedAtStart, OnResending);
    }

    public int Version => 1;

    public ISnapshot? Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Snapshots taken here since start.</summary>
    public long SnapshotsTaken => Volatile.Read(ref _snapshotsTaken);

    /// <summary>Snapshot transfers rejected (cut, altered or inconsistent) since start.</summary>
    public long SnapshotsRejected => Volatile.Read(ref _snapshotsRejected) + _installer.Rejected;

    /// <summary>Snapshots taken here because one was about to be sent again (<see cref="OnResending"/>) since start.</summary>
    public long SnapshotsForResend => Volatile.Read(ref _snapshotsForResend);

    /// <summary>Snapshots received from the leader and installed since start.</summary>
    public long SnapshotsInstalled => Volatile.Read(ref _snapshotsInstalled);

    /// <summary>The highest term of the entries the log handed to this state machine (a new leader's first entry included).</summary>
    public long LastTerm => Volatile.Read(ref _lastTerm);

    /// <summary>Snapshot file bytes fetched from leaders since start.</summary>
    public long SnapshotBytesFetched => _fetcher.BytesFetched;

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
        if (entry.Index <= _appliedAtStart || entry.Index <= Volatile.Read(ref _installedThrough))
        {
            _skippedEntries++;
            return new(entry.Index);
        }

        if (entry.Term > Volatile.Read(ref _lastTerm))
        {
            Volatile.Write(ref _lastTerm, entry.Term);
        }

        if (entry.IsSnapshot)
        {
            return InstallAsync(entry, token);
        }

        if (_installer.Busy)
        {
            // A snapshot still loading (its request gone): entries it holds must not be applied on top of it.
            return ApplyAfterInstallAsync(entry, token);
        }

        if (!entry.TryGetPayload(out ReadOnlySequence<byte> payload) || payload.IsEmpty)
        {
            return new(entry.Index);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var reader = new SequenceReader<byte>(payload);
        if (!BatchEntry.TryReadHeader(ref reader, out byte version, out int count, out ulong proposal) || count == 0)
        {
            Interlocked.Increment(ref _malformedEntries);
            return new(entry.Index);
        }

        // The proposing clients' own requests only when the entry is the one this node proposed: a deposed leader's
        // context can stay on an index that the new leader's log overwrote with another entry (another term).
        if (entry.Context is ProposalBatch batch && batch.Term == entry.Term && batch.Count == count && batch.TryTake(proposal))
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
            PublishCopies(ref reader, version, entry, count);
        }

        _worker.ApplyPublished(inline: false);
        Volatile.Write(ref _lastPublished, entry.Index);
        if (entry.Index - (Volatile.Read(ref _snapshot)?.Index ?? 0) >= _snapshotEvery && Interlocked.Exchange(ref _snapshotting, 1) == 0)
        {
            _ = TakeSnapshotAsync();
        }

        Volatile.Write(ref _appliedEntries, _appliedEntries + 1);
        Volatile.Write(ref _appliedCommands, _appliedCommands + count);
        Volatile.Write(ref _applyTicks, _applyTicks + System.Diagnostics.Stopwatch.GetTimestamp() - started);
        return new(entry.Index);
    }

    private async ValueTask<long> ApplyAfterInstallAsync(LogEntry entry, CancellationToken token)
    {
        try
        {
            await _installer.Current.WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed install changed nothing: the entry applies on the data as they were.
        }

        return await ApplyAsync(entry, token).ConfigureAwait(false);
    }

    public ValueTask ReclaimGarbageAsync(long watermark, CancellationToken token)
    {
        _snapshots.DeleteBelow(watermark, Volatile.Read(ref _snapshot)?.Index ?? 0);
        return ValueTask.CompletedTask;
    }

    // The leader sends a snapshot again when the member did not acknowledge the last transfer. The member may hold
    // it all the same: its install ended after the leader's request timeout, or the answer was lost. DotNext then
    // rejects the copy (the member has committed that index) and the leader answers a rejection by stepping the
    // member's next index back, which, below the snapshot, means this snapshot again: for ever, the member left
    // without a leader, until a newer snapshot exists. So a snapshot about to be sent again is replaced by a newer
    // one as soon as the log has moved past it; a member that never got the old one installs the new one as well.
    private void OnResending(CheckpointSnapshot sent)
    {
        if (LastPublishedIndex > sent.Index && sent.Age >= s_replaceResentAfter && ReferenceEquals(Volatile.Read(ref _snapshot), sent)
            && Interlocked.Exchange(ref _snapshotting, 1) == 0)
        {
            Interlocked.Increment(ref _snapshotsForResend);
            _ = TakeSnapshotAsync();
        }
    }

    // A checkpoint taken by the writer after the entries published so far; its position is the snapshot's.
    private async Task TakeSnapshotAsync()
    {
        string temporary = _snapshots.NewTemporary();
        try
        {
            (long index, long term) = await _worker.RunLocalAsync(EntryKind.Checkpoint, temporary).ConfigureAwait(false);
            if (index > (Volatile.Read(ref _snapshot)?.Index ?? 0))
            {
                Volatile.Write(ref _snapshot, _snapshots.Publish(temporary, index, term, OnResending));
                Interlocked.Increment(ref _snapshotsTaken);
            }
        }
        catch (Exception ex) when (ex is KiwiException or IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // Inside a multi-write entry, stopping, or a disk error: the next entries ask again.
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            Volatile.Write(ref _snapshotting, 0);
        }
    }

    // The leader sent a snapshot (this node was too far behind its log): the transfer is its manifest; the files
    // are fetched and loaded by the installer, which outlives this request. The request waits for it; when the
    // leader gives up first, the load goes on, and the leader's next transfer of it finds it done or under way.
    // A manifest that fails verification throws, so it is not taken as installed and the leader sends it again.
    private async ValueTask<long> InstallAsync(LogEntry entry, CancellationToken token)
    {
        SnapshotManifest manifest;
        try
        {
            using var bytes = new MemoryStream();
            await entry.WriteToAsync(DotNext.IO.IAsyncBinaryWriter.Create(bytes, new byte[4096]), token).ConfigureAwait(false);
            manifest = SnapshotManifest.Parse(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            if (manifest.Index != entry.Index)
            {
                throw new InvalidDataException($"snapshot holds index {manifest.Index}, the log says {entry.Index}");
            }
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref _snapshotsRejected);
            throw;
        }

        if (Volatile.Read(ref _snapshot) is not { } held || held.Index != manifest.Index || held.Term != manifest.Term)
        {
            await _installer.InstallAsync(manifest).WaitAsync(token).ConfigureAwait(false);
        }

        await SnapshotFaults.AcknowledgeLateIfAskedAsync().ConfigureAwait(false);
        return entry.Index;
    }

    // Loads fetched snapshot files into storage (on the installer, whatever became of the request).
    private async Task LoadAsync(SnapshotManifest manifest, SnapshotFetcher fetcher)
    {
        string incoming = _snapshots.NewTemporary();
        try
        {
            fetcher.MoveTo(manifest, incoming);
            if (SnapshotFaults.InstallDelay > TimeSpan.Zero)
            {
                await Task.Delay(SnapshotFaults.InstallDelay).ConfigureAwait(false);
            }

            await _worker.RunLocalAsync(EntryKind.Install, incoming).ConfigureAwait(false);
            Volatile.Write(ref _installedThrough, manifest.Index);
            Volatile.Write(ref _lastPublished, Math.Max(Volatile.Read(ref _lastPublished), manifest.Index));
            Volatile.Write(ref _snapshot, _snapshots.Publish(incoming, manifest.Index, manifest.Term, OnResending));
            Interlocked.Increment(ref _snapshotsInstalled);
        }
        finally
        {
            if (Directory.Exists(incoming))
            {
                Directory.Delete(incoming, recursive: true);
            }
        }
    }

    /// <summary>Stops an install under way (its fetch; a load in progress is let finish).</summary>
    public void Dispose() => _installer.Dispose();

    private void PublishCopies(ref SequenceReader<byte> reader, byte version, in LogEntry entry, int count)
    {
        // A follower, or a replay: copy each client entry once into a pooled request nobody waits for.
        for (int i = 0; i < count; i++)
        {
            if (!BatchEntry.TryReadEntryHeader(ref reader, version, out int length, out WriteId id))
            {
                Interlocked.Increment(ref _malformedEntries);
                return;
            }

            if (_pending is not null && id.Origin == _pending.Origin && _pending.TryTake(id.Seq, null, out ApplyRequest? own))
            {
                // A write this node accepted from a client and is still waiting on (forwarded, or being retried):
                // apply the client's own request, same bytes, so its reply is this apply's.
                reader.Advance(length);
                Publish(own!, entry, i, count);
                continue;
            }

            ApplyRequest request = ApplyRequestPool.Rent();
            BatchEntry.CopyEntry(ref reader, length, request.Payload);
            request.WriteOrigin = id.Origin;
            request.WriteSeq = id.Seq;
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
