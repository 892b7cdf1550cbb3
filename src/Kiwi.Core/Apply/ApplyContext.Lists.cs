using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <content>
/// Lists in the writer's batch: the meta record carries head and tail seqs (<see cref="ListMeta"/>), each element
/// is one record in <see cref="KeySpace.List"/> under <c>version | seq</c>. Pushes and pops at either end touch
/// one element and the meta record; nothing here loads the list.
/// </content>
internal sealed partial class ApplyContext
{
    private readonly ByteBuffer _element = new();

    /// <summary>Scratch an element is read into by <see cref="TryGetElement"/> (valid until the next call).</summary>
    public ByteBuffer Element => _element;

    /// <summary>
    /// Loads the list at <paramref name="key"/>: <see cref="KeyType.None"/> when missing (then <paramref name="list"/> is
    /// a new, empty list with a new version), <see cref="KeyType.List"/>, or the other type found.
    /// </summary>
    public KeyType ReadList(int db, ReadOnlySpan<byte> key, out ListState list)
    {
        KeyType found = Read(db, key);
        if (found == KeyType.List)
        {
            list = ListState.From(Current.WrittenSpan);
            return found;
        }

        list = default;
        if (found == KeyType.None)
        {
            list.Version = NewVersion();
            list.Head = ListMeta.InitialSeq;
            list.Tail = ListMeta.InitialSeq;
        }

        return found;
    }

    /// <summary>Writes the meta record of a list; an empty list deletes the key (Redis never keeps one).</summary>
    public void PutList(int db, ReadOnlySpan<byte> key, in ListState list)
    {
        if (list.Count <= 0)
        {
            Delete(db, key);
            return;
        }

        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountPut(db, key, metaKey, list.ExpireAt);
        Span<byte> record = Writes.Reserve(KeySpace.Meta, metaKey, ListMeta.RecordSize);
        MetaValue.WriteCollectionHeader(record, KeyType.List, list.ExpireAt, list.Version, list.Count, CollectionEncoding.Compact);
        ListMeta.WriteExtra(record, list.Head, list.Tail);
        if (list.ExpireAt != 0)
        {
            IndexExpiry(db, key, list.ExpireAt);
        }

        NoteKeyWritten(db, key, list.Count);
    }

    /// <summary>Reads the element at <paramref name="seq"/> into <see cref="Element"/>; false when absent.</summary>
    public bool TryGetElement(int db, ReadOnlySpan<byte> key, ulong version, ulong seq)
    {
        Span<byte> member = stackalloc byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(member, seq);
        ReadOnlySpan<byte> dataKey = KeyCodec.Data(_dataKey, db, key, version, member);
        switch (Writes.Find(KeySpace.List, dataKey, out ReadOnlySpan<byte> pending))
        {
            case WriteSet.Lookup.Put:
                _element.Set(pending);
                return true;
            case WriteSet.Lookup.Deleted:
                _element.Clear();
                return false;
            default:
                return ReadCommittedElement(dataKey, _element);
        }
    }

    /// <summary>Writes the element at <paramref name="seq"/> (<paramref name="value"/> must not point into <see cref="Writes"/>).</summary>
    public void PutElement(int db, ReadOnlySpan<byte> key, ulong version, ulong seq, ReadOnlySpan<byte> value)
    {
        Span<byte> member = stackalloc byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(member, seq);
        PutMember(KeySpace.List, db, key, version, member, value);
    }

    /// <summary>Deletes the element at <paramref name="seq"/>.</summary>
    public void DeleteElement(int db, ReadOnlySpan<byte> key, ulong version, ulong seq)
    {
        Span<byte> member = stackalloc byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(member, seq);
        DeleteMember(KeySpace.List, db, key, version, member);
    }

    /// <summary>Walks a list's elements from the one at <paramref name="seq"/> on, as this batch sees them.</summary>
    public MemberCursor OpenElements(int db, ReadOnlySpan<byte> key, ulong version, ulong seq)
    {
        Span<byte> from = stackalloc byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(from, seq);
        return OpenWalk(KeySpace.List, KeyCodec.Data(_dataKey, db, key, version, default), from);
    }

    /// <summary>
    /// Blocked clients wait on keys (<see cref="Blocking.BlockingKeys"/>): a collection written with members is
    /// reported to them (with how many it has) once the batch is committed. Costs one read of a flag while nobody is blocked.
    /// </summary>
    internal Blocking.BlockingKeys? Blocking { get; set; }

    private void NoteKeyWritten(int db, ReadOnlySpan<byte> key, long count)
    {
        Blocking.BlockingKeys? blocking = Blocking;
        if (count > 0 && blocking is not null && blocking.HasWaiters)
        {
            // Clients wait on the database they selected: the logical one standing on this physical id.
            blocking.Note(Databases.WriterLogical(db), key, count);
        }
    }
}
