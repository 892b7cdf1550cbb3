using Kiwi.Core.Apply;
using Kiwi.Core.Raft;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>The Raft member in cluster mode (null when standalone, or while it starts).</summary>
    public KiwiRaftNode? Raft => Volatile.Read(ref Root._raft);

    /// <summary>
    /// The highest log index whose writes are all in storage (in cluster mode a log entry carries many writes
    /// and can be split across two storage writes; <see cref="AppliedIndex"/> may name a partly applied one).
    /// </summary>
    public long FullyAppliedIndex => _worker.FullyAppliedIndex;

    /// <summary>True when writes made here are accepted: standalone, or this node leads the cluster.</summary>
    public bool CanWrite => !_clusterMode || Volatile.Read(ref Root._raft) is { IsLeader: true };

    /// <summary>
    /// Before a read that must be linearizable in cluster mode: completes once this node has applied every write
    /// acknowledged anywhere before the call (see <see cref="KiwiRaftNode.ReadBarrierAsync"/>). Standalone, and
    /// for reads that may be stale, it is not needed (it completes at once standalone).
    /// </summary>
    public Task ReadBarrierAsync(CancellationToken cancellationToken = default)
        => Volatile.Read(ref Root._raft) is { } node ? node.ReadBarrierAsync(cancellationToken)
            : _clusterMode ? Task.FromException(new KiwiException("CLUSTERDOWN the Raft member is not running")) : Task.CompletedTask;

    /// <summary>
    /// Opens a database; with <see cref="KiwiDbOptions.Raft"/> set, also starts its Raft member (storage first,
    /// so the log's replay finds the applied position) and returns once it runs. Standalone otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The Raft timeouts cannot work together (see <see cref="KiwiRaftOptions.RequestTimeout"/>).</exception>
    public static async Task<KiwiDb> OpenAsync(KiwiDbOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Raft?.TimeoutProblems() is [_, ..] problems)
        {
            throw new ArgumentException($"KiwiDbOptions.Raft: {string.Join("; ", problems)}", nameof(options));
        }

        KiwiDb db = OpenStorage(options);
        if (options.Raft is null)
        {
            return db;
        }

        try
        {
            KiwiRaftNode node = await KiwiRaftNode.StartAsync(db._worker, options.Raft, options.Path, options.RingCapacity, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref db._raft, node);
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a checkpoint of the whole store into <paramref name="directory"/> (which must not exist) on the
    /// writer, between two batches, and returns the position it holds: the fully applied index and its term.
    /// Fails with <c>TRYAGAIN</c> while the writer is inside a multi-write log entry.
    /// </summary>
    internal Task<(long Index, long Term)> CheckpointAsync(string directory) => _worker.RunLocalAsync(EntryKind.Checkpoint, directory);

    /// <summary>
    /// Replaces the whole store with the RocksDB checkpoint in <paramref name="directory"/>, as an installed Raft
    /// snapshot does, on the writer; returns the position it holds.
    /// </summary>
    internal Task<(long Index, long Term)> InstallAsync(string directory) => _worker.RunLocalAsync(EntryKind.Install, directory);

    /// <summary>Entries not applied because an earlier attempt of their write id was (see <see cref="Apply.WriteDedup"/>).</summary>
    internal long DuplicatesSkipped => _worker.DuplicatesSkipped;

    /// <summary>
    /// A write a follower forwarded (to this node's RESP session): its encoded entry as is (the follower's clock
    /// included), replied in its client's protocol.
    /// </summary>
    internal ApplyRequest BeginForwarded(ReadOnlySpan<byte> entry, Resp.RespVersion protocol)
    {
        ApplyRequest request = Begin(0, protocol, session: true);
        request.Payload.Set(entry);
        request.Forwarded = true;
        return request;
    }

    private void SubmitToCluster(ApplyRequest request)
    {
        KiwiRaftNode? node = Volatile.Read(ref Root._raft);
        if (node is null)
        {
            request.ReplyErrorText("CLUSTERDOWN the Raft member is not running");
            request.Complete();
            return;
        }

        node.Propose(request);
    }
}
