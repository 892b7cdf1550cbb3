using System.Globalization;

namespace Kiwi.Server.Tests;

/// <content>ROLE, WAIT and RESTORE on a 3-node cluster.</content>
public sealed partial class RaftServerTests
{
    [Fact]
    public async Task Role_wait_and_restore_follow_the_raft_roles()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % 3;
        using RawClient toLeader = await RawClient.ConnectAsync(Cluster.Nodes[leader].Port);
        using RawClient toFollower = await RawClient.ConnectAsync(Cluster.Nodes[follower].Port);

        // A dumped hash restored through a follower: forwarded, one log entry, on every member with all its fields.
        Assert.Equal(":2\r\n", await toLeader.CallAsync(RawClient.Command("HSET", "adm:h", "a", "1", "b", "2")));
        string dump = await toLeader.CallAsync(RawClient.Command("DUMP", "adm:h"));
        byte[] payload = System.Text.Encoding.Latin1.GetBytes(dump[(dump.IndexOf('\n', StringComparison.Ordinal) + 1)..^2]);
        var frame = new List<byte>();
        frame.AddRange(System.Text.Encoding.ASCII.GetBytes($"*4\r\n$7\r\nRESTORE\r\n$10\r\nadm:h:copy\r\n$1\r\n0\r\n${payload.Length}\r\n"));
        frame.AddRange(payload);
        frame.AddRange("\r\n"u8.ToArray());
        await toFollower.SendAsync(frame.ToArray());
        Assert.Equal("+OK\r\n", await toFollower.ReadReplyAsync());
        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            await TestCluster.UntilAsync(async () => await reader.CallAsync(RawClient.Command("HGET", "adm:h:copy", "b")) == "$1\r\n2\r\n", () => $"node {node.Port} lacks the restored hash");
            Assert.Equal(":2\r\n", await reader.CallAsync(RawClient.Command("HLEN", "adm:h:copy")));
        }

        // The leader is a master with two replicas; a follower is a replica of the leader's client address.
        string role = await toLeader.CallAsync("ROLE\r\n");
        Assert.StartsWith("*3\r\n$6\r\nmaster\r\n:", role, StringComparison.Ordinal);
        Assert.Contains("\r\n*2\r\n*3\r\n", role, StringComparison.Ordinal);
        string leaderPort = Cluster.Nodes[leader].Port.ToString(CultureInfo.InvariantCulture);
        await TestCluster.UntilAsync(
            async () => (await toFollower.CallAsync("ROLE\r\n")).Contains($"\r\n:{leaderPort}\r\n$9\r\nconnected\r\n", StringComparison.Ordinal),
            () => "the follower's ROLE does not name the leader");
        Assert.StartsWith("*5\r\n$5\r\nslave\r\n", await toFollower.CallAsync("ROLE\r\n"), StringComparison.Ordinal);
        Assert.Contains("\r\nrole:slave\r\n", await toFollower.CallAsync("INFO replication\r\n"), StringComparison.Ordinal);

        // A committed write is on a majority: the leader and at least one follower.
        Assert.Equal(":1\r\n", await toLeader.CallAsync("WAIT 1 0\r\n"));
        Assert.Equal(":1\r\n", await toFollower.CallAsync("WAIT 1 0\r\n"));
    }
}
