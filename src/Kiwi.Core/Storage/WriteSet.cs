using System.Runtime.CompilerServices;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// The writes of one batch, in order, with an index so that commands later in the batch read what earlier
/// ones wrote (read-your-writes). Keys and values live in one pooled arena; the op and bucket arrays are
/// reused across batches, so a steady workload allocates nothing. Engines commit it atomically.
/// </summary>
internal sealed partial class WriteSet : IDisposable
{
    private readonly ByteBuffer _arena = new();
    private Op[] _ops = new Op[256];
    private int[] _bucketHead = new int[1024];
    private int[] _bucketStamp = new int[1024];
    private int _count;
    private int _stamp = 1;
    private readonly List<int> _ranges = [];

    // The puts of each key space, chained in order (Op.NextPut): a walk over one collection looks at the puts of
    // its own space only, so a batch of pops (deletes) and meta updates does not rescan itself for every pop.
    private readonly int[] _firstPut = [-1, -1, -1, -1, -1, -1, -1, -1];
    private readonly int[] _lastPut = [-1, -1, -1, -1, -1, -1, -1, -1];
    private OpKeyComparer? _keyComparer;

    /// <summary>The kind of one operation.</summary>
    public enum OpKind : byte
    {
        /// <summary>Set a key to a value.</summary>
        Put,

        /// <summary>Remove a key.</summary>
        Delete,

        /// <summary>Remove every key in [key, value) (the value holds the end key).</summary>
        DeleteRange,
    }

    /// <summary>The result of looking a key up in the batch.</summary>
    public enum Lookup
    {
        /// <summary>The batch does not touch the key: read the engine.</summary>
        NotInBatch,

        /// <summary>The batch's latest write to the key is a put.</summary>
        Put,

        /// <summary>The batch's latest write to the key is a delete.</summary>
        Deleted,
    }

    private struct Op
    {
        public KeySpace Space;
        public OpKind Kind;
        public int KeyOffset;
        public int KeyLength;
        public int ValueOffset;
        public int ValueLength;
        public int Hash;
        public int Next;
        public int NextPut;
        public int Shadows;
        public bool Retired;
        public bool Shadowed;
    }

    /// <summary>Operations in the batch.</summary>
    public int Count => _count;

    /// <summary>
    /// Told of every write to a key of the data spaces before it is recorded (the writer's WATCH registry, while
    /// something is watched); null otherwise, so a write costs one null check more.
    /// </summary>
    public IWriteObserver? Observer { get; set; }

    /// <summary>Bytes of keys and values held.</summary>
    public int ArenaBytes => _arena.Length;

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        ForgetOrder();
        _count = 0;
        _ranges.Clear();
        _arena.Clear();
        _firstPut.AsSpan().Fill(-1);
        _lastPut.AsSpan().Fill(-1);
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_bucketStamp);
            _stamp = 1;
        }
    }

    /// <summary>A mark to <see cref="Rollback"/> to: the current number of operations.</summary>
    public int Mark => _count;

    /// <summary>Drops every operation recorded after <paramref name="mark"/> (a command that failed midway).</summary>
    public void Rollback(int mark)
    {
        if ((uint)mark > (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(mark));
        }

        if (mark == _count)
        {
            return;
        }

        ForgetOrder();
        int arenaLength = _ops[mark].KeyOffset;
        for (int i = _count - 1; i >= mark; i--)
        {
            // Operations are pushed on the front of their bucket chain, so the newest one is the head.
            ref Op op = ref _ops[i];
            if (op.Shadows >= 0)
            {
                _ops[op.Shadows].Shadowed = false;
            }

            int bucket = op.Hash & (_bucketHead.Length - 1);
            _bucketHead[bucket] = op.Next;
            if (op.Next < 0)
            {
                _bucketStamp[bucket] = 0;
            }
        }

        _count = mark;
        _arena.SetLength(arenaLength);
        RelinkPuts();
        while (_ranges.Count > 0 && _ranges[^1] >= mark)
        {
            _ranges.RemoveAt(_ranges.Count - 1);
        }
    }

    /// <summary>Records a put of <paramref name="key"/> = <paramref name="value"/>. The spans are copied.</summary>
    public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> target = Reserve(space, key, value.Length);
        value.CopyTo(target);
    }

    /// <summary>
    /// Records a put of <paramref name="key"/> and returns the <paramref name="valueLength"/> bytes of its value
    /// to fill in. Valid until the next call on this set.
    /// </summary>
    public Span<byte> Reserve(KeySpace space, ReadOnlySpan<byte> key, int valueLength)
    {
        if (Observer is not null && space < KeySpace.Expire)
        {
            Observer.OnWrite(space, OpKind.Put, key, default);
        }

        ref Op op = ref Add(space, OpKind.Put, key, valueLength);
        return _arena.WrittenSpanMutable.Slice(op.ValueOffset, valueLength);
    }

    /// <summary>Records a delete of <paramref name="key"/>.</summary>
    public void Delete(KeySpace space, ReadOnlySpan<byte> key)
    {
        if (Observer is not null && space < KeySpace.Expire)
        {
            Observer.OnWrite(space, OpKind.Delete, key, default);
        }

        Add(space, OpKind.Delete, key, 0);
    }

    /// <summary>
    /// Records a delete of every key in [<paramref name="begin"/>, <paramref name="end"/>). <paramref name="retired"/>
    /// says no key in the range is ever written again (the members of a collection version no meta record names:
    /// versions are never reused), which spares a store with in-place updates the flush a range delete otherwise
    /// needs (see <c>RocksWriteBatch.DeleteRange</c>).
    /// </summary>
    public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired = false)
    {
        if (Observer is not null && space < KeySpace.Expire && !retired)
        {
            Observer.OnWrite(space, OpKind.DeleteRange, begin, end);
        }

        int index = _count;
        ref Op op = ref Add(space, OpKind.DeleteRange, begin, end.Length);
        op.Retired = retired;
        end.CopyTo(_arena.WrittenSpanMutable.Slice(op.ValueOffset, end.Length));
        _ranges.Add(index);
    }

    /// <summary>Finds the batch's latest write to <paramref name="key"/>; on a put, <paramref name="value"/> is its value.</summary>
    public Lookup Find(KeySpace space, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_count == 0)
        {
            return Lookup.NotInBatch;
        }

        int hash = Hash(space, key);
        int bucket = hash & (_bucketHead.Length - 1);
        if (_bucketStamp[bucket] != _stamp)
        {
            return _ranges.Count > 0 && CoveredByLaterRange(space, key, -1) ? Lookup.Deleted : Lookup.NotInBatch;
        }

        ReadOnlySpan<byte> arena = _arena.WrittenSpan;
        for (int i = _bucketHead[bucket]; i >= 0; i = _ops[i].Next)
        {
            ref Op op = ref _ops[i];
            if (op.Hash == hash && op.Space == space && op.Kind != OpKind.DeleteRange && arena.Slice(op.KeyOffset, op.KeyLength).SequenceEqual(key))
            {
                if (op.Kind == OpKind.Delete || CoveredByLaterRange(space, key, i))
                {
                    return Lookup.Deleted;
                }

                value = arena.Slice(op.ValueOffset, op.ValueLength);
                return Lookup.Put;
            }
        }

        return CoveredByLaterRange(space, key, -1) ? Lookup.Deleted : Lookup.NotInBatch;
    }

    private bool CoveredByLaterRange(KeySpace space, ReadOnlySpan<byte> key, int after)
    {
        ReadOnlySpan<byte> arena = _arena.WrittenSpan;
        for (int r = _ranges.Count - 1; r >= 0 && _ranges[r] > after; r--)
        {
            ref Op op = ref _ops[_ranges[r]];
            if (op.Space == space
                && key.SequenceCompareTo(arena.Slice(op.KeyOffset, op.KeyLength)) >= 0
                && key.SequenceCompareTo(arena.Slice(op.ValueOffset, op.ValueLength)) < 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Visits every operation in order (engines use it to commit), except a put or delete that a later put or delete
    /// of the same key replaces: the batch commits atomically, so only the key's last point write is ever seen, and
    /// a hot key written by many commands of one batch (a list's or a sorted set's meta record under a pipeline)
    /// costs one memtable insert instead of one per command.
    /// </summary>
    public void ForEach<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IVisitor, allows ref struct
    {
        ReadOnlySpan<byte> arena = _arena.WrittenSpan;
        for (int i = 0; i < _count; i++)
        {
            ref Op op = ref _ops[i];
            if (!op.Shadowed)
            {
                Visit(ref visitor, ref op, arena);
            }
        }
    }

    private static void Visit<TVisitor>(ref TVisitor visitor, ref Op op, ReadOnlySpan<byte> arena)
        where TVisitor : struct, IVisitor, allows ref struct
    {
        ReadOnlySpan<byte> key = arena.Slice(op.KeyOffset, op.KeyLength);
        if (op.Kind == OpKind.Put)
        {
            visitor.Put(op.Space, key, arena.Slice(op.ValueOffset, op.ValueLength));
        }
        else if (op.Kind == OpKind.Delete)
        {
            visitor.Delete(op.Space, key);
        }
        else
        {
            visitor.DeleteRange(op.Space, key, arena.Slice(op.ValueOffset, op.ValueLength), op.Retired);
        }
    }

    /// <summary>Returns the arena to the pool.</summary>
    public void Dispose() => _arena.Dispose();

    /// <summary>Is told of writes to the data spaces (see <see cref="Observer"/>).</summary>
    public interface IWriteObserver
    {
        /// <summary>A write of <paramref name="kind"/> to <paramref name="key"/> (to [key, end) for a range delete).</summary>
        void OnWrite(KeySpace space, OpKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> end);
    }

    /// <summary>Receives the operations of a <see cref="WriteSet"/>.</summary>
    public interface IVisitor
    {
        /// <summary>A put.</summary>
        void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

        /// <summary>A delete.</summary>
        void Delete(KeySpace space, ReadOnlySpan<byte> key);

        /// <summary>A delete of every key in [begin, end).</summary>
        void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired);
    }

    private ref Op Add(KeySpace space, OpKind kind, ReadOnlySpan<byte> key, int valueLength)
    {
        if (_count == _ops.Length)
        {
            Array.Resize(ref _ops, _ops.Length * 2);
        }

        if (_count * 2 >= _bucketHead.Length)
        {
            Rehash();
        }

        ForgetOrder();
        int keyOffset = _arena.Length;
        _arena.Write(key);
        int valueOffset = _arena.Length;
        _arena.SetLength(checked(valueOffset + valueLength));

        int hash = Hash(space, key);
        int bucket = hash & (_bucketHead.Length - 1);
        int index = _count++;
        ref Op op = ref _ops[index];
        op.Space = space;
        op.Kind = kind;
        op.KeyOffset = keyOffset;
        op.KeyLength = key.Length;
        op.ValueOffset = valueOffset;
        op.ValueLength = valueLength;
        op.Hash = hash;
        op.Retired = false;
        op.Shadowed = false;
        op.Next = _bucketStamp[bucket] == _stamp ? _bucketHead[bucket] : -1;
        op.NextPut = -1;
        op.Shadows = kind == OpKind.DeleteRange ? -1 : Shadow(op.Next, hash, space, key);
        _bucketHead[bucket] = index;
        _bucketStamp[bucket] = _stamp;
        if (kind == OpKind.Put)
        {
            LinkPut(index, (int)space);
        }

        return ref op;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Rehash()
    {
        int size = _bucketHead.Length * 2;
        _bucketHead = new int[size];
        _bucketStamp = new int[size];
        _stamp = 1;
        for (int i = 0; i < _count; i++)
        {
            ref Op op = ref _ops[i];
            int bucket = op.Hash & (size - 1);
            op.Next = _bucketStamp[bucket] == _stamp ? _bucketHead[bucket] : -1;
            _bucketHead[bucket] = i;
            _bucketStamp[bucket] = _stamp;
        }
    }

    private static int Hash(KeySpace space, ReadOnlySpan<byte> key)
    {
        HashCode hash = default;
        hash.Add((byte)space);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
