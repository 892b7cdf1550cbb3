using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// How many keys, and how many keys with an expiry, each physical database holds: DBSIZE and INFO keyspace in
/// O(1). A key is a meta record present, expired or not (Redis counts a key until it is reclaimed too). The writer
/// changes the counts as it writes meta records and stores them in the same batch, so they match the data after a
/// restart, a failed batch or an installed snapshot.
/// Persisted in <see cref="KeySpace.Raft"/>: key <c>"dbcounts"</c>, value <c>version:u8 (1) | n:u16 LE | (keys:i64 LE |
/// expires:i64 LE) × n</c> for physical databases 0 to n-1 (the ones after are empty). A store written before the
/// record existed is counted once, by a walk, when it opens.
/// </summary>
/// <remarks>
/// The writer changes its own counts and notes each change in a journal, so a command that fails can be taken
/// back (<see cref="Rollback"/>) and a batch that fails can be forgotten (<see cref="Discard"/>); readers see the
/// counts published after the last committed batch.
/// </remarks>
internal sealed class DatabaseCounts
{
    private const byte RecordVersion = 1;
    private const int EntrySize = 16;

    private long[] _keys;
    private long[] _expires;
    private long[] _publishedKeys;
    private long[] _publishedExpires;
    private Change[] _journal = new Change[16];
    private int _journalLength;

    // The counts came from a walk (no record stored yet): the next batch stores them.
    private bool _unstored;

    /// <summary>Creates empty counts for <paramref name="count"/> physical databases.</summary>
    public DatabaseCounts(int count)
    {
        _keys = new long[count];
        _expires = new long[count];
        _publishedKeys = new long[count];
        _publishedExpires = new long[count];
    }

    /// <summary>The record's key.</summary>
    public static ReadOnlySpan<byte> Key => "dbcounts"u8;

    /// <summary>Any thread: the keys of physical database <paramref name="db"/> in the committed state.</summary>
    public long Keys(int db)
    {
        long[] keys = Volatile.Read(ref _publishedKeys);
        return (uint)db < (uint)keys.Length ? Math.Max(0, Volatile.Read(ref keys[db])) : 0;
    }

    /// <summary>Any thread: the keys with an expiry of physical database <paramref name="db"/> in the committed state.</summary>
    public long Expires(int db)
    {
        long[] expires = Volatile.Read(ref _publishedExpires);
        return (uint)db < (uint)expires.Length ? Math.Max(0, Volatile.Read(ref expires[db])) : 0;
    }

    /// <summary>Writer thread: the keys of physical database <paramref name="db"/> as the batch being built has them.</summary>
    public long WriterKeys(int db) => (uint)db < (uint)_keys.Length ? Math.Max(0, _keys[db]) : 0;

    /// <summary>Writer thread: the keys of every database as the batch being built has them.</summary>
    public long WriterKeysAll()
    {
        long total = 0;
        for (int db = 0; db < _keys.Length; db++)
        {
            total += Math.Max(0, _keys[db]);
        }

        return total;
    }

    /// <summary>Writer thread: a position in the journal to <see cref="Rollback"/> to.</summary>
    public int Mark => _journalLength;

    /// <summary>Writer thread: physical database <paramref name="db"/> gained (or lost) keys and keys with an expiry.</summary>
    public void Add(int db, long keys, long expires)
    {
        if ((keys | expires) == 0)
        {
            return;
        }

        if ((uint)db >= (uint)_keys.Length)
        {
            Grow(db + 1);
        }

        _keys[db] += keys;
        _expires[db] += expires;
        if (_journalLength == _journal.Length)
        {
            Array.Resize(ref _journal, _journal.Length * 2);
        }

        _journal[_journalLength++] = new Change(db, keys, expires);
    }

    /// <summary>Writer thread: physical database <paramref name="db"/> was emptied (FLUSHDB).</summary>
    public void Clear(int db)
    {
        if ((uint)db < (uint)_keys.Length)
        {
            Add(db, -_keys[db], -_expires[db]);
        }
    }

    /// <summary>Writer thread: every database was emptied (FLUSHALL).</summary>
    public void ClearAll()
    {
        for (int db = 0; db < _keys.Length; db++)
        {
            Clear(db);
        }
    }

    /// <summary>Writer thread: takes back the changes noted since <paramref name="mark"/> (a command that failed).</summary>
    public void Rollback(int mark)
    {
        while (_journalLength > mark)
        {
            Change change = _journal[--_journalLength];
            _keys[change.Db] -= change.Keys;
            _expires[change.Db] -= change.Expires;
        }
    }

    /// <summary>Writer thread: adds the record to <paramref name="writes"/> when the batch changed a count.</summary>
    public void WriteChanges(WriteSet writes)
    {
        if (_journalLength == 0 && !_unstored)
        {
            return;
        }

        int n = _keys.Length;
        while (n > 0 && _keys[n - 1] == 0 && _expires[n - 1] == 0)
        {
            n--;
        }

        Span<byte> value = writes.Reserve(KeySpace.Raft, Key, 3 + (EntrySize * n));
        Encode(_keys.AsSpan(0, n), _expires.AsSpan(0, n), value);
    }

    /// <summary>Writer thread, after the batch is committed: readers see its counts from now on.</summary>
    public void Publish()
    {
        _unstored = false;
        if (_journalLength == 0)
        {
            return;
        }

        if (_publishedKeys.Length != _keys.Length)
        {
            Volatile.Write(ref _publishedKeys, (long[])_keys.Clone());
            Volatile.Write(ref _publishedExpires, (long[])_expires.Clone());
        }
        else
        {
            for (int i = 0; i < _journalLength; i++)
            {
                int db = _journal[i].Db;
                Volatile.Write(ref _publishedKeys[db], _keys[db]);
                Volatile.Write(ref _publishedExpires[db], _expires[db]);
            }
        }

        _journalLength = 0;
    }

    /// <summary>Writer thread: the batch was not committed; takes back all its changes.</summary>
    public void Discard() => Rollback(0);

    /// <summary>
    /// Replaces the counts with the ones stored in <paramref name="engine"/> (at start, after a snapshot install);
    /// a store without the record is counted by walking its meta records, and the result stored with the next batch.
    /// </summary>
    public void Load(IStorageEngine engine)
    {
        _journalLength = 0;
        using var buffer = new ByteBuffer();
        if (engine.TryGet(KeySpace.Raft, Key, buffer))
        {
            Decode(buffer.WrittenSpan, out long[] keys, out long[] expires);
            SetAll(keys, expires);
            _unstored = false;
            return;
        }

        Count(engine, out long[] walkedKeys, out long[] walkedExpires);
        SetAll(walkedKeys, walkedExpires);
        _unstored = true;
    }

    /// <summary>Writes the record's value (<c>3 + 16 × n</c> bytes).</summary>
    public static void Encode(ReadOnlySpan<long> keys, ReadOnlySpan<long> expires, Span<byte> value)
    {
        value[0] = RecordVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(value[1..], (ushort)keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value[(3 + (EntrySize * i))..], keys[i]);
            BinaryPrimitives.WriteInt64LittleEndian(value[(11 + (EntrySize * i))..], expires[i]);
        }
    }

    /// <summary>Reads the record's value.</summary>
    /// <exception cref="InvalidDataException">The value is not in the format above.</exception>
    public static void Decode(ReadOnlySpan<byte> value, out long[] keys, out long[] expires)
    {
        if (value.Length < 3 || value[0] != RecordVersion
            || value.Length != 3 + (EntrySize * BinaryPrimitives.ReadUInt16LittleEndian(value[1..])))
        {
            throw new InvalidDataException($"database counts record of {value.Length} bytes (version {(value.IsEmpty ? 0 : value[0])}): the database is corrupt");
        }

        int n = BinaryPrimitives.ReadUInt16LittleEndian(value[1..]);
        keys = new long[n];
        expires = new long[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = BinaryPrimitives.ReadInt64LittleEndian(value[(3 + (EntrySize * i))..]);
            expires[i] = BinaryPrimitives.ReadInt64LittleEndian(value[(11 + (EntrySize * i))..]);
        }
    }

    /// <summary>Adds to <paramref name="writes"/> the record of <paramref name="source"/> (a snapshot being installed), or the deletion of ours.</summary>
    public static void CopyFrom(IStorageEngine source, WriteSet writes)
    {
        using var buffer = new ByteBuffer();
        if (source.TryGet(KeySpace.Raft, Key, buffer))
        {
            writes.Put(KeySpace.Raft, Key, buffer.WrittenSpan);
        }
        else
        {
            writes.Delete(KeySpace.Raft, Key);
        }
    }

    // Counts every meta record by the database in its key.
    private static void Count(IStorageEngine engine, out long[] keys, out long[] expires)
    {
        keys = new long[16];
        expires = new long[16];
        using IStorageCursor cursor = engine.OpenCursor(KeySpace.Meta);
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            if (cursor.Key.Length < KeyCodec.MetaPrefix || cursor.Value.Length < MetaValue.HeaderSize)
            {
                continue;
            }

            int db = BinaryPrimitives.ReadUInt16BigEndian(cursor.Key);
            if (db >= keys.Length)
            {
                Array.Resize(ref keys, db + 1);
                Array.Resize(ref expires, db + 1);
            }

            keys[db]++;
            if (MetaValue.ExpireAt(cursor.Value) != 0)
            {
                expires[db]++;
            }
        }
    }

    private void SetAll(long[] keys, long[] expires)
    {
        int n = Math.Max(keys.Length, _keys.Length);
        _keys = new long[n];
        _expires = new long[n];
        keys.CopyTo(_keys, 0);
        expires.CopyTo(_expires, 0);
        Volatile.Write(ref _publishedKeys, (long[])_keys.Clone());
        Volatile.Write(ref _publishedExpires, (long[])_expires.Clone());
    }

    private void Grow(int count)
    {
        Array.Resize(ref _keys, count);
        Array.Resize(ref _expires, count);
    }

    private readonly record struct Change(int Db, long Keys, long Expires);
}
