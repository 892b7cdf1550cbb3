using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// Entries carrying a write id (cluster mode) through the real writer and RocksDB: the same id in two log entries
/// changes the state once, on a running node, after a restart, and after a snapshot holding the first one is installed.
/// </summary>
public sealed class WriteIdApplyTests
{
    private const ulong Origin = 0xABCDEF;

    private static KiwiDbOptions Options(string path) => new() { Path = path, ActiveExpiry = false };

    private static ApplyRequest Incr(KiwiDb db, long index, ulong seq)
    {
        ApplyRequest request = db.Begin(db.NowMs());
        request.Index = index;
        request.Term = 2;
        request.WriteOrigin = Origin;
        request.WriteSeq = seq;
        CommandFormat.AddCommand(request.Payload, OpCode.IncrBy, 0, 0, 1, 1);
        CommandFormat.AddArg(request.Payload, "n"u8);
        return request;
    }

    // The reply as text: ":3\r\n" or "-DUPLICATE ...".
    private static async Task<string> Apply(KiwiDb db, ApplyRequest request)
    {
        db.Submit(request);
        await request.WaitAsync();
        try
        {
            return System.Text.Encoding.ASCII.GetString(request.ReplyBuffer.WrittenSpan);
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    [Fact]
    public async Task TheSameId_InALaterEntry_IsNotAppliedAgain()
    {
        using var dir = new TempDirectory();
        using KiwiDb db = KiwiDb.Open(Options(dir.Path));
        Assert.Equal(":1\r\n", await Apply(db, Incr(db, index: 1, seq: 1)));
        Assert.Equal(":2\r\n", await Apply(db, Incr(db, index: 2, seq: 2)));
        Assert.StartsWith("-DUPLICATE ", await Apply(db, Incr(db, index: 3, seq: 1)), StringComparison.Ordinal);
        Assert.StartsWith("-DUPLICATE ", await Apply(db, Incr(db, index: 4, seq: 2)), StringComparison.Ordinal);
        Assert.Equal(":3\r\n", await Apply(db, Incr(db, index: 5, seq: 3)));
        Assert.Equal("3", db.GetString("n"));
        Assert.Equal(2, db.DuplicatesSkipped);

        // The duplicates still advance the applied index (they are log entries like any other).
        Assert.Equal(5, db.FullyAppliedIndex);
    }

    [Fact]
    public async Task AfterARestart_TheAppliedIdsAreStillKnown()
    {
        using var dir = new TempDirectory();
        using (KiwiDb db = KiwiDb.Open(Options(dir.Path)))
        {
            Assert.Equal(":1\r\n", await Apply(db, Incr(db, index: 1, seq: 10)));
            Assert.Equal(":2\r\n", await Apply(db, Incr(db, index: 2, seq: 12)));
        }

        using KiwiDb reopened = KiwiDb.Open(Options(dir.Path));
        Assert.StartsWith("-DUPLICATE ", await Apply(reopened, Incr(reopened, index: 3, seq: 10)), StringComparison.Ordinal);
        Assert.StartsWith("-DUPLICATE ", await Apply(reopened, Incr(reopened, index: 4, seq: 12)), StringComparison.Ordinal);

        // 11 was never applied: it still can be, once.
        Assert.Equal(":3\r\n", await Apply(reopened, Incr(reopened, index: 5, seq: 11)));
        Assert.StartsWith("-DUPLICATE ", await Apply(reopened, Incr(reopened, index: 6, seq: 11)), StringComparison.Ordinal);
        Assert.Equal("3", reopened.GetString("n"));
    }

    [Fact]
    public async Task AnInstalledSnapshot_CarriesTheAppliedIds()
    {
        using var leaderDir = new TempDirectory();
        using var followerDir = new TempDirectory();
        using var snapshotDir = new TempDirectory();
        string snapshot = Path.Combine(snapshotDir.Path, "checkpoint");
        using (KiwiDb leader = KiwiDb.Open(Options(leaderDir.Path)))
        {
            Assert.Equal(":1\r\n", await Apply(leader, Incr(leader, index: 1, seq: 1)));
            Assert.Equal(":2\r\n", await Apply(leader, Incr(leader, index: 2, seq: 2)));
            Assert.Equal((2L, 2L), await leader.CheckpointAsync(snapshot));
        }

        using KiwiDb follower = KiwiDb.Open(Options(followerDir.Path));

        // A lagging member: the snapshot brings the data and the ids applied with it.
        Assert.Equal((2L, 2L), await follower.InstallAsync(snapshot));
        Assert.Equal("2", follower.GetString("n"));
        Assert.StartsWith("-DUPLICATE ", await Apply(follower, Incr(follower, index: 3, seq: 2)), StringComparison.Ordinal);
        Assert.Equal(":3\r\n", await Apply(follower, Incr(follower, index: 4, seq: 3)));
        Assert.Equal("3", follower.GetString("n"));

        // And they survive the follower's restart.
        follower.Dispose();
        using KiwiDb reopened = KiwiDb.Open(Options(followerDir.Path));
        Assert.StartsWith("-DUPLICATE ", await Apply(reopened, Incr(reopened, index: 5, seq: 1)), StringComparison.Ordinal);
        Assert.StartsWith("-DUPLICATE ", await Apply(reopened, Incr(reopened, index: 6, seq: 3)), StringComparison.Ordinal);
        Assert.Equal("3", reopened.GetString("n"));
    }
}
