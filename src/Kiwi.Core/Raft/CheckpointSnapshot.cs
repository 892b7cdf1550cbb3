using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Kiwi.Core.Raft;

/// <summary>
/// A Raft snapshot that is a RocksDB checkpoint directory. What a transfer carries is its
/// <see cref="SnapshotManifest"/> (built once, on first use); the receiving node fetches the files from this
/// node's <see cref="SnapshotFileServer"/>. <paramref name="resending"/> is told each time it is sent after its
/// first transfer.
/// </summary>
internal sealed class CheckpointSnapshot(long index, long term, string directory, SnapshotStore store, Action<CheckpointSnapshot>? resending = null) : ISnapshot
{
    private readonly long _created = Environment.TickCount64;
    private readonly Lock _lock = new();
    private Task<byte[]>? _manifest;
    private int _transfers;

    public long Index => index;

    public long Term => term;

    public string Directory => directory;

    public bool IsReusable => true;

    public long? Length => null;

    /// <summary>Transfers of this snapshot to members begun so far.</summary>
    public int Transfers => Volatile.Read(ref _transfers);

    /// <summary>How long ago this node took or installed it.</summary>
    public TimeSpan Age => TimeSpan.FromMilliseconds(Environment.TickCount64 - _created);

    /// <summary>The manifest's bytes; built on first use (hashing every file: not tied to one request).</summary>
    public Task<byte[]> ManifestAsync()
    {
        lock (_lock)
        {
            if (_manifest is null || _manifest.IsFaulted || _manifest.IsCanceled)
            {
                _manifest = Task.Run(() => store.Manifest(this).ToBytes());
            }

            return _manifest;
        }
    }

    public async ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : notnull, IAsyncBinaryWriter
    {
        if (Interlocked.Increment(ref _transfers) > 1)
        {
            resending?.Invoke(this);
        }

        byte[] manifest = await ManifestAsync().WaitAsync(token).ConfigureAwait(false);
        await writer.WriteAsync(manifest, null, token).ConfigureAwait(false);
    }
}
