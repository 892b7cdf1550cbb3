namespace Kiwi.Server.Tests.Lists;

/// <summary>
/// Blocking pops in cluster mode: clients blocked on followers and on the leader are woken by each member's own apply
/// of the push, and their pops go through the log, so no element is served twice and none is lost.
/// </summary>
[Collection(nameof(BlockingClusterTests))]
public sealed class BlockingClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Clients_blocked_on_every_member_each_get_one_element_of_a_push()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        var clients = new List<RawClient>();
        try
        {
            for (int node = 0; node < Cluster.Nodes.Length; node++)
            {
                TestServer server = Cluster.Nodes[node];
                RawClient client = await RawClient.ConnectAsync(server.Port);
                await client.SendAsync(RawClient.Command("BLPOP", "c:blk", "0"));
                clients.Add(client);
                await TestCluster.UntilAsync(() => Task.FromResult(server.Db.Blocking.Count == 1), () => $"node {node} did not block its client");
            }

            using RawClient writer = await RawClient.ConnectAsync(Cluster.Nodes[leader].Port);
            Assert.Equal(":3\r\n", await writer.CallAsync(RawClient.Command("RPUSH", "c:blk", "a", "b", "c")));
            var served = new List<string>();
            foreach (RawClient client in clients)
            {
                string reply = await client.ReadReplyAsync();
                Assert.StartsWith("*2\r\n$5\r\nc:blk\r\n$1\r\n", reply, StringComparison.Ordinal);
                served.Add(reply[^3..^2]);
            }

            Assert.Equal(["a", "b", "c"], served.Order(StringComparer.Ordinal));
            Assert.Equal(":0\r\n", await writer.CallAsync(RawClient.Command("LLEN", "c:blk")));

            // One element for two blocked clients on two followers: exactly one gets it, the other still waits.
            int follower1 = (leader + 1) % 3;
            int follower2 = (leader + 2) % 3;
            await clients[follower1].SendAsync(RawClient.Command("BRPOP", "c:one", "0"));
            await clients[follower2].SendAsync(RawClient.Command("BRPOP", "c:one", "0"));
            await TestCluster.UntilAsync(() => Task.FromResult(Cluster.Nodes[follower1].Db.Blocking.Count == 1 && Cluster.Nodes[follower2].Db.Blocking.Count == 1), () => "the followers did not block");
            Assert.Equal(":1\r\n", await writer.CallAsync(RawClient.Command("LPUSH", "c:one", "only")));
            await TestCluster.UntilAsync(() => Task.FromResult(Cluster.Nodes[follower1].Db.Blocking.Count + Cluster.Nodes[follower2].Db.Blocking.Count == 1), () => "one of the two was not served");
            int servedNode = Cluster.Nodes[follower1].Db.Blocking.Count == 0 ? follower1 : follower2;
            int waitingNode = servedNode == follower1 ? follower2 : follower1;
            Assert.Equal("*2\r\n$5\r\nc:one\r\n$4\r\nonly\r\n", await clients[servedNode].ReadReplyAsync());
            Assert.Equal(":1\r\n", await writer.CallAsync(RawClient.Command("LPUSH", "c:one", "second")));
            Assert.Equal("*2\r\n$5\r\nc:one\r\n$6\r\nsecond\r\n", await clients[waitingNode].ReadReplyAsync());
        }
        finally
        {
            foreach (RawClient client in clients)
            {
                client.Dispose();
            }
        }
    }
}

/// <summary>
/// The cluster of <see cref="BlockingClusterTests"/> starts after the parallel tests are done: two clusters starting
/// at once in one process could pick the same free port.
/// </summary>
[CollectionDefinition(nameof(BlockingClusterTests), DisableParallelization = true)]
public sealed class BlockingClusterCollection;
