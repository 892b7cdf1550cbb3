using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Sort;

/// <summary>How a SORT ended.</summary>
internal enum SortOutcome
{
    /// <summary>The output is ready.</summary>
    Done,

    /// <summary>The source is not a list, a set or a sorted set.</summary>
    WrongType,

    /// <summary>"One or more scores can't be converted into double".</summary>
    NotDouble,
}

/// <summary>
/// SORT as Redis 7.0's sortCommandGeneric runs it, over an <see cref="ISortData"/>: the elements in the source's own
/// order, cut by LIMIT first when nothing is sorted (BY without <c>*</c>: a list or a sorted set keeps its order,
/// reversed by DESC); otherwise each gets a weight (itself or its BY value, a double unless ALPHA), sorted, and
/// cut. Equal numbers order by the elements' bytes, as Redis does; equal ALPHA BY values keep the load order.
/// </summary>
internal static class SortRun
{
    /// <summary>Runs SORT of <paramref name="key"/>; the output (GET values, null for missing ones) goes to <paramref name="output"/>.</summary>
    public static SortOutcome Run<TData>(TData data, ReadOnlySpan<byte> key, SortOptions options, List<byte[]?> output)
        where TData : ISortData
    {
        var elements = new List<byte[]>();
        KeyType type = data.Load(key, elements);
        if (type is not (KeyType.None or KeyType.List or KeyType.Set or KeyType.ZSet))
        {
            return SortOutcome.WrongType;
        }

        bool dontSort = options.DontSort;
        bool alpha = options.Alpha;
        byte[]? by = options.By;
        if (dontSort && type == KeyType.Set && options.Store is not null)
        {
            // A set has no order of its own: what is stored is sorted, as Redis does for replication.
            dontSort = false;
            alpha = true;
            by = null;
        }

        long n = elements.Count;
        long start = Math.Max(options.LimitStart, 0);
        long end = options.LimitCount < 0 ? n - 1 : start + Math.Min(options.LimitCount, n) - 1;
        if (start >= n)
        {
            start = n - 1;
            end = n - 2;
        }

        end = Math.Min(end, n - 1);
        if (dontSort && type is KeyType.List or KeyType.ZSet)
        {
            if (options.Descending)
            {
                elements.Reverse();
            }

            for (long j = start; j <= end; j++)
            {
                Emit(data, options, elements[(int)j], output);
            }

            return SortOutcome.Done;
        }

        var items = new SortItem[n];
        bool notDouble = false;
        for (int j = 0; j < items.Length; j++)
        {
            byte[] element = elements[j];
            items[j].Element = element;
            items[j].Index = j;
            if (dontSort)
            {
                continue;
            }

            byte[]? weight = by is null ? element : Lookup(data, by, element);
            if (weight is null)
            {
                continue;
            }

            if (alpha)
            {
                items[j].Weight = by is null ? null : weight;
            }
            else if (!ZScore.TryParseSortValue(weight, out items[j].Score))
            {
                notDouble = true;
            }
        }

        if (!dontSort)
        {
            Array.Sort(items, new SortComparer(alpha, by is not null, options.Descending));
        }

        if (notDouble)
        {
            return SortOutcome.NotDouble;
        }

        for (long j = start; j <= end; j++)
        {
            Emit(data, options, items[j].Element, output);
        }

        return SortOutcome.Done;
    }

    /// <summary>
    /// Redis's lookupKeyByPattern: <c>#</c> is the element; otherwise the first <c>*</c> becomes the element and a
    /// <c>-&gt;field</c> after it names a hash field. Null when the pattern has no <c>*</c> or nothing is found.
    /// </summary>
    public static byte[]? Lookup<TData>(TData data, ReadOnlySpan<byte> pattern, byte[] element)
        where TData : ISortData
    {
        if (pattern.SequenceEqual("#"u8))
        {
            return element;
        }

        int star = pattern.IndexOf((byte)'*');
        if (star < 0)
        {
            return null;
        }

        int keyEnd = pattern.Length;
        ReadOnlySpan<byte> field = default;
        int arrow = pattern[(star + 1)..].IndexOf("->"u8);
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            keyEnd = star + 1 + arrow;
            field = pattern[(keyEnd + 2)..];
        }

        byte[] key = new byte[star + element.Length + (keyEnd - star - 1)];
        pattern[..star].CopyTo(key);
        element.CopyTo(key.AsSpan(star));
        pattern[(star + 1)..keyEnd].CopyTo(key.AsSpan(star + element.Length));
        return field.IsEmpty ? data.GetString(key) : data.GetHashField(key, field);
    }

    private static void Emit<TData>(TData data, SortOptions options, byte[] element, List<byte[]?> output)
        where TData : ISortData
    {
        if (options.Gets.Count == 0)
        {
            output.Add(element);
            return;
        }

        foreach (byte[] pattern in options.Gets)
        {
            output.Add(Lookup(data, pattern, element));
        }
    }

    private struct SortItem
    {
        public byte[] Element;
        public int Index;
        public double Score;
        public byte[]? Weight;
    }

    private sealed class SortComparer(bool alpha, bool byPattern, bool descending) : IComparer<SortItem>
    {
        public int Compare(SortItem x, SortItem y)
        {
            int cmp;
            if (!alpha)
            {
                cmp = x.Score > y.Score ? 1 : x.Score < y.Score ? -1 : x.Element.AsSpan().SequenceCompareTo(y.Element);
            }
            else if (byPattern)
            {
                cmp = x.Weight is null || y.Weight is null
                    ? (x.Weight is null ? 0 : 1) - (y.Weight is null ? 0 : 1)
                    : x.Weight.AsSpan().SequenceCompareTo(y.Weight);
            }
            else
            {
                cmp = x.Element.AsSpan().SequenceCompareTo(y.Element);
            }

            cmp = Math.Sign(cmp);
            return cmp != 0 ? (descending ? -cmp : cmp) : x.Index.CompareTo(y.Index);
        }
    }
}
