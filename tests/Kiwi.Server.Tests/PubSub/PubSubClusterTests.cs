namespace Kiwi.Server.Tests.PubSub;

/// <summary>
/// Pub/sub across a 3-member cluster: a PUBLISH goes through the log, so a message published on any member reaches
/// the subscribers of every member, each publisher's messages in the order it published them; the reply counts the
/// receivers of the member that took the command.
/// </summary>
[Collection(nameof(Lists.BlockingClusterTests))]
public sealed class PubSubClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const int PerPublisher = 50;

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Messages_from_a_publisher_on_each_member_reach_subscribers_on_every_member_in_order()
    {
        await Cluster.WaitForLeaderAsync();
        var subscribers = new RawClient[3];
        for (int i = 0; i < 3; i++)
        {
            subscribers[i] = await RawClient.ConnectAsync(Cluster.Nodes[i].Port);
            Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$6\r\ncps:ch\r\n:1\r\n", await subscribers[i].CallAsync(RawClient.Command("SUBSCRIBE", "cps:ch")));
        }

        try
        {
            // One publisher per member, all at once; each counts the one subscriber of its own member.
            var publishers = new Task[3];
            for (int p = 0; p < 3; p++)
            {
                int member = p;
                publishers[p] = Task.Run(async () =>
                {
                    using RawClient publisher = await RawClient.ConnectAsync(Cluster.Nodes[member].Port);
                    for (int m = 0; m < PerPublisher; m++)
                    {
                        Assert.Equal(":1\r\n", await publisher.CallAsync(RawClient.Command("PUBLISH", "cps:ch", $"{member}:{m}")));
                    }
                });
            }

            await Task.WhenAll(publishers);

            // Every subscriber gets all 150, each publisher's in its order, and all three in the same (log) order.
            string[]? first = null;
            foreach (RawClient subscriber in subscribers)
            {
                var got = new string[3 * PerPublisher];
                var next = new int[3];
                for (int i = 0; i < got.Length; i++)
                {
                    string frame = await subscriber.ReadReplyAsync();
                    Assert.StartsWith("*3\r\n$7\r\nmessage\r\n$6\r\ncps:ch\r\n", frame, StringComparison.Ordinal);
                    got[i] = frame.Split("\r\n")[6];
                    string[] parts = got[i].Split(':');
                    int member = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(next[member]++, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                }

                first ??= got;
                Assert.Equal(first, got);
            }
        }
        finally
        {
            foreach (RawClient subscriber in subscribers)
            {
                subscriber.Dispose();
            }
        }
    }
}
