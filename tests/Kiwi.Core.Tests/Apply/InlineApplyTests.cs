using System.Globalization;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// Session-style publishing (requests begun for a session, see <c>KiwiDb.Begin</c>): writes are published without
/// being applied, then <see cref="KiwiDb.ApplyPublished"/> applies them on the calling thread when the writer is
/// idle, or hands them to the writer thread. One writer at a time either way: nothing lost, nothing twice.
/// </summary>
public sealed class InlineApplyTests
{
    private static KiwiDbOptions Options(int ring = 64 * 1024, bool inline = true)
        => new() { Path = "unused", ActiveExpiry = false, RingCapacity = ring, InlineApplyWhenIdle = inline };

    // INCR key as a RESP session submits it: published, not applied, completed on the writer thread.
    private static ValueTask<long> PublishIncr(KiwiDb db, string key)
    {
        var target = new Kiwi.Core.Commands.EntryTarget(db, 0, Kiwi.Core.Resp.RespVersion.Resp3, session: true);
        return db.SubmitEntry(Kiwi.Core.Commands.StringEntries.IncrBy(target, System.Text.Encoding.UTF8.GetBytes(key), 1)).AsIntegerTask();
    }

    // Session-style writes complete on the thread that applies them, and so would the rest of the test: move
    // off it (a writer thread cannot dispose the database it is applying for).
    private static async Task<long> Reply(ValueTask<long> pending)
    {
        long value = await pending;
        await Task.Yield();
        return value;
    }

    [Fact]
    public async Task IdleWriter_ApplyPublished_AppliesOnTheCallingThread()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options());
        bool sawInline = false;
        for (int attempt = 1; attempt <= 200 && !sawInline; attempt++)
        {
            long before = db.BatchesAppliedInline;
            ValueTask<long> pending = PublishIncr(db, "n");
            db.ApplyPublished(inline: true);
            if (db.BatchesAppliedInline > before)
            {
                // Applied here: the reply is ready when ApplyPublished returns.
                Assert.True(pending.IsCompleted);
                sawInline = true;
            }

            Assert.Equal(attempt, await Reply(pending));
        }

        Assert.True(sawInline, "no write was applied inline in 200 tries with an idle writer");
        Assert.Equal(db.EntriesApplied, db.AppliedIndex);
    }

    [Fact]
    public async Task InlineApplyOff_ApplyPublished_UsesTheWriterThread()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options(inline: false));
        for (int i = 1; i <= 50; i++)
        {
            ValueTask<long> pending = PublishIncr(db, "n");
            db.ApplyPublished(inline: true);
            Assert.Equal(i, await Reply(pending));
        }

        Assert.Equal(0, db.BatchesAppliedInline);
        Assert.Equal(50, db.AppliedIndex);
    }

    [Fact]
    public async Task PipelinedPublishes_ApplyAsOneBatch()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options());
        var pending = new ValueTask<long>[64];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = PublishIncr(db, "n");
        }

        db.ApplyPublished(inline: true);
        for (int i = 0; i < pending.Length; i++)
        {
            Assert.Equal(i + 1, await Reply(pending[i]));
        }

        // The writer thread may have taken part of them meanwhile (it re-checks every 100 ms), but never one
        // storage write per command.
        Assert.True(db.BatchesWritten < pending.Length, $"{db.BatchesWritten} batches for {pending.Length} commands");
        Assert.Equal(db.BatchesWritten, engine.Commits);
    }

    [Fact]
    public async Task FullRing_WhilePublishingWithoutApplying_MakesRoomAndLosesNothing()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options(ring: 4));
        var pending = new ValueTask<long>[100];
        for (int i = 0; i < pending.Length; i++)
        {
            // More than the ring holds, with no ApplyPublished in between: a full ring applies what is in it.
            pending[i] = PublishIncr(db, "n");
        }

        db.ApplyPublished(inline: true);
        for (int i = 0; i < pending.Length; i++)
        {
            Assert.Equal(i + 1, await Reply(pending[i]).WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task ManyThreads_InlineWriterAndEmbedded_EveryWriteOnceAndInOrder()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options(ring: 64));
        const int Threads = 4;
        const int Rounds = 300;
        var counts = new int[Threads + 1];
        var workers = new Task[Threads + 1];
        for (int t = 0; t < Threads; t++)
        {
            int id = t;
            workers[t] = Task.Factory.StartNew(
                () =>
                {
                    var random = new Random(id);
                    string key = "k" + id.ToString(CultureInfo.InvariantCulture);
                    var pending = new ValueTask<long>[8];
                    long last = 0;
                    for (int round = 0; round < Rounds; round++)
                    {
                        int n = random.Next(1, pending.Length + 1);
                        for (int i = 0; i < n; i++)
                        {
                            pending[i] = PublishIncr(db, key);
                        }

                        db.ApplyPublished(inline: round % 3 != 0);
                        for (int i = 0; i < n; i++)
                        {
                            long value = pending[i].AsTask().GetAwaiter().GetResult();
                            Assert.Equal(last + 1, value);
                            last = value;
                        }

                        counts[id] += n;
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        workers[Threads] = Task.Run(async () =>
        {
            for (int i = 1; i <= 500; i++)
            {
                Assert.Equal(i, await db.IncrAsync("embedded"));
                counts[Threads]++;
            }
        });

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        long total = 0;
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(counts[t].ToString(CultureInfo.InvariantCulture), db.GetString("k" + t.ToString(CultureInfo.InvariantCulture)));
            total += counts[t];
        }

        Assert.Equal("500", db.GetString("embedded"));
        total += 500;
        Assert.Equal(total, db.AppliedIndex);
        Assert.Equal(total, db.EntriesApplied);
    }

    [Fact]
    public async Task Dispose_FromAContinuationOnTheApplyingThread_ThrowsAndTheDatabaseKeepsServing()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options(inline: false));
        Task<Exception?> attempt = PublishIncr(db, "n").AsTask().ContinueWith(
            _ =>
            {
                try
                {
                    db.Dispose();
                    return null;
                }
                catch (InvalidOperationException ex)
                {
                    return (Exception?)ex;
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        db.ApplyPublished(inline: false);
        Exception? error = await attempt.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(2, await db.IncrAsync("n"));
    }

    [Fact]
    public async Task Dispose_WhileThreadsApplyInline_CompletesEveryPublishedWrite()
    {
        var db = KiwiDb.Open(new MemoryEngine(), Options(ring: 16));
        using var stop = new CancellationTokenSource();
        var published = new System.Collections.Concurrent.ConcurrentBag<Task<long>>();
        var workers = new Task[3];
        for (int t = 0; t < workers.Length; t++)
        {
            workers[t] = Task.Factory.StartNew(
                () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            published.Add(PublishIncr(db, "n").AsTask());
                            db.ApplyPublished(inline: true);
                        }
                        catch (ObjectDisposedException)
                        {
                            return;
                        }
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (published.Count < 2000 && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        db.Dispose();
        await stop.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        var values = new List<long>();
        foreach (Task<long> write in published)
        {
            // Each accepted write was applied before the writer stopped: Dispose drains the ring.
            values.Add(await write.WaitAsync(TimeSpan.FromSeconds(60)));
        }

        // Every accepted INCR applied exactly once: the replies are 1..N with no gap and no repeat.
        values.Sort();
        for (int i = 0; i < values.Count; i++)
        {
            Assert.Equal(i + 1, values[i]);
        }

        Assert.NotEmpty(values);
    }
}
