using Kiwi.Core.Apply;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// ZUNION, ZINTER, ZDIFF (and their STORE and CARD forms) as one merge over the sources walked in member order:
/// a sorted set's member order, or a plain set's members (score 1, as Redis takes them). Weighted scores are
/// aggregated in Redis's order (sources by ascending size, ties in argument order) with its NaN rules. Costs the sources' total size.
/// </summary>
internal static class ZSetAlgebra
{
    /// <summary>
    /// Runs <paramref name="op"/> over <paramref name="sources"/> (null: a missing key) of the given
    /// <paramref name="sizes"/>; <paramref name="zsets"/> tells sorted sets from plain sets.
    /// </summary>
    public static void Run<TSink>(SetOperation op, ZAggregate aggregate, MemberCursor?[] sources, bool[] zsets, long[] sizes, ReadOnlySpan<double> weights, ref TSink sink)
        where TSink : IZSink, allows ref struct
    {
        int n = sources.Length;
        if ((op == SetOperation.Inter && Array.IndexOf(sources, null) >= 0) || (op == SetOperation.Diff && sources[0] is null))
        {
            return;
        }

        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        if (op != SetOperation.Diff)
        {
            // Stable: by size, then position.
            Array.Sort(order, (a, b) => sizes[a] != sizes[b] ? sizes[a].CompareTo(sizes[b]) : a.CompareTo(b));
        }

        bool[] here = new bool[n];
        using var current = new ByteBuffer();
        while (true)
        {
            int smallest = -1;
            for (int i = 0; i < n; i++)
            {
                if (Valid(sources[i], zsets[i]) && (smallest < 0 || Member(sources[i]!, zsets[i]).SequenceCompareTo(Member(sources[smallest]!, zsets[smallest])) < 0))
                {
                    smallest = i;
                }
            }

            if (smallest < 0)
            {
                return;
            }

            current.Set(Member(sources[smallest]!, zsets[smallest]));
            int present = 0;
            double score = 0;
            foreach (int i in order)
            {
                here[i] = Valid(sources[i], zsets[i]) && Member(sources[i]!, zsets[i]).SequenceEqual(current.WrittenSpan);
                if (!here[i])
                {
                    continue;
                }

                double value = zsets[i] ? ZSetKeys.ReadScoreValue(sources[i]!.Value) : 1.0;
                if (op != SetOperation.Diff)
                {
                    value *= weights.IsEmpty ? 1.0 : weights[i];

                    // Redis zeroes a NaN product for every source of a union but only for ZINTER's first: the
                    // others go to the aggregate as they are (SUM then zeroes a NaN sum, MIN and MAX keep theirs).
                    value = double.IsNaN(value) && (op == SetOperation.Union || present == 0) ? 0 : value;
                }

                score = present++ == 0 ? value : Aggregate(aggregate, score, value);
            }

            bool emit = op switch
            {
                SetOperation.Union => true,
                SetOperation.Inter => present == n,
                _ => present == 1 && here[0],
            };
            if (emit && !sink.Add(current.WrittenSpan, op == SetOperation.Diff ? ScoreOf(sources[0]!, zsets[0]) : score))
            {
                return;
            }

            for (int i = 0; i < n; i++)
            {
                if (here[i])
                {
                    sources[i]!.Next();
                }
            }
        }
    }

    private static double ScoreOf(MemberCursor cursor, bool zset) => zset ? ZSetKeys.ReadScoreValue(cursor.Value) : 1.0;

    private static double Aggregate(ZAggregate aggregate, double target, double value)
    {
        switch (aggregate)
        {
            case ZAggregate.Min:
                return value < target ? value : target;
            case ZAggregate.Max:
                return value > target ? value : target;
            default:
                double sum = target + value;
                return double.IsNaN(sum) ? 0 : sum;
        }
    }

    // A sorted set's walk covers its member order (tag 0) and then its score order: it ends at the first tag 1.
    private static bool Valid(MemberCursor? cursor, bool zset)
        => cursor is not null && cursor.Valid && (!zset || cursor.Member[0] == ZSetKeys.MemberTag);

    private static ReadOnlySpan<byte> Member(MemberCursor cursor, bool zset) => zset ? cursor.Member[1..] : cursor.Member;
}
