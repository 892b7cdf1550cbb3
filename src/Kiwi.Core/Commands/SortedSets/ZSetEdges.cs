using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// The writer's bounds on where the live entries of a sorted set's score order begin and end, so that pops do not
/// walk the tombstones of the pops before them. ZPOPMIN deletes the lowest entry; until compaction drops its
/// tombstone, every later seek from the start steps over it, and a queue drained from one end would cost O(popped)
/// per pop. After a pop the writer knows that no live entry lies below (above) the last one it took, and later walks
/// of the writer's batch seek from there. Inserts move the bounds out; anything that takes writes back (a failed
/// batch or command, a snapshot) forgets them all. Keyed by the collection's version, which no other collection ever
/// gets, so a deleted or replaced set's bounds are never used for another. Writer thread only; reads on other
/// threads are not helped (their tombstones go with compaction, as in any LSM store).
/// </summary>
internal sealed class ZSetEdges : IDisposable
{
    private const int MaxSets = 1024;

    private readonly Dictionary<ulong, Bounds> _byVersion = [];
    private readonly Stack<Bounds> _free = new();

    /// <summary>
    /// Where a forward walk of set <paramref name="version"/> asked to start at <paramref name="from"/> may start:
    /// the later of the two (no live entry lies below the floor).
    /// </summary>
    public ReadOnlySpan<byte> Floor(ulong version, ReadOnlySpan<byte> from)
        => _byVersion.TryGetValue(version, out Bounds? bounds) && bounds.Floor.Length > 0 && from.SequenceCompareTo(bounds.Floor.WrittenSpan) < 0
            ? bounds.Floor.WrittenSpan
            : from;

    /// <summary>
    /// Where a backward walk of set <paramref name="version"/> asked to start before <paramref name="before"/> may
    /// start: the earlier of the two (no live entry lies at or above the ceiling).
    /// </summary>
    public ReadOnlySpan<byte> Ceiling(ulong version, ReadOnlySpan<byte> before)
        => _byVersion.TryGetValue(version, out Bounds? bounds) && bounds.Ceiling.Length > 0 && bounds.Ceiling.WrittenSpan.SequenceCompareTo(before) < 0
            ? bounds.Ceiling.WrittenSpan
            : before;

    /// <summary>
    /// The lowest (<paramref name="top"/> false) or highest entries of set <paramref name="version"/> up to
    /// <paramref name="last"/> (a score-order suffix) were removed: nothing live lies beyond it on that side.
    /// </summary>
    public void Popped(ulong version, ReadOnlySpan<byte> last, bool top)
    {
        if (!_byVersion.TryGetValue(version, out Bounds? bounds))
        {
            if (_byVersion.Count >= MaxSets)
            {
                Clear();
            }

            bounds = _free.TryPop(out Bounds? reused) ? reused : new Bounds();
            _byVersion[version] = bounds;
        }

        (top ? bounds.Ceiling : bounds.Floor).Set(last);
    }

    /// <summary>An entry <paramref name="entry"/> (a score-order suffix) was written to set <paramref name="version"/>.</summary>
    public void Inserted(ulong version, ReadOnlySpan<byte> entry)
    {
        if (_byVersion.Count == 0 || !_byVersion.TryGetValue(version, out Bounds? bounds))
        {
            return;
        }

        if (bounds.Floor.Length > 0 && entry.SequenceCompareTo(bounds.Floor.WrittenSpan) < 0)
        {
            bounds.Floor.Set(entry);
        }

        if (bounds.Ceiling.Length > 0 && entry.SequenceCompareTo(bounds.Ceiling.WrittenSpan) >= 0)
        {
            // The smallest suffix above the entry: the backward walk starts at the entry itself.
            bounds.Ceiling.Set(entry);
            bounds.Ceiling.Write([0]);
        }
    }

    /// <summary>Forgets every bound (writes were taken back, or the data replaced).</summary>
    public void Clear()
    {
        foreach (Bounds bounds in _byVersion.Values)
        {
            bounds.Floor.Clear();
            bounds.Ceiling.Clear();
            _free.Push(bounds);
        }

        _byVersion.Clear();
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        Clear();
        while (_free.TryPop(out Bounds? bounds))
        {
            bounds.Floor.Dispose();
            bounds.Ceiling.Dispose();
        }
    }

    private sealed class Bounds
    {
        public ByteBuffer Floor { get; } = new();

        public ByteBuffer Ceiling { get; } = new();
    }
}
