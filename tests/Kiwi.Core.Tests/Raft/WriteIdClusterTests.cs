using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Tests.Raft;

/// <summary>
/// Write ids through real Raft nodes: two attempts of one write (the same id) reach the log, and every member
/// applies it once, the same way, also after a restart that replays the log.
/// </summary>
public sealed class WriteIdClusterTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static ApplyRequest Incr(KiwiDb db, ulong origin, ulong seq)
    {
        ApplyRequest request = db.Begin(db.NowMs());
        request.WriteOrigin = origin;
        request.WriteSeq = seq;
        CommandFormat.AddCommand(request.Payload, OpCode.IncrBy, 0, 0, 1, 1);
        CommandFormat.AddArg(request.Payload, "once"u8);
        return request;
    }

    private static async Task<string> Apply(KiwiDb db, ApplyRequest request)
    {
        db.Submit(request);
        await request.WaitAsync().AsTask().WaitAsync(s_deadline);
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
    public async Task TwoAttemptsOfOneWrite_AreAppliedOnce_OnEveryMember()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(s_deadline);
        KiwiDb db = cluster.Nodes[leader]!;

        // Another node's writes (an origin of its own), as a follower retrying after a cut would send them.
        const ulong Origin = 0x5EED;
        Assert.Equal(":1\r\n", await Apply(db, Incr(db, Origin, 1)));
        Assert.StartsWith("-DUPLICATE ", await Apply(db, Incr(db, Origin, 1)), StringComparison.Ordinal);
        Assert.Equal(":2\r\n", await Apply(db, Incr(db, Origin, 2)));

        // This node's own writes get ids of its own: applied each time.
        Assert.Equal(3, await db.IncrAsync("once"));
        Assert.Equal(4, await db.IncrAsync("once"));

        await cluster.WaitOnEveryNodeAsync(n => n.GetString("once") == "4" && n.DuplicatesSkipped == 1, s_deadline);

        // A restart replays the log after the newest snapshot: the ids come back with the data, nothing applies twice.
        int follower = (leader + 1) % 3;
        await cluster.StopNodeAsync(follower);
        await cluster.StartNodeAsync(follower);
        int current = await cluster.WaitForLeaderAsync(s_deadline);
        KiwiDb now = cluster.Nodes[current]!;
        Assert.StartsWith("-DUPLICATE ", await Apply(now, Incr(now, Origin, 2)), StringComparison.Ordinal);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("once") == "4" && n.FullyAppliedIndex == now.FullyAppliedIndex, s_deadline);
    }
}
