using Kiwi.Server.Tests.Lists;

namespace Kiwi.Server.Tests;

/// <summary>
/// BZPOPMIN and SORT ... STORE in cluster mode: a client blocked on a follower is woken by that member's apply of the
/// ZADD, and its pop goes through the log; a stored sort is the writer's, so every member holds the same list.
/// </summary>
[Collection(nameof(BlockingClusterTests))]
public sealed class SortedSetClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_follower_blocked_pop_is_served_and_a_stored_sort_is_the_same_on_every_member()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % 3;
        TestServer followerServer = Cluster.Nodes[follower];
        using RawClient blocked = await RawClient.ConnectAsync(followerServer.Port);
        await blocked.SendAsync(RawClient.Command("BZPOPMAX", "c:z", "0"));
        await TestCluster.UntilAsync(() => Task.FromResult(followerServer.Db.Blocking.Count == 1), () => "the follower did not block its client");

        using RawClient writer = await RawClient.ConnectAsync(Cluster.Nodes[leader].Port);
        Assert.Equal(":3\r\n", await writer.CallAsync(RawClient.Command("ZADD", "c:z", "1", "a", "3", "c", "2", "b")));
        Assert.Equal("*3\r\n$3\r\nc:z\r\n$1\r\nc\r\n$1\r\n3\r\n", await blocked.ReadReplyAsync());

        Assert.Equal(":2\r\n", await writer.CallAsync(RawClient.Command("SORT", "c:z", "BY", "nosort", "DESC", "STORE", "c:sorted")));
        const string expected = "*2\r\n$1\r\nb\r\n$1\r\na\r\n";
        Assert.Equal(expected, await writer.CallAsync(RawClient.Command("LRANGE", "c:sorted", "0", "-1")));
        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            await TestCluster.UntilAsync(async () => await reader.CallAsync(RawClient.Command("LRANGE", "c:sorted", "0", "-1")) == expected, () => $"node {node.Port} does not hold the sorted list");
        }
    }
}
