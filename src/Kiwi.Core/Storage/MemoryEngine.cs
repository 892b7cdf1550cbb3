using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// An in-memory engine for unit tests of command logic: sorted dictionaries behind one lock. It allocates
/// freely and keeps nothing across restarts.
/// </summary>
internal sealed class MemoryEngine : IStorageEngine
{
    private readonly SortedDictionary<byte[], byte[]>[] _spaces;
    private readonly Lock _lock = new();

    // The state as of the last commit, copied by the first view that needs it and shared until the next commit.
    private KeyValuePair<byte[], byte[]>[][]? _frozen;

    /// <summary>Creates an empty engine.</summary>
    public MemoryEngine()
    {
        _spaces = new SortedDictionary<byte[], byte[]>[KeySpaces.Count];
        for (int i = 0; i < _spaces.Length; i++)
        {
            _spaces[i] = new SortedDictionary<byte[], byte[]>(ByteComparer.Instance);
        }
    }

    /// <summary>Number of commits so far.</summary>
    public int Commits { get; private set; }

    /// <inheritdoc />
    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
    {
        lock (_lock)
        {
            if (!_spaces[(int)space].TryGetValue(key.ToArray(), out byte[]? stored))
            {
                return false;
            }

            value.Set(stored);
            return true;
        }
    }

    /// <inheritdoc />
    public void Commit(WriteSet writes, bool sync)
    {
        var visitor = new Visitor(_spaces);
        lock (_lock)
        {
            writes.ForEach(ref visitor);
            Commits++;
            _frozen = null;
        }
    }

    /// <inheritdoc />
    public void SyncWal()
    {
    }

    /// <inheritdoc />
    public IStorageCursor OpenCursor(KeySpace space)
    {
        lock (_lock)
        {
            return new Cursor([.. _spaces[(int)space]]);
        }
    }

    /// <inheritdoc />
    public StorageSnapshot OpenSnapshot()
    {
        lock (_lock)
        {
            _frozen ??= [.. _spaces.Select(space => space.ToArray())];
            return new StorageSnapshot(new View(_frozen), 0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private readonly struct Visitor(SortedDictionary<byte[], byte[]>[] spaces) : WriteSet.IVisitor
    {
        public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => spaces[(int)space][key.ToArray()] = value.ToArray();

        public void Delete(KeySpace space, ReadOnlySpan<byte> key) => spaces[(int)space].Remove(key.ToArray());

        public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired)
        {
            var doomed = new List<byte[]>();
            foreach (byte[] key in spaces[(int)space].Keys)
            {
                if (key.AsSpan().SequenceCompareTo(begin) >= 0 && key.AsSpan().SequenceCompareTo(end) < 0)
                {
                    doomed.Add(key);
                }
            }

            foreach (byte[] key in doomed)
            {
                spaces[(int)space].Remove(key);
            }
        }
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>A view over sorted copies of the key spaces (one view object per use: the token is always 0).</summary>
    private sealed class View(KeyValuePair<byte[], byte[]>[][] spaces) : IStorageSnapshotSource
    {
        private bool _released;

        public bool TryGet(int token, KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
        {
            KeyValuePair<byte[], byte[]>[] entries = Live()[(int)space];
            int low = 0, high = entries.Length - 1;
            while (low <= high)
            {
                int mid = low + ((high - low) / 2);
                int order = entries[mid].Key.AsSpan().SequenceCompareTo(key);
                if (order == 0)
                {
                    value.Set(entries[mid].Value);
                    return true;
                }

                (low, high) = order < 0 ? (mid + 1, high) : (low, mid - 1);
            }

            return false;
        }

        public IStorageCursor OpenCursor(int token, KeySpace space) => new Cursor(Live()[(int)space]);

        public void Release(int token) => _released = true;

        private KeyValuePair<byte[], byte[]>[][] Live()
            => _released ? throw new ObjectDisposedException(nameof(StorageSnapshot)) : spaces;
    }

    private sealed class Cursor(KeyValuePair<byte[], byte[]>[] snapshot) : IStorageCursor
    {
        private int _position = snapshot.Length;

        public bool Valid => _position < snapshot.Length;

        public ReadOnlySpan<byte> Key => snapshot[_position].Key;

        public ReadOnlySpan<byte> Value => snapshot[_position].Value;

        public void Seek(ReadOnlySpan<byte> target)
        {
            _position = 0;
            while (_position < snapshot.Length && snapshot[_position].Key.AsSpan().SequenceCompareTo(target) < 0)
            {
                _position++;
            }
        }

        public void Next() => _position++;

        public void SeekForPrev(ReadOnlySpan<byte> target)
        {
            _position = snapshot.Length - 1;
            while (_position >= 0 && snapshot[_position].Key.AsSpan().SequenceCompareTo(target) > 0)
            {
                _position--;
            }

            _position = _position < 0 ? snapshot.Length : _position;
        }

        public void Prev() => _position = _position == 0 ? snapshot.Length : _position - 1;

        public void Dispose()
        {
        }
    }
}
