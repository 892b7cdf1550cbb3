using System.Runtime.CompilerServices;

namespace Kiwi.Core.Storage;

/// <content>
/// The batch's side of an ordered walk over one collection: its live puts under a prefix, found through the chain
/// of puts each key space keeps.
/// </content>
internal sealed partial class WriteSet
{
    /// <summary>
    /// Adds to <paramref name="result"/> the operations of <paramref name="space"/> whose key starts with
    /// <paramref name="prefix"/> and that are the key's live state in the batch (its latest write, a put, not
    /// covered by a later range delete), sorted by key: the batch's side of an ordered walk (see
    /// <see cref="KeyOf"/>, <see cref="ValueOf"/>).
    /// </summary>
    public void CollectPuts(KeySpace space, ReadOnlySpan<byte> prefix, List<int> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.Clear();
        for (int i = _firstPut[(int)space]; i >= 0; i = _ops[i].NextPut)
        {
            ref Op op = ref _ops[i];
            ReadOnlySpan<byte> key = _arena.WrittenSpan.Slice(op.KeyOffset, op.KeyLength);
            if (key.StartsWith(prefix) && IsLatestPut(space, key, i))
            {
                result.Add(i);
            }
        }

        if (result.Count > 1)
        {
            result.Sort(_keyComparer ??= new OpKeyComparer(this));
        }
    }

    /// <summary>The key of operation <paramref name="op"/> (valid until the next write to this set).</summary>
    public ReadOnlySpan<byte> KeyOf(int op) => _arena.WrittenSpan.Slice(_ops[op].KeyOffset, _ops[op].KeyLength);

    /// <summary>The value of put <paramref name="op"/> (valid until the next write to this set).</summary>
    public ReadOnlySpan<byte> ValueOf(int op) => _arena.WrittenSpan.Slice(_ops[op].ValueOffset, _ops[op].ValueLength);

    // The key's latest point write is this put (no later put or delete of it shadows it) and no later range covers it.
    private bool IsLatestPut(KeySpace space, ReadOnlySpan<byte> key, int index)
        => !_ops[index].Shadowed && !CoveredByLaterRange(space, key, index);

    // Marks the newest live point write of the key on the bucket chain from `first` as shadowed by the write being
    // added, and returns its index (-1 if none), so a rollback of the new write can lift the mark.
    private int Shadow(int first, int hash, KeySpace space, ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> arena = _arena.WrittenSpan;
        for (int i = first; i >= 0; i = _ops[i].Next)
        {
            ref Op op = ref _ops[i];
            if (op.Hash == hash && op.Space == space && op.Kind != OpKind.DeleteRange && !op.Shadowed
                && arena.Slice(op.KeyOffset, op.KeyLength).SequenceEqual(key))
            {
                op.Shadowed = true;
                return i;
            }
        }

        return -1;
    }

    private sealed class OpKeyComparer(WriteSet set) : IComparer<int>
    {
        public int Compare(int x, int y) => set.KeyOf(x).SequenceCompareTo(set.KeyOf(y));
    }

    private void LinkPut(int index, int space)
    {
        int last = _lastPut[space];
        if (last < 0)
        {
            _firstPut[space] = index;
        }
        else
        {
            _ops[last].NextPut = index;
        }

        _lastPut[space] = index;
    }

    // After a rollback: the chains of puts again over the operations left.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RelinkPuts()
    {
        _firstPut.AsSpan().Fill(-1);
        _lastPut.AsSpan().Fill(-1);
        for (int i = 0; i < _count; i++)
        {
            _ops[i].NextPut = -1;
            if (_ops[i].Kind == OpKind.Put)
            {
                LinkPut(i, (int)_ops[i].Space);
            }
        }
    }
}
