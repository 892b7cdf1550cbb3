using Kiwi.Core.Apply;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>A sorted set's score order, from committed state (reads) or the writer's batch (writes).</summary>
internal interface IZSetView
{
    /// <summary>Walks the score-order entries from the first at or after <paramref name="from"/> (a suffix that starts with <see cref="ZSetKeys.ScoreTag"/>).</summary>
    MemberCursor OpenScores(ReadOnlySpan<byte> from);

    /// <summary>Walks the score-order entries backwards from the last before <paramref name="before"/> (a suffix).</summary>
    ZReverseCursor OpenScoresReverse(ReadOnlySpan<byte> before);
}

/// <summary>Receives range results in reply order; false stops the walk.</summary>
internal interface IZSink
{
    /// <summary>Takes one pair (the member span is valid only during the call).</summary>
    bool Add(ReadOnlySpan<byte> member, double score);
}

/// <summary>
/// Ranges over a sorted set's score order, shared by the reads and the writer (ZRANGESTORE, ZREM*, ZPOP*). Costs:
/// a score range is one seek to its near bound (the minimum, or the maximum walking backwards) plus its length and
/// any LIMIT offset; a rank range walks from the nearer end of the score order, O(min(rank, size - rank)); lexicographic ranges walk the whole set (Redis's listpack semantics, which stay exact when scores differ).
/// </summary>
internal static class ZSetWalk
{
    [ThreadStatic]
    private static ByteBuffer? t_from;

    /// <summary>
    /// Ranks <paramref name="start"/>..<paramref name="end"/> (0 ≤ start ≤ end &lt; size), counted from the top when
    /// <paramref name="reverse"/>. The walk starts from whichever end of the score order is nearer, so it costs
    /// O(min(rank, size - rank)) plus the range's length.
    /// </summary>
    public static void ByRank<TView, TSink>(ref TView view, long start, long end, bool reverse, long size, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        if (start <= size - 1 - end)
        {
            Walk(ref view, start, end, reverse, ref sink);
            return;
        }

        // Nearer the other end: walk from there, keep the range, and emit it in the asked order.
        using var kept = new ZEntryList();
        var keep = new ListSink(kept);
        Walk(ref view, size - 1 - end, size - 1 - start, !reverse, ref keep);
        for (int i = kept.Count - 1; i >= 0; i--)
        {
            if (!sink.Add(kept.Member(i), kept.Score(i)))
            {
                return;
            }
        }
    }

    // Emits positions start..end counted from the lowest score, or from the highest when reverse.
    private static void Walk<TView, TSink>(ref TView view, long start, long end, bool reverse, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        if (reverse)
        {
            using ZReverseCursor back = view.OpenScoresReverse([ZSetKeys.ScoreTag + 1]);
            for (long index = 0; back.Valid && index <= end; back.Next(), index++)
            {
                if (index >= start && !sink.Add(ZSetKeys.MemberOfScoreEntry(back.Member), ZSetKeys.ExactScore(back.Member, back.Value)))
                {
                    return;
                }
            }

            return;
        }

        if (end < 0)
        {
            return;
        }

        // No step past the last entry taken: a pop's walk ends on the entry it popped, where the next pop's walk of
        // the same set starts (its floor), so the writer's kept cursor needs no seek then.
        using MemberCursor cursor = view.OpenScores(From(double.NegativeInfinity));
        for (long index = 0; cursor.Valid; index++)
        {
            if (index >= start && !sink.Add(ZSetKeys.MemberOfScoreEntry(cursor.Member), ZSetKeys.ExactScore(cursor.Member, cursor.Value)))
            {
                return;
            }

            if (index == end)
            {
                return;
            }

            cursor.Next();
        }
    }

    /// <summary>
    /// The scores in <paramref name="range"/>, lowest first (highest first when <paramref name="reverse"/>), after
    /// skipping <paramref name="offset"/> (a negative one gives nothing, as in Redis) and at most
    /// <paramref name="limit"/> of them (negative: all).
    /// </summary>
    public static void ByScore<TView, TSink>(ref TView view, in ZScoreRange range, bool reverse, long offset, long limit, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        if (range.IsEmpty || offset < 0)
        {
            return;
        }

        if (reverse)
        {
            ByScoreReverse(ref view, range, offset, limit, ref sink);
            return;
        }

        using (MemberCursor cursor = view.OpenScores(From(range.Min)))
        {
            for (; cursor.Valid; cursor.Next())
            {
                ReadOnlySpan<byte> entry = cursor.Member;
                double score = ZSetKeys.ScoreOf(entry);
                if (!range.AboveMin(score))
                {
                    continue;
                }

                if (!range.BelowMax(score))
                {
                    break;
                }

                score = ZSetKeys.ExactScore(entry, cursor.Value);

                if (offset > 0)
                {
                    offset--;
                    continue;
                }

                if (limit == 0 || !sink.Add(ZSetKeys.MemberOfScoreEntry(entry), score))
                {
                    return;
                }

                limit--;
            }
        }
    }

    /// <summary>
    /// The members in <paramref name="range"/> as Redis 7.0 finds them in a listpack: the first member (from the
    /// lowest score, or from the highest when <paramref name="reverse"/>) inside the near bound, then on while
    /// inside the far bound; nothing when the set's first member is above the maximum or its last below the minimum.
    /// </summary>
    public static void ByLex<TView, TSink>(ref TView view, scoped in ZLexRange range, bool reverse, long offset, long limit, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        if (range.IsEmpty || offset < 0)
        {
            return;
        }

        using var all = new ZEntryList();
        using (MemberCursor cursor = view.OpenScores(From(double.NegativeInfinity)))
        {
            for (; cursor.Valid; cursor.Next())
            {
                ReadOnlySpan<byte> entry = cursor.Member;
                all.Add(ZSetKeys.MemberOfScoreEntry(entry), ZSetKeys.ExactScore(entry, cursor.Value));
            }
        }

        int count = all.Count;
        if (count == 0 || !range.AboveMin(all.Member(count - 1)) || !range.BelowMax(all.Member(0)))
        {
            return;
        }

        int start = -1;
        if (!reverse)
        {
            for (int i = 0; i < count; i++)
            {
                if (range.AboveMin(all.Member(i)))
                {
                    start = range.BelowMax(all.Member(i)) ? i : -1;
                    break;
                }
            }
        }
        else
        {
            for (int i = count - 1; i >= 0; i--)
            {
                if (range.BelowMax(all.Member(i)))
                {
                    start = range.AboveMin(all.Member(i)) ? i : -1;
                    break;
                }
            }
        }

        if (start < 0)
        {
            return;
        }

        int step = reverse ? -1 : 1;
        for (int i = start + (int)Math.Min(offset, count) * step; i >= 0 && i < count && limit != 0; i += step, limit--)
        {
            ReadOnlySpan<byte> member = all.Member(i);
            if (!(reverse ? range.AboveMin(member) : range.BelowMax(member)) || !sink.Add(member, all.Score(i)))
            {
                return;
            }
        }
    }

    // The scores in the range from the highest: one backward seek to just above the maximum.
    private static void ByScoreReverse<TView, TSink>(ref TView view, in ZScoreRange range, long offset, long limit, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        ByteBuffer before = t_from ??= new ByteBuffer();
        before.Clear();
        Span<byte> bound = before.GetSpan(ZSetKeys.ScorePrefix);
        bound[0] = ZSetKeys.ScoreTag;
        ulong sortable = ZSetKeys.Sortable(range.Max);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bound[1..], sortable == ulong.MaxValue ? sortable : sortable + 1);
        before.Advance(ZSetKeys.ScorePrefix);
        using ZReverseCursor back = view.OpenScoresReverse(before.WrittenSpan);
        for (; back.Valid; back.Next())
        {
            ReadOnlySpan<byte> entry = back.Member;
            double score = ZSetKeys.ScoreOf(entry);
            if (!range.BelowMax(score))
            {
                continue;
            }

            if (!range.AboveMin(score))
            {
                return;
            }

            if (offset > 0)
            {
                offset--;
                continue;
            }

            if (limit == 0 || !sink.Add(ZSetKeys.MemberOfScoreEntry(entry), ZSetKeys.ExactScore(entry, back.Value)))
            {
                return;
            }

            limit--;
        }
    }

    private static ReadOnlySpan<byte> From(double score) => ZSetKeys.Score(t_from ??= new ByteBuffer(), score, default);
}
