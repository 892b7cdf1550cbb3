using System.Buffers.Binary;

namespace Kiwi.Core.Storage;

/// <summary>
/// The list part of a collection meta record (<see cref="MetaValue.Extra"/>). Persisted format, covered by a
/// fixed-byte test: <c>head:u64 LE | tail:u64 LE</c>. The elements live in <see cref="KeySpace.List"/> under
/// <c>version | seq:u64 BE</c> for every seq in [head, tail); a new list starts with head = tail = 2^63, a push on the
/// left takes head - 1, one on the right takes tail, so both ends are O(1) and the byte order is the list order.
/// </summary>
internal static class ListMeta
{
    /// <summary>Head and tail of a new list.</summary>
    public const ulong InitialSeq = 1UL << 63;

    /// <summary>Bytes of the list part after the collection header.</summary>
    public const int ExtraSize = 16;

    /// <summary>Bytes of a list's whole meta record.</summary>
    public const int RecordSize = MetaValue.CollectionHeaderSize + ExtraSize;

    /// <summary>Bytes of an element's member part (its seq).</summary>
    public const int SeqSize = 8;

    /// <summary>The seq of the first element (<see cref="InitialSeq"/> for a record without a list part).</summary>
    public static ulong Head(ReadOnlySpan<byte> record)
        => record.Length >= RecordSize ? BinaryPrimitives.ReadUInt64LittleEndian(record[MetaValue.CollectionHeaderSize..]) : InitialSeq;

    /// <summary>The seq after the last element.</summary>
    public static ulong Tail(ReadOnlySpan<byte> record)
        => record.Length >= RecordSize ? BinaryPrimitives.ReadUInt64LittleEndian(record[(MetaValue.CollectionHeaderSize + 8)..]) : InitialSeq;

    /// <summary>Writes head and tail after the collection header of <paramref name="record"/>.</summary>
    public static void WriteExtra(Span<byte> record, ulong head, ulong tail)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record[MetaValue.CollectionHeaderSize..], head);
        BinaryPrimitives.WriteUInt64LittleEndian(record[(MetaValue.CollectionHeaderSize + 8)..], tail);
    }

    /// <summary>Writes the member part of the element at <paramref name="seq"/> (big-endian: byte order is list order).</summary>
    public static void WriteSeq(Span<byte> destination, ulong seq) => BinaryPrimitives.WriteUInt64BigEndian(destination, seq);

    /// <summary>Reads an element's seq from its member part.</summary>
    public static ulong ReadSeq(ReadOnlySpan<byte> member) => BinaryPrimitives.ReadUInt64BigEndian(member);
}

/// <summary>A list as one command sees it: its meta record's fields.</summary>
internal struct ListState
{
    /// <summary>The version its elements are stored under.</summary>
    public ulong Version;

    /// <summary>The seq of the first element.</summary>
    public ulong Head;

    /// <summary>The seq after the last element.</summary>
    public ulong Tail;

    /// <summary>Expiry (unix ms, 0 = none).</summary>
    public long ExpireAt;

    /// <summary>Number of elements (always <c>Tail - Head</c>).</summary>
    public readonly long Count => (long)(Tail - Head);

    /// <summary>The seq of the element at <paramref name="index"/> (0-based from the head).</summary>
    public readonly ulong SeqAt(long index) => Head + (ulong)index;

    /// <summary>Reads the list fields of a collection record.</summary>
    public static ListState From(ReadOnlySpan<byte> record) => new()
    {
        Version = MetaValue.Version(record),
        Head = ListMeta.Head(record),
        Tail = ListMeta.Head(record) + (ulong)MetaValue.Count(record),
        ExpireAt = MetaValue.ExpireAt(record),
    };
}
