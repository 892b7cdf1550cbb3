using Kiwi.Core.Apply;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Sort;

/// <summary>SORT's reads of committed state, all through one read view so they see the same commits.</summary>
internal sealed class CommittedSortData(StorageSnapshot view, int db, long nowMs) : ISortData
{
    /// <inheritdoc />
    public KeyType Load(ReadOnlySpan<byte> key, List<byte[]> elements)
    {
        KeyType type = ReadPath.Lookup(view, db, key, nowMs);
        switch (type)
        {
            case KeyType.List:
                ListReads.Lookup(view, db, key, nowMs, out ListState list);
                using (MemberCursor cursor = ListReads.OpenElements(view, db, key, list.Version, list.Head))
                {
                    for (long i = 0; cursor.Valid && i < list.Count; cursor.Next(), i++)
                    {
                        elements.Add(cursor.Value.ToArray());
                    }
                }

                break;
            case KeyType.Set:
                CollectionReads.Lookup(view, db, key, nowMs, out ulong setVersion, out _);
                using (MemberCursor cursor = CollectionReads.OpenMembers(view, KeySpace.Set, db, key, setVersion))
                {
                    for (; cursor.Valid; cursor.Next())
                    {
                        elements.Add(cursor.Member.ToArray());
                    }
                }

                break;
            case KeyType.ZSet:
                CollectionReads.Lookup(view, db, key, nowMs, out ulong version, out long count);
                var zset = new CommittedZSet(view, db, key, version);
                var sink = new SortElementSink(elements);
                ZSetWalk.ByRank(ref zset, 0, count - 1, false, count, ref sink);
                break;
        }

        CollectionReads.Release();
        return type;
    }

    /// <inheritdoc />
    public byte[]? GetString(ReadOnlySpan<byte> key)
        => ReadPath.Lookup(view, db, key, nowMs) == KeyType.String ? MetaValue.Payload(ReadPath.Record).ToArray() : null;

    /// <inheritdoc />
    public byte[]? GetHashField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
    {
        if (CollectionReads.Lookup(view, db, key, nowMs, out ulong version, out _) != KeyType.Hash)
        {
            return null;
        }

        byte[]? value = CollectionReads.TryGetMember(view, KeySpace.Hash, db, key, version, field, out ReadOnlySpan<byte> found) ? found.ToArray() : null;
        CollectionReads.Release();
        return value;
    }
}

/// <summary>Collects a sorted set's members (in the walk's order) as SORT's elements.</summary>
internal readonly struct SortElementSink(List<byte[]> elements) : IZSink
{
    /// <inheritdoc />
    public bool Add(ReadOnlySpan<byte> member, double score)
    {
        elements.Add(member.ToArray());
        return true;
    }
}
