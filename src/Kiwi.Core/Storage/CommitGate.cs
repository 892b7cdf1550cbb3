namespace Kiwi.Core.Storage;

/// <summary>
/// Keeps commits and read views apart where the store has no snapshots: while a view is open no commit is
/// written, and while a commit is written no view opens, so the reads of one view all fall between the same two
/// commits. RocksDB's in-place memtable updates rule out its snapshots (an overwrite keeps the old sequence
/// number, so a snapshot cannot exclude it); this is what a multi-record read does instead there.
/// <para>
/// Two counters, each written with a full fence before the other is read (Dekker): a reader adds itself to
/// <c>_views</c> and then looks at <c>_committing</c>; the writer raises <c>_committing</c> and then looks at
/// <c>_views</c>. At least one of them sees the other, so they are never both in. The reader is the one that
/// backs out (the writer is preferred: views are opened all the time, and one commit holds up every write
/// behind it); it waits on <c>_open</c> for the commit to end. The writer waits for the open views by spinning.
/// </para>
/// </summary>
internal sealed class CommitGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private int _views;
    private int _committing;

    /// <summary>Views open now.</summary>
    public int Views => Volatile.Read(ref _views);

    /// <summary>Enters a view; waits while a commit is being written.</summary>
    public void EnterView()
    {
        while (true)
        {
            if (Volatile.Read(ref _committing) == 0)
            {
                Interlocked.Increment(ref _views);
                if (Volatile.Read(ref _committing) == 0)
                {
                    return;
                }

                ExitView();
            }

            _open.Wait();
        }
    }

    /// <summary>Leaves a view.</summary>
    public void ExitView() => Interlocked.Decrement(ref _views);

    /// <summary>Called by the one writer before it writes: closes the gate to new views and waits for the open ones.</summary>
    public void EnterCommit()
    {
        // Reset before raising the flag: a reader that sees the flag must not find the event still set from the
        // last commit and spin through its loop until this one ends.
        _open.Reset();
        Interlocked.Exchange(ref _committing, 1);
        // Views last one command's reads, so this rarely spins long; when a reader was preempted, SpinWait's
        // sleeps give it the core back (two cores here) instead of yielding in a loop.
        SpinWait spin = default;
        while (Volatile.Read(ref _views) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Called by the writer once its write is in: lets views open again.</summary>
    public void ExitCommit()
    {
        Volatile.Write(ref _committing, 0);
        _open.Set();
    }

    public void Dispose() => _open.Dispose();
}
