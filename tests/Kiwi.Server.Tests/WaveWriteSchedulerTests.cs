using Kiwi.Core;
using Kiwi.Core.Storage;

namespace Kiwi.Server.Tests;

/// <summary>
/// The scheduler that applies I/O-thread writes once per event-loop wave: whatever thread its loopback signal
/// completes on, every write published before a <see cref="WaveWriteScheduler.Schedule"/> gets applied.
/// </summary>
public sealed class WaveWriteSchedulerTests
{
    private static KiwiDb Open() => KiwiDb.Open(new MemoryEngine(), new KiwiDbOptions { Path = "unused", ActiveExpiry = false });

    // INCR key as a RESP session submits it: published, not applied, completed on the writer thread.
    private static ValueTask<long> PublishIncr(KiwiDb db, string key)
    {
        var target = new Kiwi.Core.Commands.EntryTarget(db, 0, Kiwi.Core.Resp.RespVersion.Resp3, session: true);
        return db.SubmitEntry(Kiwi.Core.Commands.StringEntries.IncrBy(target, System.Text.Encoding.UTF8.GetBytes(key), 1)).AsIntegerTask();
    }

    [Fact]
    public async Task Scheduled_writes_are_applied_after_the_signal()
    {
        using KiwiDb db = Open();
        using var scheduler = new WaveWriteScheduler(db);
        scheduler.Start();
        for (int round = 1; round <= 20; round++)
        {
            var pending = new Task<long>[5];
            for (int i = 0; i < pending.Length; i++)
            {
                pending[i] = PublishIncr(db, "n").AsTask();
                scheduler.Schedule();
            }

            long[] values = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));

            // The replies complete on the thread that applied them: leave it (it cannot dispose the database).
            await Task.Yield();
            Assert.Equal((round - 1) * 5 + 5, values[^1]);
        }

        Assert.Equal(100, db.AppliedIndex);
    }

    [Fact]
    public async Task Many_threads_scheduling_lose_no_write()
    {
        using KiwiDb db = Open();
        using var scheduler = new WaveWriteScheduler(db);
        scheduler.Start();
        var workers = new Task<long>[4];
        for (int t = 0; t < workers.Length; t++)
        {
            string key = "k" + t;
            workers[t] = Task.Factory.StartNew(
                () =>
                {
                    long last = 0;
                    for (int i = 0; i < 500; i++)
                    {
                        ValueTask<long> pending = PublishIncr(db, key);
                        scheduler.Schedule();
                        long value = pending.AsTask().GetAwaiter().GetResult();
                        Assert.Equal(last + 1, value);
                        last = value;
                    }

                    return last;
                },
                TaskCreationOptions.LongRunning);
        }

        long[] finals = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        await Task.Yield();
        Assert.All(finals, f => Assert.Equal(500, f));
        Assert.Equal(2000, db.AppliedIndex);
    }

    [Fact]
    public async Task After_dispose_schedule_applies_at_once()
    {
        using KiwiDb db = Open();
        var scheduler = new WaveWriteScheduler(db);
        scheduler.Start();
        scheduler.Dispose();
        ValueTask<long> pending = PublishIncr(db, "n");
        scheduler.Schedule();
        Assert.Equal(1, await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        await Task.Yield();
    }
}
