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
}
