using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>The operation of SINTER/SUNION/SDIFF and their STORE and CARD forms.</summary>
internal enum SetOperation : byte
{
    /// <summary>Members in every set.</summary>
    Inter = 1,

    /// <summary>Members in any set.</summary>
    Union = 2,

    /// <summary>Members of the first set in none of the others.</summary>
    Diff = 3,
}

/// <summary>The sets an operation reads: committed state for a read, the writer's batch view for a STORE.</summary>
internal interface ISetSources
{
    /// <summary>How many sets (the first one is the SDIFF minuend).</summary>
    int Count { get; }

    /// <summary>Member count of set <paramref name="i"/> (0 when the key is missing).</summary>
    long Size(int i);

    /// <summary>Walks set <paramref name="i"/> in byte order (only called for an existing set).</summary>
    MemberCursor Open(int i);

    /// <summary>True when set <paramref name="i"/> exists and holds <paramref name="member"/>.</summary>
    bool Contains(int i, ReadOnlySpan<byte> member);
}

/// <summary>Receives the members of a result, each once; false stops the walk.</summary>
internal interface IMemberSink
{
    /// <summary>Takes one member (the span is valid only during the call).</summary>
    bool Add(ReadOnlySpan<byte> member);
}

/// <summary>
/// SINTER, SUNION and SDIFF over members walked in byte order, shared by the read handlers and the writer's
/// STORE forms. The sink sees each result member once.
/// </summary>
internal static class SetAlgebra
{
    public static void Run<TSources, TSink>(SetOperation op, ref TSources sets, ref TSink sink)
        where TSources : ISetSources
        where TSink : IMemberSink
    {
        switch (op)
        {
            case SetOperation.Inter:
                Inter(ref sets, ref sink);
                break;
            case SetOperation.Union:
                Union(ref sets, ref sink);
                break;
            default:
                Diff(ref sets, ref sink);
                break;
        }
    }

    // Walks the smallest set and probes the others: an empty (or missing) set empties the result.
    private static void Inter<TSources, TSink>(ref TSources sets, ref TSink sink)
        where TSources : ISetSources
        where TSink : IMemberSink
    {
        int smallest = 0;
        for (int i = 0; i < sets.Count; i++)
        {
            if (sets.Size(i) == 0)
            {
                return;
            }

            if (sets.Size(i) < sets.Size(smallest))
            {
                smallest = i;
            }
        }

        using MemberCursor cursor = sets.Open(smallest);
        for (; cursor.Valid; cursor.Next())
        {
            ReadOnlySpan<byte> member = cursor.Member;
            bool inAll = true;
            for (int i = 0; i < sets.Count && inAll; i++)
            {
                inAll = i == smallest || sets.Contains(i, member);
            }

            if (inAll && !sink.Add(cursor.Member))
            {
                return;
            }
        }
    }

    // Merges the sorted walks: the smallest current member is emitted once and every walk standing on it moves.
    private static void Union<TSources, TSink>(ref TSources sets, ref TSink sink)
        where TSources : ISetSources
        where TSink : IMemberSink
    {
        var cursors = new MemberCursor?[sets.Count];
        try
        {
            for (int i = 0; i < cursors.Length; i++)
            {
                cursors[i] = sets.Size(i) == 0 ? null : sets.Open(i);
            }

            while (true)
            {
                int min = -1;
                for (int i = 0; i < cursors.Length; i++)
                {
                    if (cursors[i] is { Valid: true } c && (min < 0 || c.Member.SequenceCompareTo(cursors[min]!.Member) < 0))
                    {
                        min = i;
                    }
                }

                if (min < 0 || !sink.Add(cursors[min]!.Member))
                {
                    return;
                }

                for (int i = 0; i < cursors.Length; i++)
                {
                    if (i != min && cursors[i] is { Valid: true } c && c.Member.SequenceEqual(cursors[min]!.Member))
                    {
                        c.Next();
                    }
                }

                cursors[min]!.Next();
            }
        }
        finally
        {
            foreach (MemberCursor? c in cursors)
            {
                c?.Dispose();
            }
        }
    }

    private static void Diff<TSources, TSink>(ref TSources sets, ref TSink sink)
        where TSources : ISetSources
        where TSink : IMemberSink
    {
        if (sets.Size(0) == 0)
        {
            return;
        }

        using MemberCursor cursor = sets.Open(0);
        for (; cursor.Valid; cursor.Next())
        {
            ReadOnlySpan<byte> member = cursor.Member;
            bool elsewhere = false;
            for (int i = 1; i < sets.Count && !elsewhere; i++)
            {
                elsewhere = sets.Contains(i, member);
            }

            if (!elsewhere && !sink.Add(cursor.Member))
            {
                return;
            }
        }
    }
}
