using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Reads;

/// <summary>
/// Reads of committed lists through one read view: the meta record gives head and tail, an element is one point
/// read at <c>head + index</c>, a range one seek and a walk. Nothing loads the whole list.
/// </summary>
internal static class ListReads
{
    [ThreadStatic]
    private static ByteBuffer? t_prefix;

    [ThreadStatic]
    private static byte[]? t_seq;

    /// <summary>Loads the meta record of <paramref name="key"/>: its type (None when missing or expired) and, for a list, its fields.</summary>
    public static KeyType Lookup(StorageSnapshot view, int db, ReadOnlySpan<byte> key, long nowMs, out ListState list)
    {
        KeyType type = ReadPath.Lookup(view, db, key, nowMs);
        list = type == KeyType.List ? ListState.From(ReadPath.Record) : default;
        return type;
    }

    /// <summary>Reads the element at <paramref name="seq"/>; the value stays valid until the next member read on this thread.</summary>
    public static bool TryGetElement(StorageSnapshot view, int db, ReadOnlySpan<byte> key, ulong version, ulong seq, out ReadOnlySpan<byte> value)
    {
        byte[] member = t_seq ??= new byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(member, seq);
        return CollectionReads.TryGetMember(view, KeySpace.List, db, key, version, member, out value);
    }

    /// <summary>Walks the elements from the one at <paramref name="seq"/> on.</summary>
    public static MemberCursor OpenElements(StorageSnapshot view, int db, ReadOnlySpan<byte> key, ulong version, ulong seq)
    {
        ByteBuffer prefix = t_prefix ??= new ByteBuffer();
        Span<byte> from = stackalloc byte[ListMeta.SeqSize];
        ListMeta.WriteSeq(from, seq);
        return MemberCursor.OpenCommitted(view.OpenCursor(KeySpace.List), KeySpace.List, KeyCodec.Data(prefix, db, key, version, default), from);
    }

    /// <summary>
    /// Redis's range rule (LRANGE): negative indexes count from the end, the range is clipped to the list; false
    /// when it is empty.
    /// </summary>
    public static bool Range(long length, long start, long stop, out long first, out long count)
    {
        if (start < 0)
        {
            start = length + start;
        }

        if (stop < 0)
        {
            stop = length + stop;
        }

        start = Math.Max(start, 0);
        if (start > stop || start >= length)
        {
            first = 0;
            count = 0;
            return false;
        }

        stop = Math.Min(stop, length - 1);
        first = start;
        count = stop - start + 1;
        return true;
    }
}
