using Kiwi.Core.Storage;

namespace Kiwi.Core.Apply;

/// <content>
/// Engine cursors lent to the writer's walks and kept between commands. Opening a RocksDB iterator takes a reference
/// on the current memtables and files and builds a child iterator for each; a batch of 800 pipelined pops opened 800
/// of them over the same, unchanged committed state. A cursor given back is kept (one per key space) while the
/// engine's commit count has not moved, so the next walk only seeks; the writer lets them go before each commit (a
/// kept cursor pins what it saw), and any commit, even a failed one, retires one that is still out.
/// </content>
internal sealed partial class ApplyContext
{
    private readonly IStorageCursor?[] _spareCursors = new IStorageCursor?[8];
    private readonly long[] _spareCommits = new long[8];
    private MemberCursor? _spareWalk;

    /// <summary>A walk over the members under <paramref name="prefix"/> as this batch sees them, on the kept walk object when there is one.</summary>
    private MemberCursor OpenWalk(KeySpace space, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> from)
    {
        long commits = _engine.Commits;
        IStorageCursor engine = LeaseCursor(space, commits);
        MemberCursor? walk = _spareWalk;
        if (walk is null)
        {
            return new MemberCursor(engine, Writes, space, prefix, from, this, commits);
        }

        _spareWalk = null;
        walk.Open(engine, Writes, space, prefix, from, this, commits);
        return walk;
    }

    /// <summary>Keeps a walk given back by its <see cref="MemberCursor.Dispose"/> for the next one; false when one is kept already (then it closes).</summary>
    internal bool KeepMemberCursor(MemberCursor walk)
    {
        if (_spareWalk is not null)
        {
            return false;
        }

        _spareWalk = walk;
        return true;
    }

    /// <summary>A cursor over <paramref name="space"/> as of commit count <paramref name="commits"/>: the spare one when it is that fresh.</summary>
    internal IStorageCursor LeaseCursor(KeySpace space, long commits)
    {
        IStorageCursor? spare = _spareCursors[(int)space];
        if (spare is not null)
        {
            _spareCursors[(int)space] = null;
            if (commits >= 0 && _spareCommits[(int)space] == commits)
            {
                return spare;
            }

            spare.Dispose();
        }

        return _engine.OpenCursor(space);
    }

    /// <summary>Takes back a cursor lent at commit count <paramref name="leasedAt"/>: kept when nothing was committed since and no spare is kept yet.</summary>
    internal void ReturnCursor(KeySpace space, IStorageCursor cursor, long leasedAt)
    {
        if (leasedAt < 0 || leasedAt != _engine.Commits || _spareCursors[(int)space] is not null)
        {
            cursor.Dispose();
            return;
        }

        _spareCursors[(int)space] = cursor;
        _spareCommits[(int)space] = leasedAt;
    }

    /// <summary>Closes the cursors kept (before a commit: a kept cursor pins the memtables and files it saw).</summary>
    internal void ReleaseCursors() => DisposeSpareCursors();

    private void DisposeSpareCursors()
    {
        for (int i = 0; i < _spareCursors.Length; i++)
        {
            _spareCursors[i]?.Dispose();
            _spareCursors[i] = null;
        }
    }
}
