using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>
/// The linearizability search of one key's operations (Wing and Gong's algorithm with Lowe's memoization, as in
/// Porcupine). Invocations and completions are events on a time line kept as a doubly linked list. Walking it,
/// an invocation whose operation the model accepts is linearized: both its events are lifted out of the list
/// and the walk restarts from the front. Reaching a completion means that operation should have been linearized
/// already: the last choice is undone (its events relinked) and the walk goes on past it. A (set of linearized
/// operations, model state) pair seen before cannot lead anywhere new, so it is not explored twice.
/// An operation of unknown outcome completes at +infinity: it may be linearized anywhere after its invocation,
/// and the search succeeds once every answered operation is linearized, which leaves it out altogether.
/// INCRs of unknown outcome are interchangeable (same effect, no reply), so only one order of them is tried:
/// each may be linearized only after the one invoked before it. If some linearization uses k of them, one also
/// exists that uses the k invoked first, in invocation order (an earlier invocation fits wherever a later one
/// does), so nothing is lost and the search no longer tries every subset.
/// </summary>
internal sealed class KeySearch
{
    private readonly Operation[] _ops;
    private readonly int[] _entryOp;
    private readonly bool[] _isCall;
    private readonly int[] _match;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly ulong[] _zobrist;
    private readonly int[] _after;
    private readonly int _head;

    public KeySearch(Operation[] ops)
    {
        _ops = ops;
        int n = ops.Length;
        var events = new (long Time, int Order, int Op)[2 * n];
        for (int i = 0; i < n; i++)
        {
            // At equal times the invocation comes first: the two operations are taken as concurrent, the order
            // that accepts more histories (no false alarm from a clock tie).
            events[2 * i] = (ops[i].Invoke, 0, i);
            events[(2 * i) + 1] = (ops[i].Complete, 1, i);
        }

        Array.Sort(events);
        _head = 2 * n;
        _entryOp = new int[2 * n];
        _isCall = new bool[2 * n];
        _match = new int[2 * n];
        _next = new int[(2 * n) + 1];
        _prev = new int[(2 * n) + 1];
        var callOf = new int[n];
        for (int e = 0; e < 2 * n; e++)
        {
            (_, int order, int op) = events[e];
            _entryOp[e] = op;
            _isCall[e] = order == 0;
            if (order == 0)
            {
                callOf[op] = e;
            }
            else
            {
                _match[callOf[op]] = e;
            }

            _next[e] = e + 1 < 2 * n ? e + 1 : -1;
            _prev[e] = e == 0 ? _head : e - 1;
        }

        _next[_head] = n == 0 ? -1 : 0;

        // Unknown INCRs in invocation order: each may be linearized only after the one before it.
        _after = new int[n];
        int previous = -1;
        for (int e = 0; e < 2 * n; e++)
        {
            int op = _entryOp[e];
            if (_isCall[e])
            {
                _after[op] = -1;
                if (ops[op].Kind == OperationKind.Incr && ops[op].Outcome == Outcome.Unknown)
                {
                    _after[op] = previous;
                    previous = op;
                }
            }
        }

        // Zobrist hashing: the hash of a set of operations is the XOR of theirs, updated in O(1) per choice.
        var random = new Random(n);
        _zobrist = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            _zobrist[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        }
    }

    /// <summary>
    /// Searches for a linearization in at most <paramref name="maxSteps"/> steps. On failure the outcome holds the
    /// longest linearization found (operation indexes) and the model state after it.
    /// </summary>
    public SearchOutcome Run(long maxSteps)
    {
        int n = _ops.Length;
        var bits = new ulong[(n + 63) / 64];
        ulong hash = 0;
        var seen = new HashSet<CacheKey>(CacheKey.Comparer);
        var stackEntry = new int[n];
        var stackState = new long?[n];
        int depth = 0;
        long? state = null;
        int remaining = _ops.Count(o => o.Complete != Operation.Open);
        int[] deepest = [];
        long? deepestState = null;
        long steps = 0;
        int entry = _next[_head];
        while (remaining > 0)
        {
            if (++steps > maxSteps)
            {
                return new SearchOutcome(Verdict.Unknown, steps - 1, deepest, deepestState);
            }

            if (entry < 0)
            {
                throw new InvalidOperationException("the walk passed every event with answered operations left: the event list is corrupt");
            }

            int op = _entryOp[entry];
            if (_isCall[entry])
            {
                if ((_after[op] < 0 || IsSet(bits, _after[op])) && KeyModel.Step(state, _ops[op], out long? after))
                {
                    Flip(bits, op);
                    hash ^= _zobrist[op];
                    CacheKey probe = CacheKey.Over(bits, hash, after);
                    if (!seen.Contains(probe))
                    {
                        seen.Add(probe.Copy());
                        stackEntry[depth] = entry;
                        stackState[depth] = state;
                        depth++;
                        state = after;
                        Lift(entry);
                        if (_ops[op].Complete != Operation.Open)
                        {
                            remaining--;
                        }

                        if (depth > deepest.Length)
                        {
                            deepest = new int[depth];
                            for (int i = 0; i < depth; i++)
                            {
                                deepest[i] = _entryOp[stackEntry[i]];
                            }

                            deepestState = state;
                        }

                        entry = _next[_head];
                        continue;
                    }

                    Flip(bits, op);
                    hash ^= _zobrist[op];
                }

                entry = _next[entry];
            }
            else
            {
                // The completion of an operation not linearized yet: every order tried from here is too late.
                // Undo the last choice; if it was a read, undo the one before too: a read that fits where it
                // stands can be moved there from anywhere later (it changes nothing, and everything that had to
                // precede it already does), so the orders without it here have failed as well.
                int undone;
                int undoneOp;
                do
                {
                    if (depth == 0)
                    {
                        return new SearchOutcome(Verdict.NotLinearizable, steps, deepest, deepestState);
                    }

                    depth--;
                    undone = stackEntry[depth];
                    undoneOp = _entryOp[undone];
                    state = stackState[depth];
                    Flip(bits, undoneOp);
                    hash ^= _zobrist[undoneOp];
                    Unlift(undone);
                    if (_ops[undoneOp].Complete != Operation.Open)
                    {
                        remaining++;
                    }
                }
                while (_ops[undoneOp].Kind == OperationKind.Get);

                entry = _next[undone];
            }
        }

        return new SearchOutcome(Verdict.Linearizable, steps, deepest, deepestState);
    }

    private static bool IsSet(ulong[] bits, int op) => (bits[op >> 6] & (1UL << (op & 63))) != 0;

    private static void Flip(ulong[] bits, int op) => bits[op >> 6] ^= 1UL << (op & 63);

    /// <summary>Unlinks an invocation and its completion; <see cref="Unlift"/> relinks them (undo in reverse order).</summary>
    private void Lift(int call)
    {
        Unlink(call);
        Unlink(_match[call]);
    }

    private void Unlift(int call)
    {
        Relink(_match[call]);
        Relink(call);
    }

    private void Unlink(int e)
    {
        _next[_prev[e]] = _next[e];
        if (_next[e] >= 0)
        {
            _prev[_next[e]] = _prev[e];
        }
    }

    // An unlinked entry keeps its own links, so it knows where it belongs (dancing links).
    private void Relink(int e)
    {
        _next[_prev[e]] = e;
        if (_next[e] >= 0)
        {
            _prev[_next[e]] = e;
        }
    }

    /// <summary>
    /// A visited (linearized set, state) pair. Operations are numbered in invocation order, so a linearized set is
    /// mostly a prefix: only its words from the first one not full up to the last one not empty are kept
    /// (<see cref="Words"/>[<see cref="Start"/>..] holds them, word <see cref="First"/> on), which keeps the table
    /// small however long the history.
    /// </summary>
    private readonly record struct CacheKey(ulong[] Words, int Start, int Length, int First, ulong Hash, long? State)
    {
        public static readonly IEqualityComparer<CacheKey> Comparer = new CacheKeyComparer();

        /// <summary>A key over the live bit set (for a lookup; <see cref="Copy"/> it to keep it).</summary>
        public static CacheKey Over(ulong[] bits, ulong hash, long? state)
        {
            int first = 0;
            while (first < bits.Length && bits[first] == ulong.MaxValue)
            {
                first++;
            }

            int end = bits.Length;
            while (end > first && bits[end - 1] == 0)
            {
                end--;
            }

            return new CacheKey(bits, first, end - first, first, hash, state);
        }

        public CacheKey Copy() => this with { Words = Words.AsSpan(Start, Length).ToArray(), Start = 0 };

        private sealed class CacheKeyComparer : IEqualityComparer<CacheKey>
        {
            public bool Equals(CacheKey x, CacheKey y)
                => x.Hash == y.Hash && x.State == y.State && x.First == y.First
                    && x.Words.AsSpan(x.Start, x.Length).SequenceEqual(y.Words.AsSpan(y.Start, y.Length));

            public int GetHashCode(CacheKey key) => HashCode.Combine(key.Hash, key.State);
        }
    }
}

/// <summary>What <see cref="KeySearch.Run"/> concluded, with the longest linearization it found.</summary>
/// <param name="Verdict">Linearizable, not, or unknown (budget exhausted).</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="Deepest">The longest linearization found, as operation indexes in order.</param>
/// <param name="DeepestState">The model state after <paramref name="Deepest"/>.</param>
internal readonly record struct SearchOutcome(Verdict Verdict, long Steps, int[] Deepest, long? DeepestState);
