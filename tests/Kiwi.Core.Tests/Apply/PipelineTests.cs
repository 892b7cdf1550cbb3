using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Apply;

public sealed class PipelineTests
{
    private static KiwiDbOptions Options(string path, Durability durability = Durability.EverySec, int ring = 64 * 1024)
        => new() { Path = path, Durability = durability, ActiveExpiry = false, RingCapacity = ring };

    [Fact]
    public async Task Restart_KeepsEveryAcknowledgedWriteAndTheAppliedIndex()
    {
        using var dir = new TempDirectory();
        const int Count = 3000;
        long applied;
        var db = KiwiDb.Open(Options(dir.Path, Durability.Always));
        try
        {
            var pending = new List<Task<bool>>(Count);
            for (int i = 0; i < Count; i++)
            {
                pending.Add(db.SetAsync("key:" + i, "value:" + i).AsTask());
            }

            Assert.All(await Task.WhenAll(pending), Assert.True);
            Assert.Equal(43, await db.IncrByAsync("counter", 43));
            applied = db.AppliedIndex;
            Assert.Equal(Count + 1, applied);
        }
        finally
        {
            // Dispose closes RocksDB without flushing memtables: only the WAL carries the writes.
            db.Dispose();
        }

        using KiwiDb reopened = KiwiDb.Open(Options(dir.Path, Durability.Always));
        Assert.Equal(applied, reopened.AppliedIndex);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal("value:" + i, reopened.GetString("key:" + i));
        }

        Assert.Equal("43", reopened.GetString("counter"));
        Assert.True(await reopened.SetAsync("after", "restart"));
        Assert.Equal(applied + 1, reopened.AppliedIndex);
    }

    [Fact]
    public async Task FlushInTheMiddleOfABurst_EndsItsBatch_AndLaterWritesSurviveRestart()
    {
        using var dir = new TempDirectory();
        using (KiwiDb db = KiwiDb.Open(Options(dir.Path)))
        {
            // More keys than a flush deletes one by one: the first round's flush is a range delete, the others
            // (50 keys) delete key by key (KeyWrites.FlushByKeysLimit).
            var bulk = new List<Task<bool>>();
            for (int i = 0; i <= Kiwi.Core.Commands.KeyWrites.FlushByKeysLimit; i++)
            {
                bulk.Add(db.SetAsync("bulk" + i, "b").AsTask());
            }

            Assert.All(await Task.WhenAll(bulk), Assert.True);
            for (int round = 0; round < 3; round++)
            {
                // In flight together, so usually one drain: writes before, the flush, the same keys again
                // with values no longer than before (RocksDB updates those in place).
                var before = new List<Task<bool>>();
                for (int i = 0; i < 50; i++)
                {
                    before.Add(db.SetAsync("k" + i, "before:" + i).AsTask());
                }

                Task flush = (round == 1 ? db.FlushAllAsync() : db.FlushDbAsync()).AsTask();
                var after = new List<Task<bool>>();
                for (int i = 0; i < 50; i += 2)
                {
                    after.Add(db.SetAsync("k" + i, "after:" + i).AsTask());
                }

                Assert.All(await Task.WhenAll(before), Assert.True);
                await flush;
                Assert.All(await Task.WhenAll(after), Assert.True);
                for (int i = 0; i < 50; i++)
                {
                    Assert.Equal(i % 2 == 0 ? "after:" + i : null, db.GetString("k" + i));
                }
            }
        }

        using KiwiDb reopened = KiwiDb.Open(Options(dir.Path));
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i % 2 == 0 ? "after:" + i : null, reopened.GetString("k" + i));
        }

        Assert.Null(reopened.GetString("bulk0"));
    }

    [Fact]
    public async Task Batching_UsesFewerStorageWritesThanCommands()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options("unused"));
        var pending = new ValueTask<long>[2000];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = db.IncrAsync("n");
        }

        var seen = new HashSet<long>();
        foreach (ValueTask<long> p in pending)
        {
            Assert.True(seen.Add(await p));
        }

        Assert.Equal(2000, seen.Max());
        Assert.Equal(2000, db.AppliedIndex);
        Assert.Equal(2000, db.EntriesApplied);
        Assert.True(db.BatchesWritten < 2000, $"{db.BatchesWritten} batches for 2000 commands");
        Assert.Equal(db.BatchesWritten, engine.Commits);
    }

    [Fact]
    public async Task FailedCommit_FailsEveryWaiterOfTheBatch_AppliesNothing_AndTheEngineKeepsServing()
    {
        using var dir = new TempDirectory();
        using var faulty = new FaultyEngine(RocksEngine.Open(dir.Path));
        using KiwiDb db = KiwiDb.Open(faulty, Options(dir.Path));
        Assert.True(await db.SetAsync("before", "1"));
        long appliedBefore = db.AppliedIndex;

        faulty.FailNext(1);
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => db.SetAsync("lost", "x").AsTask());
        Assert.Equal(KiwiError.StorageFailure, error.Error);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Null(db.GetString("lost"));
        Assert.Equal(appliedBefore, db.AppliedIndex);
        Assert.Equal(1, db.FailedBatches);

        // A burst that fails as a batch fails every command in it and applies none of them.
        faulty.FailNext(1000);
        var burst = new List<Task<long>>();
        for (int i = 0; i < 50; i++)
        {
            burst.Add(db.IncrAsync("burst").AsTask());
        }

        foreach (Task<long> t in burst)
        {
            await Assert.ThrowsAsync<KiwiException>(() => t);
        }

        Assert.Null(db.GetString("burst"));
        faulty.FailNext(0);

        Assert.Equal(1, await db.IncrAsync("burst"));
        Assert.Equal("1", db.GetString("before"));
        Assert.Equal(appliedBefore + 1, db.AppliedIndex);
    }

    [Fact]
    public async Task FullRing_AppliesBackpressureAndLosesNothing()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options("unused", ring: 4));
        const int Producers = 4;
        const int PerProducer = 500;
        var tasks = new Task[Producers];
        for (int p = 0; p < Producers; p++)
        {
            int id = p;
            tasks[p] = Task.Run(async () =>
            {
                var mine = new List<Task<long>>();
                for (int i = 0; i < PerProducer; i++)
                {
                    mine.Add(db.IncrAsync("p" + id).AsTask());
                }

                await Task.WhenAll(mine);
            });
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        for (int p = 0; p < Producers; p++)
        {
            Assert.Equal(PerProducer.ToString(System.Globalization.CultureInfo.InvariantCulture), db.GetString("p" + p));
        }

        Assert.Equal(Producers * PerProducer, db.AppliedIndex);
    }

    [Fact]
    public async Task BlankAndMembershipEntries_AdvanceTheAppliedIndexWithoutData()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options("unused"));
        ApplyRequest blank = db.Begin(0);
        blank.Kind = EntryKind.Blank;
        blank.Index = 5;
        blank.Term = 2;
        ApplyRequest membership = db.Begin(0);
        membership.Kind = EntryKind.Membership;
        membership.Index = 6;
        membership.Term = 2;
        db.Submit(blank);
        db.Submit(membership);
        await blank.WaitAsync();
        await membership.WaitAsync();
        Assert.Equal(ReplyKind.Ok, blank.Reply);
        Assert.Equal(ReplyKind.Ok, membership.Reply);
        ApplyRequestPool.Return(blank);
        ApplyRequestPool.Return(membership);

        Assert.Equal(6, db.AppliedIndex);
        Assert.Equal(new AppliedState.Position(6, 2, 1, 1), AppliedState.Read(engine));
        using var probe = new ByteBuffer();
        Assert.False(engine.TryGet(KeySpace.Meta, KeyCodec.Meta(probe, 0, "x"u8), probe));
    }

    [Fact]
    public async Task ReplayedEntries_AtOrBelowTheAppliedIndex_AreNotAppliedAgain()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options("unused"));
        Assert.Equal(1, await Incr(db, index: 1));
        Assert.Equal(2, await Incr(db, index: 2));

        // The same log entries delivered again (a restart replays the log after the last snapshot).
        ApplyRequest replay = IncrRequest(db, index: 2);
        db.Submit(replay);
        await replay.WaitAsync();
        Assert.Equal(ReplyKind.Ok, replay.Reply);
        ApplyRequestPool.Return(replay);

        Assert.Equal("2", db.GetString("n"));
        Assert.Equal(3, await Incr(db, index: 3));
        Assert.Equal(3, db.AppliedIndex);
    }

    [Fact]
    public async Task MalformedEntry_GetsAnErrorAndDoesNotStopTheWriter()
    {
        var engine = new MemoryEngine();
        using KiwiDb db = KiwiDb.Open(engine, Options("unused"));
        ApplyRequest bad = ApplyRequestPool.Rent();
        bad.Payload.Write(Encoding.ASCII.GetBytes("not an entry"));
        db.Submit(bad);
        await bad.WaitAsync();
        Assert.Equal(ReplyKind.Error, bad.Reply);
        Assert.Equal(KiwiError.UnknownCommand, bad.ToException().Error);
        ApplyRequestPool.Return(bad);

        ApplyRequest unknown = db.Begin(0);
        CommandFormat.AddCommand(unknown.Payload, (OpCode)250, 0, 0, 0);
        db.Submit(unknown);
        await unknown.WaitAsync();
        Assert.Equal(KiwiError.UnknownCommand, unknown.ToException().Error);
        ApplyRequestPool.Return(unknown);

        Assert.True(await db.SetAsync("still", "serving"));
        Assert.Equal("serving", db.GetString("still"));
    }

    private static ApplyRequest IncrRequest(KiwiDb db, long index)
    {
        ApplyRequest request = db.Begin(db.NowMs());
        request.Index = index;
        request.Term = 1;
        CommandFormat.AddCommand(request.Payload, OpCode.IncrBy, 0, 0, 1, 1);
        CommandFormat.AddArg(request.Payload, "n"u8);
        return request;
    }

    private static async Task<long> Incr(KiwiDb db, long index)
    {
        ApplyRequest request = IncrRequest(db, index);
        db.Submit(request);
        await request.WaitAsync();
        long value = request.Integer;
        ApplyRequestPool.Return(request);
        return value;
    }
}
