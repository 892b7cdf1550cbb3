using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <summary>
/// An ordered walk over the members of one collection as the writer's batch sees it: committed members merged
/// with the batch's own puts and deletes (a member the batch deleted is skipped, one it wrote shows its new
/// value). The batch's side is taken when the cursor opens: do not write to the walked collection while
/// walking it (write under a new version, or collect first). The current <see cref="Member"/> and <see cref="Value"/> are valid until the next move or the next write to the
/// batch: copy them before writing.
/// </summary>
internal sealed class MemberCursor : IDisposable
{
    // A walk over committed state (a read: LRANGE, SMEMBERS, ZRANGE) given back on this thread, for the next one:
    // each read opened a new walk object with its buffer and list, about 120 bytes per command.
    [ThreadStatic]
    private static MemberCursor? t_spareRead;

    private readonly ByteBuffer _prefix = new();
    private readonly List<int> _batch = [];
    private WriteSet? _writes;
    private KeySpace _space;
    private IStorageCursor _engine;
    private ApplyContext? _lessor;
    private long _leasedAt;
    private int _batchIndex;
    private bool _engineValid;
    private bool _fromBatch;
    private bool _closed;

    /// <summary>
    /// Opens a walk over <paramref name="engine"/> (a cursor over <paramref name="space"/>, owned by this walk from
    /// now on) merged with the writer's batch, or over committed state alone when <paramref name="writes"/> is null.
    /// </summary>
    internal MemberCursor(IStorageCursor engine, WriteSet? writes, KeySpace space, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> from = default)
        : this(engine, writes, space, prefix, from, null, 0)
    {
    }

    /// <summary>
    /// Opens a walk whose engine cursor was lent by <paramref name="lessor"/> (the writer's context) at its commit
    /// count <paramref name="leasedAt"/>: disposing the walk gives the cursor back instead of closing it.
    /// </summary>
    internal MemberCursor(IStorageCursor engine, WriteSet? writes, KeySpace space, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> from, ApplyContext? lessor, long leasedAt)
    {
        _engine = engine;
        Open(engine, writes, space, prefix, from, lessor, leasedAt);
    }

    /// <summary>
    /// Starts a new walk on this (disposed, writer-kept) cursor object, as the constructor does: the writer keeps one
    /// to spare so a batch of pops does not allocate a walk per pop (see <see cref="ApplyContext"/>'s cursors).
    /// </summary>
    internal void Open(IStorageCursor engine, WriteSet? writes, KeySpace space, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> from, ApplyContext? lessor, long leasedAt)
    {
        _closed = false;
        _batchIndex = 0;
        _engineValid = false;
        _fromBatch = false;
        Valid = false;
        _lessor = lessor;
        _leasedAt = leasedAt;
        _writes = writes;
        _space = space;
        _prefix.Set(prefix);
        writes?.CollectPuts(space, prefix, _batch);
        _engine = engine;
        if (from.IsEmpty)
        {
            _engine.Seek(prefix);
        }
        else
        {
            // Start at the first member at or after `from`: seek to prefix|from, and skip the batch's smaller ones. A
            // cursor the writer kept may stand there already (the last pop of this set ended on the entry the next
            // one starts from, see ZSetEdges): then the seek is skipped.
            _prefix.Write(from);
            if (!_engine.Valid || !_engine.Key.SequenceEqual(_prefix.WrittenSpan))
            {
                _engine.Seek(_prefix.WrittenSpan);
            }

            while (_batchIndex < _batch.Count && writes!.KeyOf(_batch[_batchIndex]).SequenceCompareTo(_prefix.WrittenSpan) < 0)
            {
                _batchIndex++;
            }

            _prefix.SetLength(prefix.Length);
        }

        AdvanceEngine();
        Pick();
    }

    /// <summary>
    /// Opens a walk over <paramref name="engine"/> (committed state alone, owned by the walk from now on): this
    /// thread's spare walk object when it has one, else a new one. Dispose it exactly once and do not touch it after.
    /// </summary>
    internal static MemberCursor OpenCommitted(IStorageCursor engine, KeySpace space, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> from = default)
    {
        MemberCursor? spare = t_spareRead;
        if (spare is null)
        {
            return new MemberCursor(engine, null, space, prefix, from);
        }

        t_spareRead = null;
        spare.Open(engine, null, space, prefix, from, null, 0);
        return spare;
    }

    /// <summary>True while positioned on a member.</summary>
    public bool Valid { get; private set; }

    /// <summary>The current member (the data key without the collection's prefix).</summary>
    public ReadOnlySpan<byte> Member => (_fromBatch ? _writes!.KeyOf(_batch[_batchIndex]) : _engine.Key)[_prefix.Length..];

    /// <summary>The current member's value.</summary>
    public ReadOnlySpan<byte> Value => _fromBatch ? _writes!.ValueOf(_batch[_batchIndex]) : _engine.Value;

    /// <summary>Moves to the next member.</summary>
    public void Next()
    {
        if (!Valid)
        {
            return;
        }

        if (_fromBatch)
        {
            _batchIndex++;
        }
        else
        {
            _engine.Next();
            AdvanceEngine();
        }

        Pick();
    }

    /// <summary>
    /// Starts this walk again at the first member at or after <paramref name="from"/> (empty: the first member), over
    /// the same collection and batch: a random pick seeks the same walk many times (<see cref="Commands.RandomProbe"/>).
    /// </summary>
    internal void Restart(ReadOnlySpan<byte> from)
    {
        int prefixLength = _prefix.Length;
        Span<byte> prefix = prefixLength <= 256 ? stackalloc byte[prefixLength] : new byte[prefixLength];
        _prefix.WrittenSpan.CopyTo(prefix);
        _batch.Clear();
        Open(_engine, _writes, _space, prefix, from, _lessor, _leasedAt);
    }

    /// <summary>Releases the storage cursor.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_lessor is null)
        {
            _engine.Dispose();
            if (_writes is null && t_spareRead is null)
            {
                // A committed walk: kept for this thread's next one (OpenCommitted).
                Valid = false;
                _batch.Clear();
                t_spareRead = this;
                return;
            }
        }
        else
        {
            // Lent by the writer: the engine cursor goes back, and this object is kept for the next walk.
            _lessor.ReturnCursor(_space, _engine, _leasedAt);
            _writes = null;
            if (_lessor.KeepMemberCursor(this))
            {
                return;
            }
        }

        _prefix.Dispose();
    }

    // Moves the engine side to its next member the batch neither deleted nor rewrote (a rewritten one comes from
    // the batch side, so it is not seen twice).
    private void AdvanceEngine()
    {
        ReadOnlySpan<byte> prefix = _prefix.WrittenSpan;
        while (_engine.Valid)
        {
            ReadOnlySpan<byte> key = _engine.Key;
            if (!key.StartsWith(prefix))
            {
                break;
            }

            if (_writes is null || _writes.Find(_space, key, out _) == WriteSet.Lookup.NotInBatch)
            {
                _engineValid = true;
                return;
            }

            _engine.Next();
        }

        _engineValid = false;
    }

    private void Pick()
    {
        bool batchValid = _batchIndex < _batch.Count;
        if (!batchValid && !_engineValid)
        {
            Valid = false;
            return;
        }

        Valid = true;
        _fromBatch = batchValid && (!_engineValid || _writes!.KeyOf(_batch[_batchIndex]).SequenceCompareTo(_engine.Key) < 0);
    }
}
