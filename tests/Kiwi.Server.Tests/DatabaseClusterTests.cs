using Kiwi.Server.Tests.Lists;

namespace Kiwi.Server.Tests;

/// <summary>
/// Databases in cluster mode: SELECT is the connection's, MOVE and SWAPDB go through the log (from a follower too),
/// and every member maps the databases alike.
/// </summary>
[Collection(nameof(BlockingClusterTests))]
public sealed class DatabaseClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private static string C(params string[] args) => RawClient.Command(args);

    [Fact]
    public async Task Move_and_swapdb_apply_on_every_member()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % 3;
        using RawClient client = await RawClient.ConnectAsync(Cluster.Nodes[follower].Port);
        Assert.Equal("+OK\r\n", await client.CallAsync(C("SELECT", "2")));
        Assert.Equal(":2\r\n", await client.CallAsync(C("SADD", "cd:set", "a", "b")));
        Assert.Equal("+OK\r\n", await client.CallAsync(C("SET", "cd:str", "v")));
        Assert.Equal(":1\r\n", await client.CallAsync(C("MOVE", "cd:set", "3")));
        Assert.Equal("+OK\r\n", await client.CallAsync(C("SWAPDB", "3", "4")));
        Assert.Equal(":0\r\n", await client.CallAsync(C("EXISTS", "cd:set")));

        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            Assert.Equal("+OK\r\n", await reader.CallAsync(C("SELECT", "4")));
            await TestCluster.UntilAsync(async () => await reader.CallAsync(C("SCARD", "cd:set")) == ":2\r\n", () => $"node {node.Port} does not hold the moved set in database 4");
            Assert.Equal(":1\r\n", await reader.CallAsync(C("DBSIZE")));
            Assert.Equal("+OK\r\n", await reader.CallAsync(C("SELECT", "3")));
            Assert.Equal(":0\r\n", await reader.CallAsync(C("DBSIZE")));
            Assert.Equal("+OK\r\n", await reader.CallAsync(C("SELECT", "2")));
            Assert.Equal("$1\r\nv\r\n", await reader.CallAsync(C("GET", "cd:str")));
            Assert.Equal(":1\r\n", await reader.CallAsync(C("DBSIZE")));
        }
    }
}
