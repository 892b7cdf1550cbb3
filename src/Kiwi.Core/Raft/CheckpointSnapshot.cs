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

    /// <summary>Fault injection for tests: this many next transfers get one byte altered on the way out.</summary>
    internal static int CorruptNextTransfers;

    public ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : notnull, IAsyncBinaryWriter
    {
        if (Volatile.Read(ref CorruptNextTransfers) > 0 && Interlocked.Decrement(ref CorruptNextTransfers) >= 0)
        {
            bool altered = false;
            return new(SnapshotFormat.WriteAsync(directory, index, term, (bytes, t) =>
            {
                if (!altered && bytes.Length > 30)
                {
                    byte[] copy = bytes.ToArray();
                    copy[30] ^= 0x5A;
                    altered = true;
                    return writer.WriteAsync(copy, null, t);
                }

                return writer.WriteAsync(bytes, null, t);
            }, token));
        }

        return new(SnapshotFormat.WriteAsync(directory, index, term, (bytes, t) => writer.WriteAsync(bytes, null, t), token));
    }
}
