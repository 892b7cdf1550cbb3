using System.Net;
using System.Net.Sockets;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>Three (or more) Kiwi.Fast nodes in this process, each with its own RocksDB and Raft log, on loopback.</summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly TempDirectory[] _dirs;

    private static readonly TimeSpan s_defaultElectionMin = TimeSpan.FromMilliseconds(KiwiRaftOptions.DefaultElectionTimeoutMinMs);

    private readonly long _snapshotEvery;
    private readonly TimeSpan? _requestTimeout;

    private LoopbackCluster(IPEndPoint[] members, TempDirectory[] dirs, long snapshotEvery, TimeSpan? requestTimeout)
    {
        _snapshotEvery = snapshotEvery;
        _requestTimeout = requestTimeout;
        Members = members;
        _dirs = dirs;
        Nodes = new KiwiDb?[members.Length];
    }

    public IPEndPoint[] Members { get; }

    public KiwiDb?[] Nodes { get; }

    /// <summary>Starts <paramref name="size"/> nodes; <paramref name="requestTimeout"/> null keeps the Raft default.</summary>
    public static async Task<LoopbackCluster> StartAsync(int size = 3, long snapshotEvery = 50_000, TimeSpan? requestTimeout = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var members = new IPEndPoint[size];
            var dirs = new TempDirectory[size];
            for (int i = 0; i < size; i++)
            {
                members[i] = new IPEndPoint(IPAddress.Loopback, FreePort());
                dirs[i] = new TempDirectory();
            }

            var cluster = new LoopbackCluster(members, dirs, snapshotEvery, requestTimeout);
            try
            {
                for (int i = 0; i < size; i++)
                {
                    await cluster.StartNodeAsync(i);
                }

                return cluster;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 5)
            {
                // Another test's socket took a port between FreePort and the node's bind (tests run in parallel,
                // and outgoing connections draw from the same ephemeral range): start over on new ports.
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The Raft request timeout of every node, also for a node that joins. Three members in one process share one
    /// GC and one thread pool, so a pause stalls all of them at once, which the default request timeout reads as a
    /// lost leader: 1 s here unless a test asks.
    /// </summary>
    public TimeSpan RequestTimeout => _requestTimeout ?? TimeSpan.FromSeconds(1);

    /// <summary>The shortest election timeout of every node: longer than a request (KiwiRaftOptions.TimeoutProblems).</summary>
    public TimeSpan ElectionTimeoutMin => RequestTimeout < s_defaultElectionMin ? s_defaultElectionMin : RequestTimeout * 1.5;

    /// <summary>The longest election timeout of every node.</summary>
    public TimeSpan ElectionTimeoutMax => ElectionTimeoutMin * 2;

    public async Task StartNodeAsync(int i)
    {
        var raft = new KiwiRaftOptions
        {
            EndPoint = Members[i],
            Members = Members,
            SnapshotEvery = _snapshotEvery,
            RequestTimeout = RequestTimeout,
            ElectionTimeoutMin = ElectionTimeoutMin,
            ElectionTimeoutMax = ElectionTimeoutMax,
            LoggerFactory = RaftTestLog.For($"node{i}:{Members[i].Port}"),
        };
        Nodes[i] = await KiwiDb.OpenAsync(new KiwiDbOptions
        {
            Path = _dirs[i].Path,
            ActiveExpiry = false,
            BlockCacheBytes = 8L * 1024 * 1024,
            Raft = raft,
        });
    }

    public async Task StopNodeAsync(int i)
    {
        KiwiDb? node = Nodes[i];
        Nodes[i] = null;
        if (node is not null)
        {
            await Task.Run(node.Dispose);
        }
    }

    /// <summary>
    /// Polls until one running node leads and the cluster is settled on it: every running node names it leader in
    /// its term, and it has committed its whole log (so the blank entry of its term is in). Right after an
    /// election a leader can still lose a contested term; writes aimed at an unsettled leader would get TRYAGAIN.
    /// Returns the leader's position.
    /// </summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            for (int i = 0; i < Nodes.Length; i++)
            {
                if (Nodes[i]?.Raft is { IsLeader: true } leader && IsSettledOn(leader))
                {
                    return i;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no settled leader within {timeout}");
    }

    private bool IsSettledOn(KiwiRaftNode leader)
    {
        if (leader.CommitIndex <= 0 || leader.CommitIndex < leader.LastLogIndex)
        {
            return false;
        }

        foreach (KiwiDb? node in Nodes)
        {
            if (node?.Raft is { } raft && (raft.Term != leader.Term || !Equals(raft.Leader, leader.EndPoint)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Polls until <paramref name="condition"/> holds on every running node.</summary>
    public async Task WaitOnEveryNodeAsync(Func<KiwiDb, bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            bool all = true;
            foreach (KiwiDb? node in Nodes)
            {
                if (node is not null && !condition(node))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"condition not met on every node within {timeout}: {Describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Writes <paramref name="keys"/> (each set to its value) through the current leader, a few in flight, as a
    /// client would: a group answered TRYAGAIN, READONLY or CLUSTERDOWN (the leadership moved) is sent again to
    /// the new leader. Every write is acknowledged when this returns.
    /// </summary>
    public async Task SetThroughLeaderAsync(IReadOnlyList<(string Key, string Value)> keys, TimeSpan timeout, int inFlight = 4)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        for (int start = 0; start < keys.Count;)
        {
            int count = Math.Min(inFlight, keys.Count - start);
            KiwiDb leader = Nodes[await WaitForLeaderAsync(deadline - DateTime.UtcNow)]!;
            var group = new Task<bool>[count];
            for (int i = 0; i < count; i++)
            {
                group[i] = leader.SetAsync(keys[start + i].Key, keys[start + i].Value).AsTask();
            }

            try
            {
                Assert.All(await Task.WhenAll(group).WaitAsync(deadline - DateTime.UtcNow), Assert.True);
                start += count;
            }
            catch (KiwiException ex) when (IsLeadershipMove(ex) && DateTime.UtcNow < deadline)
            {
                // Sent again below, to whoever leads now (SET is idempotent).
            }
        }
    }

    private static bool IsLeadershipMove(KiwiException ex)
        => ex.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || ex.Message.StartsWith("READONLY", StringComparison.Ordinal)
        || ex.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal);

    /// <summary>Each running node's Raft state, for a failure message.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < Nodes.Length; i++)
        {
            if (Nodes[i]?.Raft is { } raft)
            {
                text.Append($"[node {i} {raft.EndPoint}: term {raft.Term}, leader {raft.Leader}, commit {raft.CommitIndex}, last log {raft.LastLogIndex}, applied {Nodes[i]!.FullyAppliedIndex}, snapshot {raft.SnapshotIndex}, installed {raft.SnapshotsInstalled}, rejected {raft.SnapshotsRejected}] ");
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Nodes.Length; i++)
        {
            await StopNodeAsync(i);
        }

        foreach (TempDirectory dir in _dirs)
        {
            dir.Dispose();
        }
    }

    /// <summary>A loopback port free right now (another process may take it before it is bound again).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
