using System.Globalization;

namespace Kiwi.Core.Raft;

/// <summary>
/// The snapshots of one node: <c>snapshots/&lt;index&gt;/</c> (a RocksDB checkpoint) and its
/// <c>&lt;index&gt;.meta</c> ("index term"), written last, so a snapshot without meta is incomplete and ignored.
/// The metadata of the newest is kept in memory (cache-aside: read from disk at start, updated on each change).
/// Each snapshot is offered to other members through <paramref name="files"/> once its manifest is built.
/// </summary>
internal sealed class SnapshotStore(string root, SnapshotFileServer files)
{
    private readonly string _root = Prepare(root);
    private readonly SnapshotFileHashes _hashes = new();

    private static string Prepare(string root)
    {
        Directory.CreateDirectory(root);
        foreach (string leftover in Directory.GetDirectories(root, "tmp-*"))
        {
            Directory.Delete(leftover, recursive: true);
        }

        foreach (string leftover in Directory.GetFiles(root, "*.part"))
        {
            File.Delete(leftover);
        }

        return root;
    }

    public string Root => _root;

    /// <summary>Where fetched snapshot files wait until a whole snapshot is in.</summary>
    public string Staging => Path.Combine(_root, "staging");

    /// <summary>Where this node serves its snapshots' files.</summary>
    public SnapshotFileServer Files => files;

    /// <summary>The manifest of <paramref name="snapshot"/> (hashing its files), now offered to other members.</summary>
    public SnapshotManifest Manifest(CheckpointSnapshot snapshot)
    {
        byte[] token = System.Security.Cryptography.RandomNumberGenerator.GetBytes(SnapshotManifest.TokenSize);
        var manifest = new SnapshotManifest(snapshot.Index, snapshot.Term, token, files.EndPoint, _hashes.Describe(snapshot.Directory, CancellationToken.None));
        files.Serve(snapshot.Index, snapshot.Directory, token);
        return manifest;
    }

    /// <summary>A fresh directory name for a checkpoint in progress.</summary>
    public string NewTemporary() => Path.Combine(_root, "tmp-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The newest complete snapshot at or below <paramref name="maxIndex"/>, or null; <paramref name="resending"/> is
    /// told when it is sent again (<see cref="CheckpointSnapshot"/>).
    /// </summary>
    public CheckpointSnapshot? Latest(long maxIndex, Action<CheckpointSnapshot>? resending = null)
    {
        CheckpointSnapshot? best = null;
        foreach (string meta in Directory.GetFiles(_root, "*.meta"))
        {
            if (TryReadMeta(meta, out long index, out long term) && index <= maxIndex && (best is null || index > best.Index)
                && Directory.Exists(DirectoryOf(index)))
            {
                best = new CheckpointSnapshot(index, term, DirectoryOf(index), this, resending);
            }
        }

        return best;
    }

    /// <summary>Makes <paramref name="temporary"/> the snapshot of (index, term); returns it.</summary>
    public CheckpointSnapshot Publish(string temporary, long index, long term, Action<CheckpointSnapshot>? resending = null)
    {
        string final = DirectoryOf(index);
        if (Directory.Exists(final))
        {
            Directory.Delete(temporary, recursive: true);
        }
        else
        {
            Directory.Move(temporary, final);
        }

        string meta = Path.Combine(_root, Name(index) + ".meta");
        string part = meta + ".part";
        using (var stream = new FileStream(part, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{index} {term}\n")));
            stream.Flush(flushToDisk: true);
        }

        File.Move(part, meta, overwrite: true);
        return new CheckpointSnapshot(index, term, final, this, resending);
    }

    /// <summary>Deletes every snapshot below <paramref name="watermark"/> except <paramref name="keep"/>.</summary>
    public void DeleteBelow(long watermark, long keep)
    {
        foreach (string meta in Directory.GetFiles(_root, "*.meta"))
        {
            if (TryReadMeta(meta, out long index, out _) && index < watermark && index != keep)
            {
                files.Withdraw(index);
                File.Delete(meta);
                if (Directory.Exists(DirectoryOf(index)))
                {
                    Directory.Delete(DirectoryOf(index), recursive: true);
                }
            }
        }
    }

    private static string Name(long index) => index.ToString("D20", CultureInfo.InvariantCulture);

    private string DirectoryOf(long index) => Path.Combine(_root, Name(index));

    private static bool TryReadMeta(string path, out long index, out long term)
    {
        index = term = 0;
        string[] parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out term);
    }
}
