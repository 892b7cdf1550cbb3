using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// A backward walk over a sorted set's score order, highest first: committed entries merged with the writer's
/// batch when there is one (an entry the batch deleted or rewrote comes from the batch side, or not at all), as
/// <see cref="Apply.MemberCursor"/> walks forward. Costs one seek plus the entries walked, so a reverse range or a
/// ZPOPMAX does not read the set from its lowest score. Do not write to the walked set while walking it.
/// </summary>
internal sealed class ZReverseCursor : IDisposable
{
    private readonly WriteSet? _writes;
    private readonly KeySpace _space;
    private readonly ByteBuffer _prefix = new();
    private readonly List<int> _batch = [];
    private readonly IStorageCursor _engine;
    private readonly int _groupLength;
    private int _batchIndex;
    private bool _engineValid;
    private bool _fromBatch;

    /// <summary>
    /// Opens the walk (owning <paramref name="engine"/>) at the last score entry of <paramref name="group"/> whose
    /// suffix sorts before <paramref name="before"/> (a suffix starting with <see cref="ZSetKeys.ScoreTag"/>, or any
    /// greater tag for the whole score order).
    /// </summary>
    public ZReverseCursor(IStorageCursor engine, WriteSet? writes, KeySpace space, ReadOnlySpan<byte> group, ReadOnlySpan<byte> before)
    {
        _engine = engine;
        _writes = writes;
        _space = space;
        _groupLength = group.Length;
        _prefix.Set(group);
        _prefix.Write(before);
        ReadOnlySpan<byte> target = _prefix.WrittenSpan;
        engine.SeekForPrev(target);
        if (engine.Valid && engine.Key.SequenceCompareTo(target) >= 0)
        {
            engine.Prev();
        }

        _prefix.SetLength(group.Length);
        _prefix.Write([ZSetKeys.ScoreTag]);
        writes?.CollectPuts(space, _prefix.WrittenSpan, _batch);
        _batchIndex = _batch.Count - 1;
        while (_batchIndex >= 0 && IsAtOrAfter(writes!.KeyOf(_batch[_batchIndex]), group, before))
        {
            _batchIndex--;
        }

        AdvanceEngine();
        Pick();
    }

    /// <summary>True while positioned on an entry.</summary>
    public bool Valid { get; private set; }

    /// <summary>The current entry's suffix after the group (<c>0x01 | sortable(score) | member</c>).</summary>
    public ReadOnlySpan<byte> Member => (_fromBatch ? _writes!.KeyOf(_batch[_batchIndex]) : _engine.Key)[_groupLength..];

    /// <summary>The current entry's value (the exact score).</summary>
    public ReadOnlySpan<byte> Value => _fromBatch ? _writes!.ValueOf(_batch[_batchIndex]) : _engine.Value;

    /// <summary>Moves to the next lower entry.</summary>
    public void Next()
    {
        if (!Valid)
        {
            return;
        }

        if (_fromBatch)
        {
            _batchIndex--;
        }
        else
        {
            _engine.Prev();
            AdvanceEngine();
        }

        Pick();
    }

    /// <summary>Releases the storage cursor.</summary>
    public void Dispose()
    {
        _engine.Dispose();
        _prefix.Dispose();
    }

    private static bool IsAtOrAfter(ReadOnlySpan<byte> key, ReadOnlySpan<byte> group, ReadOnlySpan<byte> before)
    {
        int cmp = key[..group.Length].SequenceCompareTo(group);
        return cmp != 0 ? cmp > 0 : key[group.Length..].SequenceCompareTo(before) >= 0;
    }

    // Moves the engine side back to an entry of the score order the batch neither deleted nor rewrote.
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

            _engine.Prev();
        }

        _engineValid = false;
    }

    private void Pick()
    {
        bool batchValid = _batchIndex >= 0;
        if (!batchValid && !_engineValid)
        {
            Valid = false;
            return;
        }

        Valid = true;
        _fromBatch = batchValid && (!_engineValid || _writes!.KeyOf(_batch[_batchIndex]).SequenceCompareTo(_engine.Key) > 0);
    }
}
