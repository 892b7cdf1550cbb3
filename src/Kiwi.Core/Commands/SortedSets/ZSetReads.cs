using Kiwi.Core.Apply;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>The score order of a committed sorted set, read through one read view.</summary>
internal readonly ref struct CommittedZSet(StorageSnapshot view, int db, ReadOnlySpan<byte> key, ulong version) : IZSetView
{
    private readonly ReadOnlySpan<byte> _key = key;

    [ThreadStatic]
    private static ByteBuffer? t_group;

    /// <inheritdoc/>
    public MemberCursor OpenScores(ReadOnlySpan<byte> from) => CollectionReads.OpenMembers(view, KeySpace.ZSet, db, _key, version, from);

    /// <inheritdoc/>
    public ZReverseCursor OpenScoresReverse(ReadOnlySpan<byte> before)
        => new(view.OpenCursor(KeySpace.ZSet), null, KeySpace.ZSet, KeyCodec.Data(t_group ??= new ByteBuffer(), db, _key, version, default), before);
}

/// <summary>Point reads and counts of committed sorted sets (scratch per thread: nothing allocated per read).</summary>
internal static class ZSetReads
{
    [ThreadStatic]
    private static ByteBuffer? t_suffix;

    /// <summary>Reads <paramref name="member"/>'s score; false when it is not in the set.</summary>
    public static bool TryGetScore(StorageSnapshot view, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, out double score)
    {
        ReadOnlySpan<byte> suffix = ZSetKeys.Member(t_suffix ??= new ByteBuffer(), member);
        if (CollectionReads.TryGetMember(view, KeySpace.ZSet, db, key, version, suffix, out ReadOnlySpan<byte> value) && value.Length == 8)
        {
            score = ZSetKeys.ReadScoreValue(value);
            return true;
        }

        score = 0;
        return false;
    }

    /// <summary>
    /// The 0-based rank of <paramref name="member"/> (lowest score first), -1 when it is not in the set: two walks
    /// of the score order in step, one from each end, until one reaches it: O(min(rank, size - rank)).
    /// </summary>
    public static long Rank(StorageSnapshot view, int db, ReadOnlySpan<byte> key, ulong version, long size, ReadOnlySpan<byte> member)
    {
        if (!TryGetScore(view, db, key, version, member, out double score))
        {
            return -1;
        }

        ByteBuffer target = t_suffix ??= new ByteBuffer();
        ZSetKeys.Score(target, score, member);
        var set = new CommittedZSet(view, db, key, version);
        using MemberCursor forward = set.OpenScores([ZSetKeys.ScoreTag]);
        using ZReverseCursor backward = set.OpenScoresReverse([ZSetKeys.ScoreTag + 1]);
        for (long steps = 0; forward.Valid || backward.Valid; steps++, forward.Next(), backward.Next())
        {
            if (forward.Valid && forward.Member.SequenceEqual(target.WrittenSpan))
            {
                return steps;
            }

            if (backward.Valid && backward.Member.SequenceEqual(target.WrittenSpan))
            {
                return size - 1 - steps;
            }
        }

        return -1;
    }
}

/// <summary>Counts a range (ZCOUNT, ZLEXCOUNT).</summary>
internal struct CountSink : IZSink
{
    /// <summary>How many pairs were seen.</summary>
    public long Count;

    /// <inheritdoc/>
    public bool Add(ReadOnlySpan<byte> member, double score)
    {
        Count++;
        return true;
    }
}
