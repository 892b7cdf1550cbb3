using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>
/// The sorted-set commands of a <see cref="KiwiDb"/> (<see cref="KiwiDb.SortedSets"/>): writes go through the writer
/// as the same entries the RESP server submits, reads answer at once from committed state through one read view.
/// </summary>
public sealed partial class KiwiSortedSets
{
    private readonly KiwiDb _db;

    internal KiwiSortedSets(KiwiDb db) => _db = db;

    /// <summary>ZADD key score member: true when the member was new (an existing one gets the new score).</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type; "not a valid float" for NaN.</exception>
    public ValueTask<bool> AddAsync(ReadOnlySpan<byte> key, double score, ReadOnlySpan<byte> member, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ZSetEntries.Add(_db.Target, ZAddFlags.None, key, score, member)).AsStatusTask();
    }

    /// <summary>ZREM key member: true when the member was there.</summary>
    public ValueTask<bool> RemoveAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(ZSetEntries.Remove(_db.Target, key, new SpanArgs(member))).AsStatusTask();
    }

    /// <summary>ZSCORE key member: the score, or null when the key or the member is missing.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public double? Score(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out ulong version, out _) && ZSetReads.TryGetScore(view, _db.ReadDatabase, key, version, member, out double score)
            ? score
            : null;
    }

    /// <summary>ZCARD key: the number of members (0 when missing), O(1).</summary>
    public long Count(ReadOnlySpan<byte> key)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out _, out long count) ? count : 0;
    }

    /// <summary>ZRANK key member: the 0-based rank by score (null when missing); O(min(rank, size - rank)).</summary>
    public long? Rank(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out long count))
        {
            return null;
        }

        long rank = ZSetReads.Rank(view, _db.ReadDatabase, key, version, count, member);
        return rank < 0 ? null : rank;
    }

    /// <summary>
    /// ZRANGEBYSCORE key min max (inclusive): calls <paramref name="visit"/> with each member and score, lowest score
    /// first; one seek to <paramref name="min"/>. The walk holds a read view: keep the visitor short.
    /// </summary>
    public void ForEachByScore(ReadOnlySpan<byte> key, double min, double max, SortedSetVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out _) || !(min <= max))
        {
            return;
        }

        Span<byte> from = stackalloc byte[ZSetKeys.ScorePrefix];
        from[0] = ZSetKeys.ScoreTag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(from[1..], ZSetKeys.Sortable(min));
        using MemberCursor cursor = CollectionReads.OpenMembers(view, KeySpace.ZSet, _db.ReadDatabase, key, version, from);
        for (; cursor.Valid; cursor.Next())
        {
            double score = ZSetKeys.ScoreOf(cursor.Member);
            if (score > max)
            {
                return;
            }

            visit(ZSetKeys.MemberOfScoreEntry(cursor.Member), ZSetKeys.ExactScore(cursor.Member, cursor.Value));
        }
    }

    private bool Find(StorageSnapshot view, ReadOnlySpan<byte> key, out ulong version, out long count)
        => CollectionReads.Find(view, _db.ReadDatabase, key, _db.NowMs(), KeyType.ZSet, out version, out count);
}

/// <summary>Receives one member of a sorted set and its score; the span is valid during the call only.</summary>
public delegate void SortedSetVisitor(ReadOnlySpan<byte> member, double score);
