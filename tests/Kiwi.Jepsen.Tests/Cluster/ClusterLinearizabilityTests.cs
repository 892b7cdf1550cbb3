using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Server.Tests;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Cluster;

/// <summary>
/// The checker end to end on a real 3-node cluster (in this process, on loopback): histories recorded by RESP
/// clients on every node are linearizable with the read barrier, and are not once the barrier is taken away
/// (raft-stale-reads yes, the planted bug).
/// </summary>
public sealed class ClusterLinearizabilityTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Random_sets_gets_and_incrs_on_every_node_are_linearizable_and_nothing_acknowledged_is_lost()
    {
        int leader = await fixture.Cluster.WaitForLeaderAsync();
        WorkloadRun run = await Workloads.RandomAsync(Ports(fixture.Cluster), leader, "random", clients: 4, opsPerClient: 300, s_duration, seed: 15);
        Describe(run);
        Assert.True(run.History.Operations.Count(o => o.Outcome == Outcome.Ok) >= 100, "too few operations answered to mean anything");

        CheckResult result = LinearizabilityChecker.Check(run.History);
        output.WriteLine(result.ToString());
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
    }

    [Fact]
    public async Task Reads_on_a_follower_right_after_writes_on_the_leader_are_linearizable()
    {
        int leader = await fixture.Cluster.WaitForLeaderAsync();
        WorkloadRun run = await Workloads.WriteOnLeaderReadOnFollowerAsync(Ports(fixture.Cluster), leader, "follow", clients: 3, iterations: 150, s_duration);
        Describe(run);
        Assert.Empty(run.StaleReads);

        CheckResult result = LinearizabilityChecker.Check(run.History);
        output.WriteLine(result.ToString());
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
        Assert.Empty(DurabilityChecker.Check(run.History, run.Final));
    }

    [Fact]
    public async Task With_the_read_barrier_taken_away_the_checker_rejects_the_history_and_names_the_keys_read_stale()
    {
        // The planted bug: followers answer reads from their own storage at once, without the read barrier. The
        // workload is the one above, which is linearizable with the barrier.
        using TestCluster cluster = TestCluster.Start(3, c => c.RaftStaleReads = true);
        int leader = await cluster.WaitForLeaderAsync();
        WorkloadRun run = await Workloads.WriteOnLeaderReadOnFollowerAsync(Ports(cluster), leader, "stale", clients: 3, iterations: 150, s_duration);
        Describe(run);
        Assert.True(run.StaleReads.Count > 0, "no follower read was stale: the planted bug did not show, so this run cannot test the checker");

        CheckResult result = LinearizabilityChecker.Check(run.History);
        output.WriteLine(result.ToString());
        Assert.True(result.Verdict == Verdict.NotLinearizable, result.ToString());

        // Each client alone writes its keys, so a stale read of a key is a violation on that key and nothing else is.
        string[] readStale = [.. run.StaleReads.Select(s => s.Key).Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(readStale, result.Violations.Select(v => v.Key));
    }

    private static int[] Ports(TestCluster cluster) => [.. cluster.Nodes.Select(n => n.Port)];

    private void Describe(WorkloadRun run)
    {
        Operation[] ops = run.History.Operations;
        output.WriteLine(
            $"{ops.Length} operations: {ops.Count(o => o.Outcome == Outcome.Ok)} ok, {ops.Count(o => o.Outcome == Outcome.Fail)} failed, "
            + $"{ops.Count(o => o.Outcome == Outcome.Unknown)} unknown; {ops.Count(o => o.Kind == OperationKind.Set)} SET, "
            + $"{ops.Count(o => o.Kind == OperationKind.Get)} GET, {ops.Count(o => o.Kind == OperationKind.Incr)} INCR");
        output.WriteLine($"{run.StaleReads.Count} reads seen stale by their client{(run.StaleReads.Count > 0 ? $", the first: {run.StaleReads[0].Key}: {run.StaleReads[0].Detail}" : string.Empty)}");
    }
}
