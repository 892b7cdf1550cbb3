using Kiwi.Core.Apply;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>A sorted set's score order, from committed state (reads) or the writer's batch (writes).</summary>
internal interface IZSetView
{
    /// <summary>Walks the score-order entries from the first at or after <paramref name="from"/> (a suffix that starts with <see cref="ZSetKeys.ScoreTag"/>).</summary>
    MemberCursor OpenScores(ReadOnlySpan<byte> from);
}

/// <summary>Receives range results in reply order; false stops the walk.</summary>
internal interface IZSink
{
    /// <summary>Takes one pair (the member span is valid only during the call).</summary>
    bool Add(ReadOnlySpan<byte> member, double score);
}

/// <summary>
/// Ranges over a sorted set's score order, shared by the reads and the writer (ZRANGESTORE, ZREM*, ZPOP*). Costs:
/// a forward score range is one seek to its lower bound plus its length (plus any LIMIT offset); a rank range
/// walks from the lowest score to its end rank (O(rank)); reverse ranges walk forward and emit backwards (a
/// reverse score range costs its length, a reverse rank range O(size - start)); lexicographic ranges walk the
/// whole set (Redis's listpack semantics, which stay exact when scores differ).
/// </summary>
internal static class ZSetWalk
{
    [ThreadStatic]
    private static ByteBuffer? t_from;

    /// <summary>Ranks <paramref name="start"/>..<paramref name="end"/> (0 ≤ start ≤ end &lt; size), counted from the top when <paramref name="reverse"/>.</summary>
    public static void ByRank<TView, TSink>(ref TView view, long start, long end, bool reverse, long size, ref TSink sink)
        where TView : IZSetView, allows ref struct
        where TSink : IZSink, allows ref struct
    {
        long first = reverse ? size - 1 - end : start;
        long last = reverse ? size - 1 - start : end;
        using ZEntryList? kept = reverse ? new ZEntryList() : null;
        long index = 0;
        using (MemberCursor cursor = view.OpenScores(From(double.NegativeInfinity)))
        {
            for (; cursor.Valid && index <= last; cursor.Next(), index++)
            {
                if (index < first)
                {
                    continue;
                }

                ReadOnlySpan<byte> entry = cursor.Member;
                double score = ZSetKeys.ExactScore(entry, cursor.Value);
                if (kept is not null)
                {
                    kept.Add(ZSetKeys.MemberOfScoreEntry(entry), score);
                }
                else if (!sink.Add(ZSetKeys.MemberOfScoreEntry(entry), score))
                {
                    return;
                }
            }
        }

        for (int i = (kept?.Count ?? 0) - 1; i >= 0; i--)
        {
            if (!sink.Add(kept!.Member(i), kept.Score(i)))
            {
                return;
            }
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

        using ZEntryList? kept = reverse ? new ZEntryList() : null;
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

                if (kept is not null)
                {
                    kept.Add(ZSetKeys.MemberOfScoreEntry(entry), score);
                    continue;
                }

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

        if (kept is not null)
        {
            Emit(kept, kept.Count - 1 - offset, -1, limit, ref sink);
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

    // Emits kept[start], kept[start + step], ... while inside the list and the limit.
    private static void Emit<TSink>(ZEntryList kept, long start, int step, long limit, ref TSink sink)
        where TSink : IZSink, allows ref struct
    {
        for (long i = start; i >= 0 && i < kept.Count && limit != 0; i += step, limit--)
        {
            if (!sink.Add(kept.Member((int)i), kept.Score((int)i)))
            {
                return;
            }
        }
    }

    private static ReadOnlySpan<byte> From(double score) => ZSetKeys.Score(t_from ??= new ByteBuffer(), score, default);
}
