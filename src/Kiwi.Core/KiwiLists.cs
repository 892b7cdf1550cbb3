using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Lists;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>
/// The list commands of a <see cref="KiwiDb"/> (<see cref="KiwiDb.Lists"/>): writes go through the writer as the
/// same entries the RESP server submits, reads answer at once from committed state through one read view.
/// Pushes and pops at either end cost one element record and the meta record, whatever the list's length.
/// </summary>
public sealed partial class KiwiLists
{
    private readonly KiwiDb _db;

    internal KiwiLists(KiwiDb db) => _db = db;

    /// <summary>LPUSH key element: returns the new length.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public ValueTask<long> PushLeftAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> element, CancellationToken cancellationToken = default)
        => Push(key, new SpanArgs(element), right: false, cancellationToken);

    /// <summary>RPUSH key element: returns the new length.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public ValueTask<long> PushRightAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> element, CancellationToken cancellationToken = default)
        => Push(key, new SpanArgs(element), right: true, cancellationToken);

    /// <summary>LPUSH key element [element ...] in one write (each goes to the head in turn): returns the new length.</summary>
    public ValueTask<long> PushLeftAsync(ReadOnlySpan<byte> key, ReadOnlySpan<ReadOnlyMemory<byte>> elements, CancellationToken cancellationToken = default)
        => Push(key, new MemoryArgs(elements), right: false, cancellationToken);

    /// <summary>RPUSH key element [element ...] in one write: returns the new length.</summary>
    public ValueTask<long> PushRightAsync(ReadOnlySpan<byte> key, ReadOnlySpan<ReadOnlyMemory<byte>> elements, CancellationToken cancellationToken = default)
        => Push(key, new MemoryArgs(elements), right: true, cancellationToken);

    /// <summary>LPOP key: the first element, or <see cref="KiwiValue.Null"/> when the list is missing. Dispose the value.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public ValueTask<KiwiValue> PopLeftAsync(ReadOnlySpan<byte> key, CancellationToken cancellationToken = default)
        => Pop(key, right: false, cancellationToken);

    /// <summary>RPOP key: the last element, or <see cref="KiwiValue.Null"/> when the list is missing. Dispose the value.</summary>
    public ValueTask<KiwiValue> PopRightAsync(ReadOnlySpan<byte> key, CancellationToken cancellationToken = default)
        => Pop(key, right: true, cancellationToken);

    /// <summary>LSET key index element.</summary>
    /// <exception cref="KiwiException">"ERR no such key", "ERR index out of range" or WRONGTYPE.</exception>
    public ValueTask SetAsync(ReadOnlySpan<byte> key, long index, ReadOnlySpan<byte> element, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Set(_db.Target, key, index, element)).AsOkTask();
    }

    /// <summary>LTRIM key start stop: keeps the elements in the range (Redis's index rules).</summary>
    public ValueTask TrimAsync(ReadOnlySpan<byte> key, long start, long stop, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Trim(_db.Target, key, start, stop)).AsOkTask();
    }

    /// <summary>LREM key count element: returns how many were removed.</summary>
    public ValueTask<long> RemoveAsync(ReadOnlySpan<byte> key, long count, ReadOnlySpan<byte> element, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Remove(_db.Target, key, count, element)).AsIntegerTask();
    }

    /// <summary>LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key.</summary>
    public ValueTask<long> InsertAsync(ReadOnlySpan<byte> key, bool after, ReadOnlySpan<byte> pivot, ReadOnlySpan<byte> element, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Insert(_db.Target, key, after, pivot, element)).AsIntegerTask();
    }

    /// <summary>LMOVE source destination: the element moved, or <see cref="KiwiValue.Null"/> when the source is missing.</summary>
    public ValueTask<KiwiValue> MoveAsync(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, bool fromRight, bool toRight, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Move(_db.Target, source, destination, fromRight, toRight)).AsValueTask();
    }

    /// <summary>LLEN key: the number of elements (0 when missing), O(1).</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public long Length(ReadOnlySpan<byte> key)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out ListState list) ? list.Count : 0;
    }

    /// <summary>LINDEX key index: one point read at the element's seq; <see cref="KiwiValue.Null"/> out of range. Dispose the value.</summary>
    public KiwiValue Get(ReadOnlySpan<byte> key, long index)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ListState list))
        {
            return KiwiValue.Null;
        }

        index = index < 0 ? list.Count + index : index;
        if (index < 0 || index >= list.Count
            || !ListReads.TryGetElement(view, _db.ReadDatabase, key, list.Version, list.SeqAt(index), out ReadOnlySpan<byte> value))
        {
            return KiwiValue.Null;
        }

        KiwiValue copy = KiwiValue.Copy(value);
        CollectionReads.Release();
        return copy;
    }

    /// <summary>
    /// LRANGE key start stop: calls <paramref name="visit"/> with each element of the range in order. The walk holds a
    /// read view: keep the visitor short.
    /// </summary>
    public void ForEach(ReadOnlySpan<byte> key, long start, long stop, ListVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ListState list) || !ListReads.Range(list.Count, start, stop, out long first, out long count))
        {
            return;
        }

        using MemberCursor cursor = ListReads.OpenElements(view, _db.ReadDatabase, key, list.Version, list.SeqAt(first));
        for (long i = 0; cursor.Valid && i < count; cursor.Next(), i++)
        {
            visit(cursor.Value);
        }
    }

    private ValueTask<long> Push<TArgs>(ReadOnlySpan<byte> key, TArgs elements, bool right, CancellationToken cancellationToken)
        where TArgs : IEntryArgs, allows ref struct
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Push(_db.Target, right, onlyExisting: false, key, elements)).AsIntegerTask();
    }

    private ValueTask<KiwiValue> Pop(ReadOnlySpan<byte> key, bool right, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ListEntries.Pop(_db.Target, right, key, null)).AsValueTask();
    }

    private bool Find(StorageSnapshot view, ReadOnlySpan<byte> key, out ListState list)
    {
        KeyType found = ListReads.Lookup(view, _db.ReadDatabase, key, _db.NowMs(), out list);
        return found == KeyType.List || (found == KeyType.None ? false : throw new KiwiException(KiwiError.WrongType));
    }
}

/// <summary>Receives one element of a list; the span is valid during the call only.</summary>
public delegate void ListVisitor(ReadOnlySpan<byte> element);
