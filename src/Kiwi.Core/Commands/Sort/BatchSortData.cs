using Kiwi.Core.Apply;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.Sort;

/// <summary>SORT ... STORE's reads, as the writer's batch sees them (so every member of a cluster stores the same list).</summary>
internal sealed class BatchSortData(ApplyContext ctx, int db) : ISortData
{
    private readonly ByteBuffer _value = new();

    /// <inheritdoc />
    public KeyType Load(ReadOnlySpan<byte> key, List<byte[]> elements)
    {
        KeyType type = ctx.ReadList(db, key, out ListState list);
        switch (type)
        {
            case KeyType.List:
                using (MemberCursor cursor = ctx.OpenElements(db, key, list.Version, list.Head))
                {
                    for (long i = 0; cursor.Valid && i < list.Count; cursor.Next(), i++)
                    {
                        elements.Add(cursor.Value.ToArray());
                    }
                }

                break;
            case KeyType.Set:
                using (MemberCursor cursor = ctx.OpenMembers(KeySpace.Set, db, key, ctx.CurrentVersion))
                {
                    for (; cursor.Valid; cursor.Next())
                    {
                        elements.Add(cursor.Member.ToArray());
                    }
                }

                break;
            case KeyType.ZSet:
                long count = ctx.CurrentCount;
                var zset = new BatchZSet(ctx, db, key, ctx.CurrentVersion);
                var sink = new SortElementSink(elements);
                ZSetWalk.ByRank(ref zset, 0, count - 1, false, count, ref sink);
                break;
        }

        return type;
    }

    /// <inheritdoc />
    public byte[]? GetString(ReadOnlySpan<byte> key)
        => ctx.Read(db, key) == KeyType.String ? ctx.CurrentPayload.ToArray() : null;

    /// <inheritdoc />
    public byte[]? GetHashField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
        => ctx.Read(db, key) == KeyType.Hash && ctx.TryGetMember(KeySpace.Hash, db, key, ctx.CurrentVersion, field, _value)
            ? _value.WrittenSpan.ToArray()
            : null;
}
