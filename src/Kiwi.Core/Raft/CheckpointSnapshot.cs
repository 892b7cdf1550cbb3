using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Kiwi.Core.Raft;

/// <summary>
/// A Raft snapshot that is a RocksDB checkpoint directory; sent file by file (<see cref="SnapshotFormat"/>).
/// <paramref name="resending"/> is told each time it is sent after its first transfer.
/// </summary>
internal sealed class CheckpointSnapshot(long index, long term, string directory, Action<CheckpointSnapshot>? resending = null) : ISnapshot
{
    private int _transfers;

    public long Index => index;

    public long Term => term;

    public string Directory => directory;

    public bool IsReusable => true;

    public long? Length => null;

    /// <summary>Transfers of this snapshot to members begun so far.</summary>
    public int Transfers => Volatile.Read(ref _transfers);

    public ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : notnull, IAsyncBinaryWriter
    {
        if (Interlocked.Increment(ref _transfers) > 1)
        {
            resending?.Invoke(this);
        }

        return new(SnapshotFormat.WriteAsync(directory, index, term, (bytes, t) => writer.WriteAsync(bytes, null, t), token));
    }
}
