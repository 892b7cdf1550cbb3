using System.Globalization;

namespace Kiwi.Core.Tests.Raft;

/// <summary>Real Raft nodes (DotNext over TCP on loopback), each with its own RocksDB, in this process.</summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeNodes_ElectALeader_AndItsWritesAreReadOnEveryNode()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        KiwiDb db = cluster.Nodes[leader]!;
        Assert.True(db.CanWrite);

        // Many writes in flight at once: they are proposed in batch entries.
        var writes = new List<Task<bool>>();
        for (int i = 0; i < 500; i++)
        {
            writes.Add(db.SetAsync("key:" + i, "value:" + i).AsTask());
        }

        Assert.All(await Task.WhenAll(writes).WaitAsync(Deadline), Assert.True);
        Assert.Equal(3, await db.IncrByAsync("counter", 3));
        Assert.True(db.Raft!.Proposed < 501, $"{db.Raft.Proposed} log entries for 501 writes");

        await cluster.WaitOnEveryNodeAsync(n => n.GetString("counter") == "3", Deadline);
        foreach (KiwiDb? node in cluster.Nodes)
        {
            for (int i = 0; i < 500; i += 7)
            {
                Assert.Equal("value:" + i, node!.GetString("key:" + i));
            }

            Assert.Equal(db.FullyAppliedIndex, node!.FullyAppliedIndex);
        }
    }

    [Fact]
    public async Task WriteOnAFollower_IsRefusedAndNamesTheLeader()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        int follower = (leader + 1) % 3;
        await cluster.WaitOnEveryNodeAsync(n => n.Raft!.Leader is not null, Deadline);
        KiwiDb db = cluster.Nodes[follower]!;
        Assert.False(db.CanWrite);

        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => db.SetAsync("k", "v").AsTask());
        Assert.StartsWith("READONLY ", error.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Members[leader].Port.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Null(db.GetString("k"));
    }

    [Fact]
    public async Task RestartOfEveryNode_KeepsEveryAcknowledgedWrite()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        KiwiDb db = cluster.Nodes[leader]!;
        var writes = new List<Task<long>>();
        for (int i = 0; i < 300; i++)
        {
            writes.Add(db.IncrAsync("n").AsTask());
        }

        long[] replies = await Task.WhenAll(writes).WaitAsync(Deadline);
        Assert.Equal(300, replies.Max());
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("n") == "300", Deadline);

        for (int i = 0; i < 3; i++)
        {
            await cluster.StopNodeAsync(i);
        }

        for (int i = 0; i < 3; i++)
        {
            await cluster.StartNodeAsync(i);
        }

        leader = await cluster.WaitForLeaderAsync(Deadline);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("n") == "300", Deadline);
        Assert.Equal(301, await cluster.Nodes[leader]!.IncrAsync("n"));
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("n") == "301", Deadline);
    }

    [Fact]
    public async Task LeaderStops_ANewLeaderServesWrites_AndNoAcknowledgedWriteIsLost()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        KiwiDb db = cluster.Nodes[leader]!;
        var acked = new List<Task<bool>>();
        for (int i = 0; i < 200; i++)
        {
            acked.Add(db.SetAsync("before:" + i, "v" + i).AsTask());
        }

        Assert.All(await Task.WhenAll(acked).WaitAsync(Deadline), Assert.True);
        await cluster.StopNodeAsync(leader);

        int next = await cluster.WaitForLeaderAsync(Deadline);
        Assert.NotEqual(leader, next);
        KiwiDb survivor = cluster.Nodes[next]!;
        Assert.True(await survivor.SetAsync("after", "failover"));
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("after") == "failover", Deadline);
        foreach (KiwiDb? node in cluster.Nodes)
        {
            if (node is null)
            {
                continue;
            }

            for (int i = 0; i < 200; i++)
            {
                Assert.Equal("v" + i, node.GetString("before:" + i));
            }
        }

        // The old leader comes back as a follower and catches up.
        await cluster.StartNodeAsync(leader);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("after") == "failover", Deadline);
    }

    [Fact]
    public async Task NodeDownDuring10kWrites_CatchesUpWhenItReturns()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        int down = (leader + 1) % 3;
        await cluster.StopNodeAsync(down);

        KiwiDb db = cluster.Nodes[leader]!;
        const int Writes = 10_000;
        var pending = new List<Task<bool>>(Writes);
        for (int i = 0; i < Writes; i++)
        {
            pending.Add(db.SetAsync("w:" + i, "x" + i).AsTask());
            if (pending.Count == 1000)
            {
                Assert.All(await Task.WhenAll(pending).WaitAsync(Deadline), Assert.True);
                pending.Clear();
            }
        }

        Assert.All(await Task.WhenAll(pending).WaitAsync(Deadline), Assert.True);
        Assert.True(await db.SetAsync("last", "done"));

        await cluster.StartNodeAsync(down);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("last") == "done", TimeSpan.FromSeconds(60));
        KiwiDb returned = cluster.Nodes[down]!;
        for (int i = 0; i < Writes; i += 97)
        {
            Assert.Equal("x" + i, returned.GetString("w:" + i));
        }

        Assert.Equal(db.FullyAppliedIndex, returned.FullyAppliedIndex);
    }

    [Fact]
    public async Task ReadBarrier_OnAFollower_SeesEveryWriteAcknowledgedBeforeIt()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        KiwiDb db = cluster.Nodes[leader]!;
        KiwiDb follower = cluster.Nodes[(leader + 1) % 3]!;
        for (int i = 1; i <= 30; i++)
        {
            string value = i.ToString(CultureInfo.InvariantCulture);
            Assert.True(await db.SetAsync("lin", value));

            // No polling: after the barrier the acknowledged write must be readable here.
            await follower.ReadBarrierAsync().WaitAsync(Deadline);
            Assert.Equal(value, follower.GetString("lin"));
            await db.ReadBarrierAsync().WaitAsync(Deadline);
            Assert.Equal(value, db.GetString("lin"));
        }
    }
}
