namespace Kiwi.Core.Storage;

/// <summary>
/// The writer's own records in <see cref="KeySpace.Raft"/>, one kind per key prefix followed by an 8-byte big-endian
/// id (write ids, WATCH state): the walk that loads them, and what installing a snapshot does to all of one kind.
/// </summary>
internal static class RaftRecords
{
    /// <summary>The bytes of the id after the prefix.</summary>
    public const int IdSize = 8;

    /// <summary>Deletes every record under <paramref name="prefix"/> (RocksDB wants no put after it in the same write).</summary>
    public static void DeleteAll(WriteSet writes, ReadOnlySpan<byte> prefix)
    {
        // Past every prefix | id.
        Span<byte> end = stackalloc byte[prefix.Length + IdSize + 1];
        prefix.CopyTo(end);
        end[prefix.Length..].Fill(0xFF);
        writes.DeleteRange(KeySpace.Raft, prefix, end);
    }

    /// <summary>Adds every record under <paramref name="prefix"/> in <paramref name="source"/> to <paramref name="writes"/>.</summary>
    public static void CopyAll(IStorageEngine source, WriteSet writes, ReadOnlySpan<byte> prefix)
    {
        using var walk = new Walk(source, prefix);
        while (walk.Next())
        {
            writes.Put(KeySpace.Raft, walk.Key, walk.Value);
        }
    }

    /// <summary>The records under one prefix in key order (id order), read from a cursor of their own.</summary>
    public ref struct Walk
    {
        private readonly IStorageCursor _cursor;
        private readonly ReadOnlySpan<byte> _prefix;
        private bool _started;

        /// <summary>Opens a walk of the records under <paramref name="prefix"/> in <paramref name="engine"/>.</summary>
        public Walk(IStorageEngine engine, ReadOnlySpan<byte> prefix)
        {
            _cursor = engine.OpenCursor(KeySpace.Raft);
            _prefix = prefix;
        }

        /// <summary>The record's whole key.</summary>
        public readonly ReadOnlySpan<byte> Key => _cursor.Key;

        /// <summary>The record's value.</summary>
        public readonly ReadOnlySpan<byte> Value => _cursor.Value;

        /// <summary>True when the key is the prefix and an id (anything else is corrupt).</summary>
        public readonly bool HasId => _cursor.Key.Length == _prefix.Length + IdSize;

        /// <summary>The id bytes (big endian; check <see cref="HasId"/> first).</summary>
        public readonly ReadOnlySpan<byte> Id => _cursor.Key[_prefix.Length..];

        /// <summary>Moves to the next record; false past the last.</summary>
        public bool Next()
        {
            if (_started)
            {
                _cursor.Next();
            }
            else
            {
                _cursor.Seek(_prefix);
                _started = true;
            }

            return _cursor.Valid && _cursor.Key.StartsWith(_prefix);
        }

        /// <summary>Closes the cursor.</summary>
        public readonly void Dispose() => _cursor.Dispose();
    }
}
