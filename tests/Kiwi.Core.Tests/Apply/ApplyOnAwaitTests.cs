using System.Globalization;
using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// Embedded writes applied by the thread that awaits them while the writer is idle (apply-on-await): one writer at a
/// time with the writer thread and sessions, a burst issued before the first await as one batch, nothing lost,
/// nothing twice, each caller's writes in order, and the writer usable after failed commits and cancellations.
/// </summary>
public sealed class ApplyOnAwaitTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static KiwiDbOptions Options(Durability durability = Durability.No, bool inline = true, int ring = 64 * 1024) => new()
    {
        Path = "unused",
        ActiveExpiry = false,
        CollectionCleanup = false,
        Durability = durability,
        InlineApplyWhenIdle = inline,
        RingCapacity = ring,
    };

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    // INCR key as a RESP session submits it: published, not applied, completed on the thread that applies it.
    private static ValueTask<long> PublishIncr(KiwiDb db, string key)
    {
        var target = new Kiwi.Core.Commands.EntryTarget(db, 0, Kiwi.Core.Resp.RespVersion.Resp3, session: true);
        return db.SubmitEntry(Kiwi.Core.Commands.StringEntries.IncrBy(target, B(key), 1)).AsIntegerTask();
    }

    // Only a parked writer thread leaves writes to their callers; after a wake-up it spins a while before parking.
    private static async Task UntilWriterParked(KiwiDb db)
    {
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (!db.WriterParked)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer thread never parked");
            await Task.Delay(1);
        }
    }

    // A session-style reply completes on the applying thread: move off it before the test goes on.
    private static async Task<long> Reply(ValueTask<long> pending)
    {
        long value = await pending;
        await Task.Yield();
        return value;
    }

    [Fact]
    public async Task LoneAwaitedWrite_IdleWriter_IsCommittedByTheAwaitingThreadBeforeTheAwait()
    {
        var engine = new GatedEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(engine, Options());
        await UntilWriterParked(db);
        int here = 0;
        for (int i = 1; i <= 200; i++)
        {
            int me = Environment.CurrentManagedThreadId;
            int commits = engine.Commits.Count;
            ValueTask<long> write = db.IncrAsync("n");

            // Asking whether it is done is how an await starts: the idle writer's role is taken here.
            bool done = write.IsCompleted;
            Assert.Equal(i, await write);
            if (done && engine.Commits.Skip(commits).Single().ThreadId == me)
            {
                here++;
            }
        }

        // The writer thread only wakes to look at the ring now and then: nearly every write is applied here.
        Assert.True(here >= 190, $"{here} of 200 lone writes applied by the awaiting thread");
        Assert.True(db.BatchesAppliedInline >= 190);
        Assert.Equal(200, db.AppliedIndex);
    }

    [Fact]
    public async Task Burst_IssuedBeforeTheFirstAwait_IsOneBatch()
    {
        var engine = new GatedEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(engine, Options());
        const int Rounds = 10;
        const int Burst = 64;
        await UntilWriterParked(db);
        long batches = db.BatchesWritten;
        var pending = new ValueTask<long>[Burst];
        for (int round = 0; round < Rounds; round++)
        {
            for (int i = 0; i < Burst; i++)
            {
                pending[i] = db.IncrAsync("n");
            }

            for (int i = 0; i < Burst; i++)
            {
                Assert.Equal((round * Burst) + i + 1, await pending[i]);
            }
        }

        // The writer's periodic look at the ring may split a burst in two, never into one batch per write.
        long written = db.BatchesWritten - batches;
        Assert.True(written <= Rounds + 2, $"{written} batches for {Rounds} bursts of {Burst}");
        Assert.Equal(Rounds * Burst, db.EntriesApplied);
    }

    [Fact]
    public async Task ManyThreads_AwaitingConcurrently_LoseNoWriteAndKeepEachCallersOrder()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options(ring: 64));
        const int Threads = 6;
        const int Writes = 400;
        var workers = new Task[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int id = t;
            workers[t] = Task.Factory.StartNew(
                () =>
                {
                    var random = new Random(id);
                    byte[] own = B("k" + id.ToString(CultureInfo.InvariantCulture));
                    var incrs = new ValueTask<long>[8];
                    var pushes = new ValueTask<long>[8];
                    int done = 0;
                    while (done < Writes)
                    {
                        int n = Math.Min(random.Next(1, incrs.Length + 1), Writes - done);
                        for (int i = 0; i < n; i++)
                        {
                            // Thread 0 writes as a session does (publish, then apply after the "read"), the others embedded.
                            incrs[i] = id == 0 ? PublishIncr(db, "k0") : db.IncrAsync(own);
                            pushes[i] = db.Lists.PushRightAsync(B("log"), B(id.ToString(CultureInfo.InvariantCulture) + ":" + (done + i + 1).ToString(CultureInfo.InvariantCulture)));
                        }

                        if (id == 0)
                        {
                            db.ApplyPublished(inline: true);
                        }

                        for (int i = 0; i < n; i++)
                        {
                            Assert.Equal(done + i + 1, incrs[i].AsTask().GetAwaiter().GetResult());
                            pushes[i].AsTask().GetAwaiter().GetResult();
                        }

                        done += n;
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        var last = new int[Threads];
        int logged = 0;
        db.Lists.ForEach(B("log"), 0, -1, element =>
        {
            string[] parts = Encoding.UTF8.GetString(element).Split(':');
            int thread = int.Parse(parts[0], CultureInfo.InvariantCulture);
            int seq = int.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(last[thread] + 1, seq);
            last[thread] = seq;
            logged++;
        });

        Assert.Equal(Threads * Writes, logged);
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(Writes, last[t]);
            Assert.Equal(Writes.ToString(CultureInfo.InvariantCulture), db.GetString("k" + t.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.Equal(2 * Threads * Writes, db.AppliedIndex);
        Assert.Equal(2 * Threads * Writes, db.EntriesApplied);
        Assert.True(db.BatchesAppliedInline > 0, "no batch was applied by an awaiting thread");
    }

    [Fact]
    public async Task AwaitedWrite_WhileTheWriterThreadHoldsQueuedWork_WaitsItsTurnAndNeverRunsItsContinuationThere()
    {
        var engine = new GatedEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(engine, Options());
        engine.Holding = true;
        var queued = new ValueTask<long>[10];
        queued[0] = PublishIncr(db, "n");
        db.ApplyPublished(inline: false);
        Assert.True(engine.WaitEntered(), "the writer thread did not start its commit");
        for (int i = 1; i < queued.Length; i++)
        {
            queued[i] = PublishIncr(db, "n");
        }

        ValueTask<long> mine = db.IncrAsync("n");

        // The writer thread holds the role: the awaiting thread must not apply beside it.
        Assert.False(mine.IsCompleted);
        bool? onWriter = null;
        Task<long> awaited = mine.AsTask();
        Task recorded = awaited.ContinueWith(_ => onWriter = db.IsApplyingOnThisThread, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.Single(engine.Commits);
        engine.Holding = false;
        engine.ReleaseOne();

        Assert.Equal(queued.Length + 1, await awaited.WaitAsync(s_deadline));
        for (int i = 0; i < queued.Length; i++)
        {
            Assert.Equal(i + 1, await Reply(queued[i]).WaitAsync(s_deadline));
        }

        await recorded.WaitAsync(s_deadline);
        Assert.False(onWriter, "an embedded caller's continuation ran on the thread applying the batch");
        Assert.All(engine.Commits, commit => Assert.Equal("kiwi-apply", commit.ThreadName));
        Assert.Equal(queued.Length + 1, db.AppliedIndex);
    }

    [Fact]
    public async Task BlockedPop_IsServedByAWriteAppliedOnTheAwaitingThread()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options());
        Task<KiwiListPop> pop = db.Lists.BlockingPopAsync([B("q")], right: false, Timeout.InfiniteTimeSpan);
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (db.Blocking.Count != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pop did not block");
            await Task.Yield();
        }

        await UntilWriterParked(db);
        long inline = db.BatchesAppliedInline;
        ValueTask<long> push = db.Lists.PushRightAsync(B("q"), B("x"));
        Assert.True(push.IsCompleted, "the push was not applied by the awaiting thread");
        Assert.Equal(1, await push);
        Assert.True(db.BatchesAppliedInline > inline);

        using KiwiListPop got = await pop.WaitAsync(s_deadline);
        Assert.Equal(0, got.KeyIndex);
        Assert.Equal("x", got.Value.ToString());
        Assert.Equal(0, db.Lists.Length(B("q")));
        Assert.Equal(0, db.Blocking.Count);
    }

    [Fact]
    public async Task DurabilityAlways_TheAwaitingCallerSyncsItsBatchAndLeavesLaterCallersToTheWriterThread()
    {
        var engine = new GatedEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(engine, Options(Durability.Always));
        await UntilWriterParked(db);
        engine.Holding = true;
        int caller = 0;
        Task<long> first = Task.Factory.StartNew(
            () =>
            {
                caller = Environment.CurrentManagedThreadId;
                return db.IncrAsync("a").AsTask().GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(engine.WaitEntered(), "the first caller did not start its commit");

        // Published while the first caller is in its fsync: its caller waits for the writer role.
        Task<long> second = db.IncrAsync("b").AsTask();
        Assert.False(second.IsCompleted);

        // The first caller's write is done after its own sync; the second's batch is not its to wait for.
        engine.ReleaseOne();
        Assert.Equal(1, await first.WaitAsync(s_deadline));
        Assert.True(engine.WaitEntered(), "nobody committed the second write");
        Assert.False(second.IsCompleted);
        engine.Holding = false;
        engine.ReleaseOne();
        Assert.Equal(1, await second.WaitAsync(s_deadline));

        (int ThreadId, string? ThreadName, bool Sync)[] commits = [.. engine.Commits];
        Assert.Equal(2, commits.Length);
        Assert.Equal(caller, commits[0].ThreadId);
        Assert.Equal("kiwi-apply", commits[1].ThreadName);
        Assert.All(commits, commit => Assert.True(commit.Sync));
    }

    [Fact]
    public async Task FailedCommit_OnTheAwaitingThread_FailsThatWriteAndTheWriterKeepsServing()
    {
        var faulty = new FaultyEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(faulty, Options());
        Assert.Equal(1, await db.IncrAsync("n"));
        await UntilWriterParked(db);
        faulty.FailNext(1);
        long inline = db.BatchesAppliedInline;
        ValueTask<long> failing = db.IncrAsync("n");
        Assert.True(failing.IsCompleted, "the failed batch did not complete its write on the awaiting thread");
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(async () => await failing);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, db.FailedBatches);

        // The role was given back: the next write is applied here again, and the writer thread still serves.
        await UntilWriterParked(db);
        ValueTask<long> next = db.IncrAsync("n");
        Assert.True(next.IsCompleted);
        Assert.Equal(2, await next);
        Assert.True(db.BatchesAppliedInline > inline);
        ValueTask<long> viaWriter = PublishIncr(db, "n");
        db.ApplyPublished(inline: false);
        Assert.Equal(3, await Reply(viaWriter).WaitAsync(s_deadline));
        Assert.Equal("3", db.GetString("n"));
        Assert.Equal(db.EntriesApplied, db.AppliedIndex);
    }

    [Fact]
    public async Task CancelledWaits_LeaveTheWriterUsableAndTheWritesApplied()
    {
        var engine = new GatedEngine(new MemoryEngine());
        using KiwiDb db = KiwiDb.Open(engine, Options());

        // A token cancelled before the call: nothing is published.
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            Assert.Throws<OperationCanceledException>(() => db.Lists.PushRightAsync(B("q"), B("never"), cancelled.Token));
            Assert.Equal(0, db.PendingWrites);
        }

        // A wait given up while the write is queued behind the writer thread's held commit: the write still lands.
        engine.Holding = true;
        ValueTask<long> held = PublishIncr(db, "n");
        db.ApplyPublished(inline: false);
        Assert.True(engine.WaitEntered());
        using (var giveUp = new CancellationTokenSource())
        {
            Task<long> waiting = db.IncrAsync("n").AsTask().WaitAsync(giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        engine.Holding = false;
        engine.ReleaseOne();
        Assert.Equal(1, await Reply(held).WaitAsync(s_deadline));
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (db.GetString("n") != "2")
        {
            Assert.True(DateTime.UtcNow < deadline, "the write whose wait was cancelled was not applied");
            await Task.Yield();
        }

        // A blocked pop cancelled: a later write applied inline is not handed to it.
        using (var stop = new CancellationTokenSource())
        {
            Task<KiwiListPop> pop = db.Lists.BlockingPopAsync([B("q")], right: false, Timeout.InfiniteTimeSpan, stop.Token);
            while (db.Blocking.Count != 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the pop did not block");
                await Task.Yield();
            }

            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pop.WaitAsync(s_deadline));
        }

        await UntilWriterParked(db);
        ValueTask<long> push = db.Lists.PushRightAsync(B("q"), B("x"));
        Assert.True(push.IsCompleted, "after the cancellations the write was not applied by the awaiting thread");
        Assert.Equal(1, await push);
        Assert.Equal(1, db.Lists.Length(B("q")));
        Assert.Equal(3, await db.IncrAsync("n"));
    }

    [Fact]
    public async Task WriteNobodyAwaits_IsAppliedByTheWriterThreadAndByDispose()
    {
        var db = KiwiDb.Open(new MemoryEngine(), Options());
        ValueTask<long> ignored = db.IncrAsync("n");
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (db.GetString("n") != "1")
        {
            Assert.True(DateTime.UtcNow < deadline, "a write nobody awaited was never applied");
            await Task.Delay(10);
        }

        Assert.Equal(1, await ignored);

        ValueTask<long> atClose = db.IncrAsync("n");
        db.Dispose();
        Assert.True(atClose.IsCompleted, "Dispose did not apply a published write nobody awaited");
        Assert.Equal(2, await atClose);
    }
}
