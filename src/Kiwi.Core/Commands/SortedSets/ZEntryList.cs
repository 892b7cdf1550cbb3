using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// (member, score) pairs copied out of a walk, kept in one native buffer: what a reverse range, a removal or an
/// algebra result holds while the walk that found it is still open or before it writes.
/// </summary>
internal sealed class ZEntryList : IDisposable
{
    private readonly ByteBuffer _members = new();
    private readonly List<Entry> _entries = [];

    /// <summary>How many pairs.</summary>
    public int Count => _entries.Count;

    /// <summary>Member <paramref name="index"/>; valid until the next <see cref="Add"/>.</summary>
    public ReadOnlySpan<byte> Member(int index)
    {
        Entry entry = _entries[index];
        return _members.WrittenSpan.Slice(entry.Offset, entry.Length);
    }

    /// <summary>Score <paramref name="index"/>.</summary>
    public double Score(int index) => _entries[index].Score;

    /// <summary>Changes score <paramref name="index"/>.</summary>
    public void SetScore(int index, double score)
    {
        Entry entry = _entries[index];
        _entries[index] = new Entry(entry.Offset, entry.Length, score);
    }

    /// <summary>Copies a pair in.</summary>
    public void Add(ReadOnlySpan<byte> member, double score)
    {
        _entries.Add(new Entry(_members.Length, member.Length, score));
        _members.Write(member);
    }

    /// <summary>Sorts by score, then member bytes (the order of a sorted set).</summary>
    public void SortByScore() => _entries.Sort(new ScoreOrder(this));

    /// <summary>Empties the list.</summary>
    public void Clear()
    {
        _entries.Clear();
        _members.Clear();
    }

    /// <summary>Gives the buffer back.</summary>
    public void Dispose() => _members.Dispose();

    private readonly record struct Entry(int Offset, int Length, double Score);

    private sealed class ScoreOrder(ZEntryList list) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            int cmp = x.Score.CompareTo(y.Score);
            if (cmp != 0 && x.Score != y.Score)
            {
                return cmp;
            }

            ReadOnlySpan<byte> all = list._members.WrittenSpan;
            return all.Slice(x.Offset, x.Length).SequenceCompareTo(all.Slice(y.Offset, y.Length));
        }
    }
}
