using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>The server in cluster mode: three in-process nodes replicating through Raft on loopback.</summary>
public sealed partial class RaftServerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Three_nodes_elect_a_leader_and_a_set_through_it_is_read_on_every_node()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        string leaderEndPoint = Cluster.RaftEndPoints[leader].ToString();
        string[] allMembers = [.. Cluster.RaftEndPoints.Select(e => e.ToString()).Order(StringComparer.Ordinal)];
        var ids = new HashSet<string>();
        for (int i = 0; i < Cluster.Nodes.Length; i++)
        {
            Dictionary<string, string> info = await TestCluster.RaftInfoAsync(Cluster.Nodes[i].Port);
            Assert.Equal(i == leader ? "leader" : "follower", info["role"]);
            Assert.Equal(leaderEndPoint, info["leader"]);
            Assert.Equal(ExpectedNodeId(Cluster.RaftEndPoints[i].ToString()), info["node_id"]);
            Assert.True(ids.Add(info["node_id"]), "node ids repeat");
            Assert.True(long.Parse(info["term"], CultureInfo.InvariantCulture) >= 1, info["term"]);
            Assert.Equal(allMembers, info["members"].Split(',').Select(m => m[..m.IndexOf('=', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
            Assert.Equal("0", info["failed_proposals"]);
        }

        // The leader calls every member, so it sees them all reachable.
        string leaderMembers = string.Empty;
        await TestCluster.UntilAsync(
            async () => (leaderMembers = (await TestCluster.RaftInfoAsync(Cluster.Nodes[leader].Port))["members"]).Split(',').All(m => m.EndsWith("=available", StringComparison.Ordinal)),
            () => "the leader's members: " + leaderMembers);

        await using (ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(Cluster.Nodes[leader].ConnectionString()))
        {
            Assert.True(await redis.GetDatabase().StringSetAsync("raft:greeting", "hello"));
        }

        Dictionary<string, string> leaderInfo = await TestCluster.RaftInfoAsync(Cluster.Nodes[leader].Port);
        Assert.True(long.Parse(leaderInfo["proposed_entries"], CultureInfo.InvariantCulture) >= 1, leaderInfo["proposed_entries"]);
        long committed = long.Parse(leaderInfo["commit_index"], CultureInfo.InvariantCulture);
        Assert.True(committed >= 2, $"commit_index {committed} after the leader's no-op and a SET");

        foreach (TestServer node in Cluster.Nodes)
        {
            await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(node.ConnectionString());
            IDatabase db = redis.GetDatabase();
            RedisValue seen = RedisValue.Null;
            await TestCluster.UntilAsync(
                async () => (seen = await db.StringGetAsync("raft:greeting")) == "hello",
                () => $"GET raft:greeting on port {node.Port} gives '{seen}', not 'hello'");

            // The SET's log entry is applied there: applied_index reached the leader's commit index of the SET.
            Dictionary<string, string> info = await TestCluster.RaftInfoAsync(node.Port);
            Assert.True(long.Parse(info["applied_index"], CultureInfo.InvariantCulture) >= committed, $"applied_index {info["applied_index"]} < {committed}");
        }
    }

    [Fact]
    public async Task Reads_on_a_follower_are_linearizable_they_see_every_write_acknowledged_before_them()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        int follower = (leader + 1) % Cluster.Nodes.Length;
        await using ConnectionMultiplexer toLeader = await ConnectionMultiplexer.ConnectAsync(Cluster.Nodes[leader].ConnectionString());
        await using ConnectionMultiplexer toFollower = await ConnectionMultiplexer.ConnectAsync(Cluster.Nodes[follower].ConnectionString());
        IDatabase write = toLeader.GetDatabase();
        IDatabase read = toFollower.GetDatabase();
        for (int i = 1; i <= 20; i++)
        {
            string value = i.ToString(CultureInfo.InvariantCulture);
            Assert.True(await write.StringSetAsync("raft:lin", value));

            // No polling: the follower takes a read barrier before answering.
            Assert.Equal(value, (string?)await read.StringGetAsync("raft:lin"));
        }

        // Pipelined reads share one barrier and still answer in order.
        Task<RedisValue>[] reads = [.. Enumerable.Range(0, 10).Select(_ => read.StringGetAsync("raft:lin"))];
        Assert.All(await Task.WhenAll(reads), v => Assert.Equal("20", (string?)v));
    }

    [Fact]
    public async Task Getex_without_options_on_a_follower_is_a_linearizable_read()
    {
        // Found by redis-diff through a follower: GETEX with only its key is a read answered locally, and it
        // answered without the read barrier (it is a write command), so it saw a key the leader had expired.
        int leader = await Cluster.WaitForLeaderAsync();
        using RawClient client = await RawClient.ConnectAsync(Cluster.Nodes[(leader + 1) % Cluster.Nodes.Length].Port);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("+OK\r\n", await client.CallAsync($"SET raft:getex v{i}\r\n"));
            Assert.Equal($"$2\r\nv{i}\r\n", await client.CallAsync("GETEX raft:getex\r\n"));
            Assert.Equal(":1\r\n", await client.CallAsync("EXPIRE raft:getex -1\r\n"));
            Assert.Equal("$-1\r\n", await client.CallAsync("GETEX raft:getex\r\n"));
        }
    }

    [Fact]
    public async Task Membership_commands_check_their_node_and_run_on_the_leader_only()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        using RawClient toFollower = await RawClient.ConnectAsync(Cluster.Nodes[(leader + 1) % Cluster.Nodes.Length].Port);
        using RawClient toLeader = await RawClient.ConnectAsync(Cluster.Nodes[leader].Port);

        Assert.StartsWith("-READONLY membership changes run on the leader", await toFollower.CallAsync("RAFT.ADDNODE 127.0.0.1:1\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR the node must be given as ip:raftport\r\n", await toLeader.CallAsync("RAFT.ADDNODE somewhere\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'raft.removenode' command\r\n", await toLeader.CallAsync("RAFT.REMOVENODE\r\n"));
        Assert.Equal("-ERR 127.0.0.1:1 is not a member\r\n", await toLeader.CallAsync("RAFT.REMOVENODE 127.0.0.1:1\r\n"));
        Assert.Equal("+PONG\r\n", await toLeader.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task Writes_on_a_follower_are_forwarded_to_the_leader_and_get_its_replies()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        TestServer follower = Cluster.Nodes[(leader + 1) % Cluster.Nodes.Length];
        using RawClient client = await RawClient.ConnectAsync(follower.Port);

        Assert.Equal("+OK\r\n", await client.CallAsync("SET raft:fwd v1\r\n"));
        Assert.Equal("$2\r\nv1\r\n", await client.CallAsync("GETSET raft:fwd v2\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("SET raft:fwd v3 NX\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("INCR raft:fwd:n\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("INCR raft:fwd\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'set' command\r\n", await client.CallAsync("SET raft:fwd\r\n"));

        // Pipelined: forwarded writes and local commands answer in order, and the read sees the writes.
        await client.SendAsync("INCR raft:fwd:n\r\nPING\r\nINCR raft:fwd:n\r\nGET raft:fwd:n\r\n");
        Assert.Equal(":2\r\n", await client.ReadReplyAsync());
        Assert.Equal("+PONG\r\n", await client.ReadReplyAsync());
        Assert.Equal(":3\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\n3\r\n", await client.ReadReplyAsync());

        // The writes went through the log: every node answers them (reads are linearizable: no polling).
        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            Assert.Equal("$2\r\nv2\r\n", await reader.CallAsync("GET raft:fwd\r\n"));
            Assert.Equal("$1\r\n3\r\n", await reader.CallAsync("GET raft:fwd:n\r\n"));
        }
        // A RESP3 client through the follower gets the leader's reply in RESP3, relayed byte for byte.
        using RawClient resp3 = await RawClient.ConnectAsync(follower.Port);
        Assert.StartsWith("%", await resp3.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("_\r\n", await resp3.CallAsync("SET raft:fwd v3 NX\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("SET raft:fwd v3 NX\r\n"));

        Dictionary<string, string> info = await TestCluster.RaftInfoAsync(follower.Port);
        Assert.Equal("0", info["failed_proposals"]);
    }

    [Fact]
    public async Task Bit_writes_on_a_follower_go_through_the_log_and_every_node_reads_them()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        TestServer follower = Cluster.Nodes[(leader + 1) % Cluster.Nodes.Length];
        using RawClient client = await RawClient.ConnectAsync(follower.Port);
        Assert.Equal(":0\r\n", await client.CallAsync("SETBIT raft:bits 7 1\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("BITOP NOT raft:bits:not raft:bits\r\n"));
        Assert.Equal("*3\r\n:0\r\n$-1\r\n:3\r\n", await client.CallAsync("BITFIELD raft:bits SET u8 8 200 OVERFLOW FAIL INCRBY u8 8 100 INCRBY u2 14 3\r\n"));

        // An array reply with a nil, relayed in RESP3 byte for byte.
        using RawClient resp3 = await RawClient.ConnectAsync(follower.Port);
        Assert.StartsWith("%", await resp3.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("*2\r\n_\r\n:203\r\n", await resp3.CallAsync("BITFIELD raft:bits OVERFLOW FAIL INCRBY u8 8 100 GET u8 8\r\n"));

        foreach (TestServer node in Cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            Assert.Equal("$2\r\n\u0001\u00cb\r\n", await reader.CallAsync("GET raft:bits\r\n"));
            Assert.Equal("$1\r\n\u00fe\r\n", await reader.CallAsync("GET raft:bits:not\r\n"));
            Assert.Equal(":6\r\n", await reader.CallAsync("BITCOUNT raft:bits\r\n"));
            Assert.Equal("*1\r\n:203\r\n", await reader.CallAsync("BITFIELD_RO raft:bits GET u8 8\r\n"));
        }

        // BITFIELD with GETs only is a linearizable read on a follower: it sees the client's write before it. (The
        // log's growth is not asserted: the leader's empty read confirmations, in flight from the reads above, land in
        // it too, at times that race the count.)
        await client.SendAsync("SETBIT raft:bits 0 1\r\nBITFIELD raft:bits GET u8 0 OVERFLOW SAT GET i8 8\r\n");
        Assert.Equal(":0\r\n", await client.ReadReplyAsync());
        Assert.Equal("*2\r\n:129\r\n:-53\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Spop_removes_the_same_members_on_every_replica()
    {
        // SPOP's choice is fixed when it is proposed (a seed in the entry), so every node pops the same members.
        int leader = await Cluster.WaitForLeaderAsync();
        await using ConnectionMultiplexer toLeader = await ConnectionMultiplexer.ConnectAsync(Cluster.Nodes[leader].ConnectionString());
        IDatabase db = toLeader.GetDatabase();
        // 300 members: single pops of a set this big take the random probe (RandomProbe), counted ones the walk.
        await db.SetAddAsync("raft:spop", [.. Enumerable.Range(0, 300).Select(i => (RedisValue)i)]);
        RedisValue[] popped = await db.SetPopAsync("raft:spop", 30);
        Assert.Equal(30, popped.Distinct().Count());
        for (int i = 0; i < 5; i++)
        {
            Assert.False((await db.SetPopAsync("raft:spop")).IsNull);
        }

        string? expected = null;
        foreach (TestServer node in Cluster.Nodes)
        {
            await using ConnectionMultiplexer reader = await ConnectionMultiplexer.ConnectAsync(node.ConnectionString());
            RedisValue[] members = await reader.GetDatabase().SetMembersAsync("raft:spop");
            Assert.Equal(265, members.Length);
            string joined = string.Join(",", members.Select(m => (string)m!).Order(StringComparer.Ordinal));
            expected ??= joined;
            Assert.Equal(expected, joined);
        }
    }

    [Fact]
    public async Task Info_has_the_raft_section_and_config_get_shows_the_raft_settings()
    {
        int leader = await Cluster.WaitForLeaderAsync();
        TestServer node = Cluster.Nodes[leader];
        using RawClient client = await RawClient.ConnectAsync(node.Port);

        string info = await client.CallAsync("INFO raft\r\n");
        Assert.Contains("# Raft\r\nraft_enabled:1\r\nnode_id:", info, StringComparison.Ordinal);
        Assert.Contains("\r\nrole:leader\r\n", info, StringComparison.Ordinal);
        Assert.Contains("# Raft\r\n", await client.CallAsync("INFO\r\n"), StringComparison.Ordinal);

        string members = string.Join(',', Cluster.RaftEndPoints.Select(e => e.ToString()));
        Assert.Equal($"*2\r\n$12\r\nraft-members\r\n${members.Length}\r\n{members}\r\n", await client.CallAsync("CONFIG GET raft-members\r\n"));
        string port = Cluster.RaftEndPoints[leader].Port.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"*2\r\n$9\r\nraft-port\r\n${port.Length}\r\n{port}\r\n", await client.CallAsync("CONFIG GET raft-port\r\n"));
        Assert.Equal("*2\r\n$9\r\nraft-bind\r\n$9\r\n127.0.0.1\r\n", await client.CallAsync("CONFIG GET raft-bind\r\n"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'raft-port') - can't set immutable config\r\n", await client.CallAsync("CONFIG SET raft-port 1\r\n"));
    }

    private static string ExpectedNodeId(string endPoint) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(endPoint)));
}

/// <summary>RAFT.INFO and INFO raft on a standalone server.</summary>
public sealed class RaftStandaloneTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Raft_info_answers_that_cluster_support_is_disabled()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("-ERR This instance has cluster support disabled\r\n", await client.CallAsync("RAFT.INFO\r\n"));
        Assert.Equal("-ERR This instance has cluster support disabled\r\n", await client.CallAsync("raft.info\r\n"));
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task Membership_commands_answer_that_cluster_support_is_disabled()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("-ERR This instance has cluster support disabled\r\n", await client.CallAsync("RAFT.ADDNODE 127.0.0.1:7480\r\n"));
        Assert.Equal("-ERR This instance has cluster support disabled\r\n", await client.CallAsync("RAFT.REMOVENODE 127.0.0.1:7480\r\n"));
    }

    [Fact]
    public async Task Raft_info_with_an_argument_is_an_arity_error()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("-ERR wrong number of arguments for 'raft.info' command\r\n", await client.CallAsync("RAFT.INFO now\r\n"));
        Assert.StartsWith("*1\r\n*10\r\n$9\r\nraft.info\r\n:1\r\n", await client.CallAsync("COMMAND INFO raft.info\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_raft_shows_only_that_raft_is_disabled()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string section = await client.CallAsync("INFO raft\r\n");
        Assert.EndsWith("\r\n# Raft\r\nraft_enabled:0\r\n\r\n", section, StringComparison.Ordinal);
        Assert.DoesNotContain("node_id", section, StringComparison.Ordinal);
        Assert.Contains("\r\n# Raft\r\nraft_enabled:0\r\n", await client.CallAsync("INFO all\r\n"), StringComparison.Ordinal);
        Assert.Equal("*2\r\n$12\r\nraft-members\r\n$0\r\n\r\n", await client.CallAsync("CONFIG GET raft-members\r\n"));
    }
}

/// <summary>raft-redirect yes: followers answer writes with Redis Cluster's MOVED instead of forwarding them.</summary>
public sealed class RaftRedirectTests
{
    [Fact]
    public async Task A_write_on_a_follower_is_answered_moved_with_the_leaders_client_endpoint()
    {
        using TestCluster cluster = TestCluster.Start(configure: c => c.RaftRedirect = true);
        int leader = await cluster.WaitForLeaderAsync();
        TestServer follower = cluster.Nodes[(leader + 1) % cluster.Nodes.Length];
        using RawClient client = await RawClient.ConnectAsync(follower.Port);
        string expected = $"-MOVED 0 127.0.0.1:{cluster.Nodes[leader].Port}\r\n";
        string reply = string.Empty;

        // The first refusal may name the leader's Raft endpoint while its client endpoint is being learned.
        await TestCluster.UntilAsync(
            async () => (reply = await client.CallAsync("SET raft:moved v\r\n")) == expected,
            () => $"SET on a follower gave {reply.TrimEnd()}, not {expected.TrimEnd()}");
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));

        using RawClient toLeader = await RawClient.ConnectAsync(cluster.Nodes[leader].Port);
        Assert.Equal("$-1\r\n", await toLeader.CallAsync("GET raft:moved\r\n"));
        Assert.Equal("+OK\r\n", await toLeader.CallAsync("SET raft:moved v\r\n"));
    }
}
