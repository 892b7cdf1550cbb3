using System.Diagnostics;
using System.Globalization;
using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Server.Tests;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Cluster;

/// <summary>
/// Exactly-once writes across cut forwarding connections and leader changes (#15 item 2), on a real 3-node cluster:
/// clients INCR counters through every node while the leader's forwarding connections are killed again and again
/// (CLIENT KILL of every <c>kiwi.apply</c> connection) and, in one test, the leader is stopped. A follower retries
/// the writes it forwarded with their ids, and every member applies an id once: no acknowledged INCR is lost, none
/// is applied twice, and the clients of followers see no TRYAGAIN where they did before.
/// </summary>
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Incrs_forwarded_over_connections_that_are_cut_are_applied_once_and_answered()
    {
        using TestCluster cluster = TestCluster.Start(3);
        int leader = await cluster.WaitForLeaderAsync();
        int[] followers = [.. Enumerable.Range(0, 3).Where(n => n != leader)];
        ChaosRun run = await RunAsync(cluster, leader, followers, "cut", stopLeader: false);
        Describe(run);

        // The cuts hit writes in flight (else this run tests nothing), and each of them was retried and answered.
        Assert.True(run.Retried > 0, "no forwarded write was cut in flight: the chaos did not bite");
        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
        Assert.Equal(0, run.Unknown);
        Assert.Equal(run.Acknowledged, run.Final.Values.Sum(v => v ?? 0));
    }

    [Fact]
    public async Task Without_retries_the_same_cuts_answer_tryagain_and_nothing_is_applied_twice_either()
    {
        // The pre-#15 behaviour, for comparison: each write in flight on a cut connection is answered TRYAGAIN.
        using TestCluster cluster = TestCluster.Start(3, c => c.RaftWriteRetryMs = 0);
        int leader = await cluster.WaitForLeaderAsync();
        int[] followers = [.. Enumerable.Range(0, 3).Where(n => n != leader)];
        ChaosRun run = await RunAsync(cluster, leader, followers, "noretry", stopLeader: false);
        Describe(run);

        Assert.Equal(0, run.Retried);
        Assert.True(run.Unknown > 0, "no forwarded write was cut in flight: the chaos did not bite");
        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
    }

    [Fact]
    public async Task Incrs_on_every_node_across_a_leader_stop_and_cut_forwarding_are_applied_at_most_once_and_none_acknowledged_is_lost()
    {
        using TestCluster cluster = TestCluster.Start(3);
        int leader = await cluster.WaitForLeaderAsync();
        ChaosRun run = await RunAsync(cluster, leader, [0, 1, 2], "stop", stopLeader: true);
        Describe(run);

        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
        long final = run.Final.Values.Sum(v => v ?? 0);
        Assert.InRange(final, run.Acknowledged, run.Acknowledged + run.Unknown);

        // The followers' clients were never cut off: the writes their node forwarded when the leader stopped were
        // retried to the next leader and answered.
        Assert.True(run.Retried > 0, "no forwarded write was in flight when the leader stopped or a connection was cut");
        Assert.Equal(0, run.History.Operations.Count(o => o.Outcome == Outcome.Unknown && run.FollowerClients.Contains(o.Client)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Incrs_on_every_node_while_the_leader_resigns_again_and_again_are_applied_once(bool retries)
    {
        // A leader that resigns loses the writes it proposed and had not committed (NotLeaderException): with
        // retries it sends them, with their ids, to the next leader; without, they are answered TRYAGAIN.
        using TestCluster cluster = TestCluster.Start(3, c => c.RaftWriteRetryMs = retries ? 5000 : 0);
        int leader = await cluster.WaitForLeaderAsync();
        ChaosRun run = await RunAsync(cluster, leader, [0, 1, 2], retries ? "resign" : "resign0", stopLeader: false, resign: true);
        Describe(run);

        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
        Assert.True(run.Resigns > 1, "the leader never resigned");
        if (retries)
        {
            Assert.Equal(0, run.Unknown);
            Assert.Equal(run.Acknowledged, run.Final.Values.Sum(v => v ?? 0));
        }
        else
        {
            // The pre-#15 behaviour: each write the leader held uncommitted when it resigned is answered TRYAGAIN.
            Assert.Equal(0, run.Retried);
            Assert.True(run.Unknown > 0, "no write was in flight when the leader resigned: the chaos did not bite");
        }
    }

    private async Task<ChaosRun> RunAsync(TestCluster cluster, int leader, int[] nodes, string prefix, bool stopLeader, bool resign = false)
    {
        int[] ports = [.. cluster.Nodes.Select(n => n.Port)];
        string[] counters = [$"{prefix}:c0", $"{prefix}:c1"];
        const int Clients = 8;
        var recorder = new HistoryRecorder();
        long deadline = Stopwatch.GetTimestamp() + (long)(s_duration.TotalSeconds * Stopwatch.Frequency);
        int[] nodeOf = [.. Enumerable.Range(0, Clients).Select(c => nodes[c % nodes.Length])];
        Task[] clients = [.. Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = new RecordingClient(c, recorder, ports);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                Reply reply = await client.IncrAsync(nodeOf[c], counters[c % counters.Length]);
                if (reply.Outcome != Outcome.Ok && nodeOf[c] == leader && stopLeader)
                {
                    // Its node is gone: this client stops.
                    return;
                }
            }
        }))];

        int resigns = 0;
        Task chaos = Task.Run(async () =>
        {
            bool stopped = false;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (resign)
                {
                    foreach (TestServer node in cluster.Nodes)
                    {
                        if (node.Db.Raft is { IsLeader: true } raft && await raft.ResignAsync())
                        {
                            resigns++;
                        }
                    }

                    await Task.Delay(250);
                    continue;
                }

                await KillForwardingAsync(cluster.Nodes[leader].Port);
                if (stopLeader && !stopped && Stopwatch.GetTimestamp() > deadline - (long)(s_duration.TotalSeconds * Stopwatch.Frequency / 2))
                {
                    stopped = true;
                    cluster.Nodes[leader].Dispose();
                    return;
                }

                await Task.Delay(25);
            }
        });

        await Task.WhenAll([.. clients, chaos]);
        int[] alive = stopLeader ? [.. Enumerable.Range(0, 3).Where(n => n != leader)] : [0, 1, 2];
        int current = await WaitForLeaderAmongAsync(cluster, alive);

        var final = new Dictionary<string, long?>(StringComparer.Ordinal);
        using (var reader = new RecordingClient(Clients, recorder, ports))
        {
            foreach (string key in counters)
            {
                Reply reply = await reader.GetAsync(current, key);
                Assert.True(reply.Outcome == Outcome.Ok, $"the final GET {key} failed ({reply.Outcome})");
                final[key] = reply.Value;
            }
        }

        long retried = 0;
        long duplicates = 0;
        foreach (int n in alive)
        {
            Dictionary<string, string> info = await TestCluster.RaftInfoAsync(ports[n]);
            retried += long.Parse(info["retried_writes"], CultureInfo.InvariantCulture);
            duplicates += long.Parse(info["duplicate_writes_skipped"], CultureInfo.InvariantCulture);
        }

        History history = recorder.ToHistory();
        Operation[] incrs = [.. history.Operations.Where(o => o.Kind == OperationKind.Incr)];
        return new ChaosRun(
            history,
            final,
            incrs.Count(o => o.Outcome == Outcome.Ok),
            incrs.Count(o => o.Outcome == Outcome.Unknown),
            retried,
            duplicates,
            [.. Enumerable.Range(0, Clients).Where(c => nodeOf[c] != leader)],
            resigns);
    }

    // Cuts every connection a follower forwards writes over (the leader's clients whose last command is KIWI.APPLY).
    private static async Task KillForwardingAsync(int leaderPort)
    {
        using RawClient admin = await RawClient.ConnectAsync(leaderPort);
        string list = await admin.CallAsync("CLIENT LIST\r\n");
        foreach (string line in list.Split('\n'))
        {
            if (line.Contains("cmd=kiwi.apply", StringComparison.Ordinal) && line.StartsWith("id=", StringComparison.Ordinal))
            {
                string id = line[3..line.IndexOf(' ', StringComparison.Ordinal)];
                await admin.CallAsync($"CLIENT KILL ID {id}\r\n");
            }
        }
    }

    private static async Task<int> WaitForLeaderAmongAsync(TestCluster cluster, int[] nodes)
    {
        int found = -1;
        await TestCluster.UntilAsync(
            async () =>
            {
                foreach (int n in nodes)
                {
                    if ((await TestCluster.RaftInfoAsync(cluster.Nodes[n].Port))["role"] == "leader")
                    {
                        found = n;
                        return true;
                    }
                }

                return false;
            },
            () => "no leader among the remaining nodes");
        return found;
    }

    private void Describe(ChaosRun run)
    {
        output.WriteLine(
            $"{run.Acknowledged} INCRs acknowledged, {run.Unknown} unknown, {run.History.Operations.Count(o => o.Kind == OperationKind.Incr && o.Outcome == Outcome.Fail)} failed; "
            + $"final {string.Join(", ", run.Final.Select(kv => kv.Key + "=" + Operation.FormatValue(kv.Value)))}; "
            + $"writes retried by their node {run.Retried}, attempts skipped as duplicates {run.Duplicates}, leader resigned {run.Resigns} times");
    }

    private sealed record ChaosRun(History History, IReadOnlyDictionary<string, long?> Final, int Acknowledged, int Unknown, long Retried, long Duplicates, int[] FollowerClients, int Resigns);
}
