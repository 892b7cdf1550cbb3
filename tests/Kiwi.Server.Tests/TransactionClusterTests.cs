using Kiwi.Server.Tests.Lists;

namespace Kiwi.Server.Tests;

/// <summary>
/// MULTI/EXEC and WATCH in cluster mode: a transaction sent to a follower is one log entry, applied whole on every
/// member, and a WATCH registered through a follower is seen by the leader's writes.
/// </summary>
[Collection(nameof(BlockingClusterTests))]
public sealed class TransactionClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    [Fact]
    public async Task A_transaction_through_a_follower_is_never_seen_half_applied()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        using RawClient writer = await RawClient.ConnectAsync(Cluster.Nodes[follower].Port);
        using RawClient reader = await RawClient.ConnectAsync(Cluster.Nodes[other].Port);

        using var done = new CancellationTokenSource();
        int reads = 0;
        Task<string?> readLoop = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested || reads == 0)
            {
                string reply = await Call(reader, "MGET", "c:tx:a", "c:tx:b");
                reads++;
                string[] parts = reply.Split("\r\n");
                string a = parts[1] == "$-1" ? "nil" : parts[2];
                string b = parts[1] == "$-1" ? (parts[2] == "$-1" ? "nil" : parts[3]) : (parts[3] == "$-1" ? "nil" : parts[4]);
                if (a != b)
                {
                    return reply;
                }
            }

            return null;
        });

        for (int i = 1; i <= 20; i++)
        {
            string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("+OK\r\n", await Call(writer, "MULTI"));
            Assert.Equal("+QUEUED\r\n", await Call(writer, "SET", "c:tx:a", n));
            Assert.Equal("+QUEUED\r\n", await Call(writer, "GET", "c:tx:a"));
            Assert.Equal("+QUEUED\r\n", await Call(writer, "SET", "c:tx:b", n));
            Assert.Equal($"*3\r\n+OK\r\n${n.Length}\r\n{n}\r\n+OK\r\n", await Call(writer, "EXEC"));
        }

        done.Cancel();
        Assert.Null(await readLoop);
        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient check = await RawClient.ConnectAsync(node.Port);
            await TestCluster.UntilAsync(
                async () => await Call(check, "MGET", "c:tx:a", "c:tx:b") == "*2\r\n$2\r\n20\r\n$2\r\n20\r\n",
                () => $"node {node.Port} does not hold the last transaction");
        }
    }

    [Fact]
    public async Task A_watch_through_a_follower_sees_a_write_on_the_leader()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % 3;
        using RawClient client = await RawClient.ConnectAsync(Cluster.Nodes[follower].Port);
        using RawClient leaderClient = await RawClient.ConnectAsync(Cluster.Nodes[leader].Port);

        Assert.Equal("+OK\r\n", await Call(client, "WATCH", "c:tx:w"));
        Assert.Equal("+OK\r\n", await Call(leaderClient, "SET", "c:tx:w", "x"));
        Assert.Equal("+OK\r\n", await Call(client, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(client, "SET", "c:tx:w:out", "1"));
        Assert.Equal("*-1\r\n", await Call(client, "EXEC"));

        Assert.Equal("+OK\r\n", await Call(client, "WATCH", "c:tx:w"));
        Assert.Equal("+OK\r\n", await Call(client, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(client, "SET", "c:tx:w:out", "2"));
        Assert.Equal("*1\r\n+OK\r\n", await Call(client, "EXEC"));
        Assert.Equal("$1\r\n2\r\n", await Call(leaderClient, "GET", "c:tx:w:out"));
    }
}
