using System.Collections.Concurrent;
using System.IO.Hashing;

namespace Kiwi.Core.Raft;

/// <summary>
/// The xxHash64 of snapshot files, remembered by (name, size, last write time): checkpoints hard-link the same
/// immutable SST files, so each file is read once however many snapshots hold it.
/// </summary>
internal sealed class SnapshotFileHashes
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<(string Name, long Size, DateTime Written), ulong> _known = new();

    /// <summary>Every file of <paramref name="directory"/> (sorted by name) with its size and hash.</summary>
    public SnapshotFile[] Describe(string directory, CancellationToken token)
    {
        string[] paths = Directory.GetFiles(directory);
        Array.Sort(paths, StringComparer.Ordinal);
        var files = new SnapshotFile[paths.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            var info = new FileInfo(paths[i]);
            var key = (info.Name, info.Length, info.LastWriteTimeUtc);
            if (!_known.TryGetValue(key, out ulong hash))
            {
                hash = Of(paths[i], token);
                if (_known.Count >= MaxRemembered)
                {
                    _known.Clear();
                }

                _known[key] = hash;
            }

            files[i] = new SnapshotFile(info.Name, info.Length, hash);
        }

        return files;
    }

    /// <summary>The xxHash64 of a whole file.</summary>
    public static ulong Of(string path, CancellationToken token)
    {
        var hash = new XxHash64();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                token.ThrowIfCancellationRequested();
                hash.Append(buffer.AsSpan(0, n));
            }

            return hash.GetCurrentHashAsUInt64();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
