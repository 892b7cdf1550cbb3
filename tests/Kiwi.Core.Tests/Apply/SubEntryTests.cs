using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// A Raft log entry carrying many client entries: each is applied once, in order, with its own reply; the
/// applied position (index, sub) survives a restart and replays below it are skipped, even when one log entry
/// was split across two storage writes.
/// </summary>
public sealed class SubEntryTests
{
    private static KiwiDbOptions Options(string path) => new() { Path = path, ActiveExpiry = false };

    private static ApplyRequest Incr(KiwiDb db, long index, int sub, int count, bool waiter = true)
    {
        ApplyRequest request = db.Begin(db.NowMs());
        request.Index = index;
        request.Term = 3;
        request.SubIndex = sub;
        request.SubCount = count;
        request.ReturnWhenApplied = !waiter;
        CommandFormat.AddCommand(request.Payload, OpCode.IncrBy, 0, 0, 1, 1);
        CommandFormat.AddArg(request.Payload, "n"u8);
        return request;
    }

    private static async Task<long> Apply(KiwiDb db, ApplyRequest request)
    {
        db.Submit(request);
        await request.WaitAsync();
        try
        {
            return request.Reply == ReplyKind.Integer ? request.Integer : -1;
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    [Fact]
    public async Task EverySubEntryOfAnIndex_AppliesOnce_WithItsOwnReply()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options("unused"));
        var pending = new ApplyRequest[4];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = Incr(db, index: 7, sub: i, count: 4);
            db.Submit(pending[i]);
        }

        for (int i = 0; i < pending.Length; i++)
        {
            await pending[i].WaitAsync();
            Assert.Equal(ReplyKind.Integer, pending[i].Reply);
            Assert.Equal(i + 1, pending[i].Integer);
            ApplyRequestPool.Return(pending[i]);
        }

        Assert.Equal("4", db.GetString("n"));
        Assert.Equal(7, db.AppliedIndex);
        Assert.Equal(7, db.FullyAppliedIndex);
    }

    [Fact]
    public async Task PartlyAppliedIndex_IsResumedAfterRestart_AndReplaysBelowItAreSkipped()
    {
        using var dir = new TempDirectory();
        using (KiwiDb db = KiwiDb.Open(Options(dir.Path)))
        {
            Assert.Equal(1, await Apply(db, Incr(db, index: 5, sub: 0, count: 1)));

            // Two of the three client entries of index 6 reach storage, then the node stops.
            Assert.Equal(2, await Apply(db, Incr(db, index: 6, sub: 0, count: 3)));
            Assert.Equal(3, await Apply(db, Incr(db, index: 6, sub: 1, count: 3)));
            Assert.Equal(6, db.AppliedIndex);
            Assert.Equal(5, db.FullyAppliedIndex);
        }

        using KiwiDb reopened = KiwiDb.Open(Options(dir.Path));
        Assert.Equal(5, reopened.FullyAppliedIndex);

        // The log replays index 5 and all of index 6: only the missing sub-entry applies.
        Assert.Equal(-1, await Apply(reopened, Incr(reopened, index: 5, sub: 0, count: 1)));
        Assert.Equal(-1, await Apply(reopened, Incr(reopened, index: 6, sub: 0, count: 3)));
        Assert.Equal(-1, await Apply(reopened, Incr(reopened, index: 6, sub: 1, count: 3)));
        Assert.Equal(4, await Apply(reopened, Incr(reopened, index: 6, sub: 2, count: 3)));
        Assert.Equal(6, reopened.FullyAppliedIndex);
        Assert.Equal("4", reopened.GetString("n"));
    }

    [Fact]
    public async Task EntriesNobodyWaitsFor_AreAppliedAndReturnedToThePool()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), Options("unused"));
        for (int i = 0; i < 100; i++)
        {
            db.Submit(Incr(db, index: 10 + i, sub: 0, count: 1, waiter: false));
        }

        // A waited-for entry after them: the writer applies in order, so they are all in when it completes.
        Assert.Equal(101, await Apply(db, Incr(db, index: 200, sub: 0, count: 1)));
        Assert.Equal("101", db.GetString("n"));
        Assert.Equal(200, db.FullyAppliedIndex);
    }
}
