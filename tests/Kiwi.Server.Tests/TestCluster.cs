using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kiwi.Server.Tests;

/// <summary>
/// N Kiwi.Fast servers in this process in cluster mode: each on an ephemeral loopback client port, a free
/// loopback Raft port and its own temporary directory, all with the same raft-members. Dispose stops them all.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Between two polls: a tight loop of RAFT.INFO round trips would take the CPU the Raft heartbeats need on
    // a small machine, and a late heartbeat starts an election.
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(10);

    private TestCluster(IPEndPoint[] raftEndPoints, TestServer[] nodes)
    {
        RaftEndPoints = raftEndPoints;
        Nodes = nodes;
    }

    /// <summary>Every member's Raft endpoint, in node order.</summary>
    public IPEndPoint[] RaftEndPoints { get; }

    /// <summary>The servers, in node order.</summary>
    public TestServer[] Nodes { get; }

    public static TestCluster Start(int size = 3, Action<ServerConfig>? configure = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return StartOnce(size, configure);
            }
            catch (Exception ex) when (attempt < 5 && IsAddressInUse(ex))
            {
                // Another test's socket took a port between FreePort and a node's bind (tests run in parallel, and
                // outgoing connections draw from the same ephemeral range): start over on new ports.
            }
        }
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return true;
            }

            if (ex is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    if (IsAddressInUse(inner))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static TestCluster StartOnce(int size, Action<ServerConfig>? configure)
    {
        var endPoints = new IPEndPoint[size];
        for (int i = 0; i < size; i++)
        {
            endPoints[i] = new IPEndPoint(IPAddress.Loopback, FreePort());
        }

        var nodes = new TestServer[size];
        try
        {
            for (int i = 0; i < size; i++)
            {
                int raftPort = endPoints[i].Port;
                int clientPort = FreePort();
                nodes[i] = TestServer.Start(c =>
                {
                    // A known client port, so the node can announce where followers forward writes.
                    c.Port = clientPort;
                    c.RaftPort = raftPort;
                    c.RaftMembers = endPoints;

                    // Three members in one process share one GC and one thread pool, so a pause stalls all of them
                    // at once, which a short request timeout reads as a lost leader. Functional tests run with 1 s,
                    // and so with an election timeout above it (the server refuses a request timeout that is not
                    // shorter); the fault tests (Kiwi.Jepsen.Tests) run separate processes with the defaults.
                    c.RaftRequestTimeoutMs = 1_000;
                    c.RaftElectionTimeoutMs = (1_200, 2_400);
                    configure?.Invoke(c);
                });
            }
        }
        catch
        {
            StopAll(nodes);
            throw;
        }

        return new TestCluster(endPoints, nodes);
    }

    /// <summary>
    /// Polls RAFT.INFO on every node until one is the leader and every node names it; returns its position.
    /// </summary>
    public async Task<int> WaitForLeaderAsync()
    {
        string last = "no reply yet";
        int leader = -1;
        await UntilAsync(
            async () =>
            {
                leader = -1;
                var named = new HashSet<string>();
                var roles = new List<string>();
                for (int i = 0; i < Nodes.Length; i++)
                {
                    Dictionary<string, string> info = await RaftInfoAsync(Nodes[i].Port);
                    roles.Add($"{RaftEndPoints[i]}: {info["role"]} (leader '{info["leader"]}', term {info["term"]})");
                    named.Add(info["leader"]);
                    if (info["role"] == "leader")
                    {
                        leader = leader == -1 ? i : -2;
                    }
                }

                last = string.Join("; ", roles);
                return leader >= 0 && named.Count == 1 && named.Contains(RaftEndPoints[leader].ToString());
            },
            () => "no leader that every node names: " + last);
        return leader;
    }

    /// <summary>RAFT.INFO of the server on <paramref name="port"/>, field by field.</summary>
    public static async Task<Dictionary<string, string>> RaftInfoAsync(int port)
    {
        using RawClient client = await RawClient.ConnectAsync(port);
        string reply = await client.CallAsync("RAFT.INFO\r\n");
        Assert.StartsWith("$", reply, StringComparison.Ordinal);
        return ParseInfo(reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..]);
    }

    /// <summary>"name:value" lines (INFO's format; '#' headers skipped) as a dictionary.</summary>
    public static Dictionary<string, string> ParseInfo(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line[0] != '#' && colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    /// <summary>Re-checks <paramref name="condition"/> every few milliseconds until it holds or the deadline passes.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {failure()}");
            await Task.Delay(s_pollInterval);
        }
    }

    public void Dispose() => StopAll(Nodes);

    /// <summary>Stops the servers at once (each waits for its Raft member to leave).</summary>
    private static void StopAll(TestServer?[] nodes)
    {
        var stops = new List<Task>();
        foreach (TestServer? node in nodes)
        {
            if (node is not null)
            {
                stops.Add(Task.Run(node.Dispose));
            }
        }

        Task.WaitAll([.. stops], Deadline);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

/// <summary>A 3-node cluster shared by the tests of a class (IClassFixture).</summary>
public sealed class ClusterFixture : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(3);

    internal TestCluster Cluster => _cluster;

    public void Dispose() => _cluster.Dispose();
}
