using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// Which physical database id (the <c>db</c> in every stored key) each logical database (what SELECT names)
/// stands on. SWAPDB swaps two entries: O(1), no key moves. Replicated state: the writer changes it while it
/// applies a SWAPDB and stores it in the same batch, so every replica and every restart maps alike.
/// Persisted in <see cref="KeySpace.Raft"/>: key <c>"dbmap"</c>, value <c>version:u8 (1) | count:u16 LE |
/// physical:u16 LE × count</c>; absent means the identity map.
/// </summary>
/// <remarks>
/// Readers translate with <see cref="Physical"/> against the map published after the last committed batch (an
/// array replaced whole, never changed in place), so a read sees the map of one committed state; the writer
/// translates against its own copy, which includes the batch being built.
/// </remarks>
internal sealed class DatabaseMap
{
    private const byte RecordVersion = 1;

    private int[] _published;
    private int[] _pending;
    private bool _dirty;

    /// <summary>Creates the identity map of <paramref name="count"/> databases.</summary>
    public DatabaseMap(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxDatabases);
        Count = count;
        _published = Identity(count);
        _pending = Identity(count);
    }

    /// <summary>The most databases a store may have (the key encoding's db is 16 bits).</summary>
    public const int MaxDatabases = 65536;

    /// <summary>The record's key.</summary>
    public static ReadOnlySpan<byte> Key => "dbmap"u8;

    /// <summary>The configured number of databases: SELECT takes 0 to <c>Count - 1</c>.</summary>
    public int Count { get; }

    /// <summary>Any thread: the physical id of logical database <paramref name="logical"/> in the committed state.</summary>
    public int Physical(int logical)
    {
        int[] map = Volatile.Read(ref _published);
        return (uint)logical < (uint)map.Length ? map[logical] : logical;
    }

    /// <summary>Writer thread: the physical id of <paramref name="logical"/> as the batch being built sees it.</summary>
    public int WriterPhysical(int logical)
    {
        int[] map = _pending;
        return (uint)logical < (uint)map.Length ? map[logical] : logical;
    }

    /// <summary>Writer thread: the logical database standing on physical id <paramref name="physical"/> (the inverse of <see cref="WriterPhysical"/>).</summary>
    public int WriterLogical(int physical)
    {
        int[] map = _pending;
        if ((uint)physical < (uint)map.Length && map[physical] == physical)
        {
            return physical;
        }

        for (int i = 0; i < map.Length; i++)
        {
            if (map[i] == physical)
            {
                return i;
            }
        }

        return physical;
    }

    /// <summary>Writer thread: swaps logical databases <paramref name="a"/> and <paramref name="b"/> in the batch being built.</summary>
    public void Swap(int a, int b)
    {
        if (a == b)
        {
            return;
        }

        if (!_dirty)
        {
            _pending = (int[])_pending.Clone();
            _dirty = true;
        }

        (_pending[a], _pending[b]) = (_pending[b], _pending[a]);
    }

    /// <summary>Writer thread: adds the record to <paramref name="writes"/> when the batch changed the map.</summary>
    public void WriteChanges(WriteSet writes)
    {
        if (!_dirty)
        {
            return;
        }

        Span<byte> value = writes.Reserve(KeySpace.Raft, Key, 3 + (2 * _pending.Length));
        Encode(_pending, value);
    }

    /// <summary>Writer thread, after the batch is committed: readers see the batch's map from now on.</summary>
    public void Publish()
    {
        if (_dirty)
        {
            _dirty = false;
            Volatile.Write(ref _published, _pending);
        }
    }

    /// <summary>Writer thread: the batch was not committed; back to the published map.</summary>
    public void Discard()
    {
        _dirty = false;
        _pending = Volatile.Read(ref _published);
    }

    /// <summary>Replaces the map with the one stored in <paramref name="engine"/> (at start, after a snapshot install).</summary>
    public void Load(IStorageEngine engine)
    {
        using var buffer = new ByteBuffer();
        int[] map = engine.TryGet(KeySpace.Raft, Key, buffer) ? Decode(buffer.WrittenSpan, Count) : Identity(Count);
        _dirty = false;
        _pending = map;
        Volatile.Write(ref _published, map);
    }

    /// <summary>Writes <paramref name="map"/> as the record's value (<c>3 + 2 × length</c> bytes).</summary>
    public static void Encode(ReadOnlySpan<int> map, Span<byte> value)
    {
        value[0] = RecordVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(value[1..], (ushort)map.Length);
        for (int i = 0; i < map.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(value[(3 + (2 * i))..], (ushort)map[i]);
        }
    }

    /// <summary>
    /// Reads a stored map, extended with identity entries up to <paramref name="count"/> databases (the setting may
    /// have grown since it was stored).
    /// </summary>
    /// <exception cref="InvalidDataException">The record is not a permutation in the format above.</exception>
    public static int[] Decode(ReadOnlySpan<byte> value, int count)
    {
        if (value.Length < 3 || value[0] != RecordVersion)
        {
            throw new InvalidDataException($"database map record of {value.Length} bytes (version {(value.IsEmpty ? 0 : value[0])}): the database is corrupt");
        }

        int stored = BinaryPrimitives.ReadUInt16LittleEndian(value[1..]);
        if (stored == 0)
        {
            stored = MaxDatabases;
        }

        if (value.Length != 3 + (2 * stored))
        {
            throw new InvalidDataException($"database map record of {value.Length} bytes for {stored} databases: the database is corrupt");
        }

        int[] map = Identity(Math.Max(stored, count));
        var seen = new bool[map.Length];
        for (int i = 0; i < stored; i++)
        {
            int physical = BinaryPrimitives.ReadUInt16LittleEndian(value[(3 + (2 * i))..]);
            if (physical >= stored || seen[physical])
            {
                throw new InvalidDataException($"database map record maps database {i} to {physical}: the database is corrupt");
            }

            seen[physical] = true;
            map[i] = physical;
        }

        return map;
    }

    /// <summary>Adds to <paramref name="writes"/> the record of <paramref name="source"/> (a snapshot being installed), or the deletion of ours when it has none.</summary>
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

    private static int[] Identity(int count)
    {
        var map = new int[count];
        for (int i = 0; i < count; i++)
        {
            map[i] = i;
        }

        return map;
    }
}
