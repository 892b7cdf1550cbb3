using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Transactions;

/// <summary>
/// An ordered cursor over one key space as the writer's batch sees it (<see cref="BatchView"/>): the engine's keys
/// merged with the batch's live puts, without the keys the batch deleted (point or range deletes), a key the batch
/// rewrote showing its batch value once. Both directions, so every walk of committed state (KEYS, SCAN, RANDOMKEY,
/// a reverse ZRANGE, a member walk) runs unchanged over the batch. The batch's side is taken when the cursor opens:
/// nothing may write to the batch while it is open (queued reads do not write).
/// </summary>
internal sealed class BatchCursor : IStorageCursor
{
    private readonly IStorageCursor _engine;
    private readonly WriteSet _writes;
    private readonly KeySpace _space;
    private readonly List<int> _batch = [];
    private readonly ByteBuffer _turn = new();
    private int _batchIndex;
    private bool _engineValid;
    private bool _fromBatch;
    private bool _forward = true;

    /// <summary>Merges <paramref name="engine"/> (a cursor over <paramref name="space"/>, owned from now on) with <paramref name="writes"/>.</summary>
    public BatchCursor(IStorageCursor engine, WriteSet writes, KeySpace space)
    {
        _engine = engine;
        _writes = writes;
        _space = space;
        writes.CollectPuts(space, default, _batch);
    }

    /// <inheritdoc />
    public bool Valid { get; private set; }

    /// <inheritdoc />
    public ReadOnlySpan<byte> Key => _fromBatch ? _writes.KeyOf(_batch[_batchIndex]) : _engine.Key;

    /// <inheritdoc />
    public ReadOnlySpan<byte> Value => _fromBatch ? _writes.ValueOf(_batch[_batchIndex]) : _engine.Value;

    /// <inheritdoc />
    public void Seek(ReadOnlySpan<byte> target)
    {
        _forward = true;
        _engine.Seek(target);
        SkipEngine();
        _batchIndex = FirstAtOrAfter(target);
        Pick();
    }

    /// <inheritdoc />
    public void SeekForPrev(ReadOnlySpan<byte> target)
    {
        _forward = false;
        _engine.SeekForPrev(target);
        SkipEngine();
        _batchIndex = FirstAfter(target) - 1;
        Pick();
    }

    /// <inheritdoc />
    public void Next()
    {
        if (!Valid)
        {
            return;
        }

        if (!_forward)
        {
            // Turning around: both sides again at the current key, then one step on.
            _turn.Set(Key);
            Seek(_turn.WrittenSpan);
            if (!Valid || !Key.SequenceEqual(_turn.WrittenSpan))
            {
                return;
            }
        }

        Step();
    }

    /// <inheritdoc />
    public void Prev()
    {
        if (!Valid)
        {
            return;
        }

        if (_forward)
        {
            _turn.Set(Key);
            SeekForPrev(_turn.WrittenSpan);
            if (!Valid || !Key.SequenceEqual(_turn.WrittenSpan))
            {
                return;
            }
        }

        Step();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _engine.Dispose();
        _turn.Dispose();
    }

    // One step in the current direction from the current key.
    private void Step()
    {
        if (_fromBatch)
        {
            _batchIndex += _forward ? 1 : -1;
        }
        else
        {
            if (_forward)
            {
                _engine.Next();
            }
            else
            {
                _engine.Prev();
            }

            SkipEngine();
        }

        Pick();
    }

    // Moves the engine side past keys the batch deleted or rewrote (a rewritten one comes from the batch side).
    private void SkipEngine()
    {
        while (_engine.Valid)
        {
            if (_writes.Find(_space, _engine.Key, out _) == WriteSet.Lookup.NotInBatch)
            {
                _engineValid = true;
                return;
            }

            if (_forward)
            {
                _engine.Next();
            }
            else
            {
                _engine.Prev();
            }
        }

        _engineValid = false;
    }

    private void Pick()
    {
        bool batchValid = _batchIndex >= 0 && _batchIndex < _batch.Count;
        Valid = batchValid || _engineValid;
        if (!batchValid || !_engineValid)
        {
            _fromBatch = batchValid;
            return;
        }

        int order = _writes.KeyOf(_batch[_batchIndex]).SequenceCompareTo(_engine.Key);
        _fromBatch = _forward ? order < 0 : order > 0;
    }

    // The index of the first batch key at or after `target` (binary search over the sorted puts).
    private int FirstAtOrAfter(ReadOnlySpan<byte> target)
    {
        int low = 0;
        int high = _batch.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_writes.KeyOf(_batch[middle]).SequenceCompareTo(target) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // The index of the first batch key after `target`.
    private int FirstAfter(ReadOnlySpan<byte> target)
    {
        int low = 0;
        int high = _batch.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_writes.KeyOf(_batch[middle]).SequenceCompareTo(target) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
