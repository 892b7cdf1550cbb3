using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Storage;

/// <summary><see cref="CommitGate"/>: a commit and a view are never in at the same time, and neither side starves.</summary>
public sealed class CommitGateTests
{
    [Fact]
    public async Task Commits_and_views_exclude_each_other()
    {
        using var gate = new CommitGate();
        const int Commits = 20_000;
        int committing = 0;
        int overlaps = 0;
        int inViews = 0;
        long viewsEntered = 0;
        using var done = new CancellationTokenSource();

        // The writer starts once both readers are inside their loop: on a loaded machine the thread pool may start
        // them late, and 20,000 commits with no reader running would test nothing.
        using var started = new CountdownEvent(2);
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            bool first = true;
            do
            {
                gate.EnterView();
                Interlocked.Increment(ref inViews);
                if (Volatile.Read(ref committing) != 0)
                {
                    Interlocked.Increment(ref overlaps);
                }

                Interlocked.Increment(ref viewsEntered);
                Interlocked.Decrement(ref inViews);
                gate.ExitView();
                if (first)
                {
                    first = false;
                    started.Signal();
                }
            }
            while (!done.IsCancellationRequested);
        }))];

        Task writer = Task.Run(() =>
        {
            try
            {
                Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "the readers did not start");
                for (int i = 0; i < Commits; i++)
                {
                    gate.EnterCommit();
                    Volatile.Write(ref committing, 1);
                    // The gate's own count may show a reader that is backing out; count only views that got in.
                    if (Volatile.Read(ref inViews) != 0)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    Volatile.Write(ref committing, 0);
                    gate.ExitCommit();
                }
            }
            finally
            {
                done.Cancel();
            }
        });

        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, overlaps);
        Assert.True(viewsEntered > 0);
        Assert.Equal(0, gate.Views);
    }
}
