using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Kiwi.Core.Raft;

/// <summary>A Raft snapshot that is a RocksDB checkpoint directory; sent file by file (<see cref="SnapshotFormat"/>).</summary>
internal sealed class CheckpointSnapshot(long index, long term, string directory) : ISnapshot
{
    public long Index => index;

    public long Term => term;

    public string Directory => directory;

    public bool IsReusable => true;

    public long? Length => null;

    public ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : notnull, IAsyncBinaryWriter
    {
        return new(SnapshotFormat.WriteAsync(directory, index, term, (bytes, t) => writer.WriteAsync(bytes, null, t), token));
    }
}
