using System.Diagnostics;
using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Cluster;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>What one round showed.</summary>
/// <param name="Fault">The fault, described with the leader it was injected under.</param>
/// <param name="Category">Its kind and the target's role ("pause leader"): what failover times are grouped by.</param>
/// <param name="Failover">From the fault to the first acknowledgement of a write invoked after it.</param>
/// <param name="FaultTerm">The highest term the members were in just before the fault (leadership can move between
/// <paramref name="Before"/> and the fault on a busy machine).</param>
/// <param name="FailoverTerm">The highest term the reachable members were in just after that acknowledgement.</param>
/// <param name="Before">Leader and term when the fault was injected.</param>
/// <param name="During">Leader and term while the fault lasted: those the reachable members agreed on; under a bridge
/// partition, the middle member's.</param>
/// <param name="After">Leader and term once every member agreed again after the heal and more writes went through.</param>
/// <param name="Run">The history and the final values.</param>
/// <param name="Check">The linearizability verdict per key.</param>
/// <param name="Durability">Acknowledged writes lost, writes applied twice, values from nowhere.</param>
/// <param name="Errors">The errors the clients met.</param>
/// <param name="InjectedAt">When the fault was in effect (UTC), to find the round in the members' logs.</param>
internal sealed record RoundResult(
    string Fault, string Category, TimeSpan Failover, long FaultTerm, long FailoverTerm, (int Leader, long Term) Before, (int Leader, long Term) During, (int Leader, long Term) After,
    WorkloadRun Run, CheckResult Check, IReadOnlyList<string> Durability, ErrorTally Errors, DateTime InjectedAt)
{
    /// <summary>No violation found.</summary>
    public bool Correct => Check.Verdict == Verdict.Linearizable && Durability.Count == 0;

    /// <summary>
    /// Terms begun between the fault and the first acknowledged write after it: the election rounds the failover
    /// took (a refused pre-vote begins none; a split vote one more). At most that many, since the terms are read
    /// just after the write and a term only grows.
    /// </summary>
    public long Elections => FailoverTerm - FaultTerm;

    /// <summary>One line: the fault, the failover time, leaders and terms, operations and the verdict.</summary>
    public override string ToString()
    {
        Operation[] ops = Run.History.Operations;
        return $"{Fault}: first write acknowledged {Failover.TotalMilliseconds:0} ms after the fault, in term {FailoverTerm} ({Elections} elections); "
            + $"leader m{Before.Leader} term {Before.Term}, during m{During.Leader} term {During.Term}, after m{After.Leader} term {After.Term}; "
            + $"{ops.Length} ops ({ops.Count(o => o.Outcome == Outcome.Ok)} ok, {ops.Count(o => o.Outcome == Outcome.Fail)} fail, "
            + $"{ops.Count(o => o.Outcome == Outcome.Unknown)} unknown); {Check}; {Durability.Count} durability problems"
            + string.Concat(Durability.Select(d => "\n  " + d))
            + "\nerrors met:\n" + Errors;
    }
}

/// <summary>
/// One fault under load: clients run on keys of their own (<c>prefix</c>); once writes flow, the fault is injected
/// and the clock starts; the round waits (polling, with a deadline) for writes to be acknowledged without the
/// faulty member, keeps the fault for at least <see cref="Hold"/>, heals it, waits until every member agrees on
/// one leader and more writes went through, stops the clients, reads every key on every member, and checks the
/// history. Every wait is bounded: a cluster that stays unavailable fails the round with what its members said.
/// </summary>
internal sealed class FaultRound
{
    /// <summary>
    /// The longest a cluster with a majority may take to acknowledge writes again: generous, not a timing goal
    /// (15 s; <c>KIWI_FAULT_AVAILABILITY_S</c> raises it, to measure a slow failover rather than fail on it).
    /// </summary>
    public static readonly TimeSpan AvailabilityDeadline = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("KIWI_FAULT_AVAILABILITY_S"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 15);

    /// <summary>Concurrent clients.</summary>
    public int Clients { get; init; } = 4;

    /// <summary>The shortest time the fault lasts.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Writes acknowledged before the fault, and again after the heal.</summary>
    public int Writes { get; init; } = 30;

    /// <summary>
    /// Writes acknowledged while the fault lasts: few, because a client whose request went to the faulty member
    /// waits out its timeout, which on a busy machine leaves a handful of writes per second.
    /// </summary>
    public int WritesDuringFault { get; init; } = 5;

    /// <summary>Seed of the clients' choices.</summary>
    public int Seed { get; init; } = 15;

    /// <summary>Runs the round; <paramref name="choose"/> picks the fault given the current leader.</summary>
    public async Task<RoundResult> RunAsync(FaultCluster cluster, string prefix, Func<int, Fault> choose)
    {
        int[] all = [.. Enumerable.Range(0, cluster.Size)];
        (int Leader, long Term) before = await cluster.WaitForLeaderAsync(all, TimeSpan.FromSeconds(30));
        Fault fault = choose(before.Leader);
        string described = fault.Describe(before.Leader);
        await using FaultLoad load = FaultLoad.Start(cluster.Endpoints, prefix, Clients, Seed);
        load.Acks.Arm();
        await ExpectWritesAsync(cluster, load, Writes, $"{described}: before the fault");

        // Elections are counted from here: on a busy machine leadership can move between the start of the round and the fault.
        long faultTerm = await HighestTermAsync(cluster, all);

        // The clock starts once the fault is in effect (the signal sent, the process gone, the link down): a write
        // invoked while the tool was still starting could be acknowledged by the old leader.
        fault.Inject(cluster);
        long injected = load.Acks.Arm();
        DateTime injectedAt = DateTime.UtcNow;
        TimeSpan failover;
        long failoverTerm;
        (int Leader, long Term) during = (-1, 0);
        try
        {
            Task probe = load.ProbeAsync(fault.Reachable(cluster.Size), AvailabilityDeadline);
            await ExpectWritesAsync(cluster, load, 1, $"{described}: while it lasts");
            await probe;
            failover = load.Acks.FirstAfterArm!.Value;
            failoverTerm = await HighestTermAsync(cluster, fault.Reachable(cluster.Size));
            await ExpectWritesAsync(cluster, load, WritesDuringFault, $"{described}: while it lasts");
            during = await ObserveAsync(cluster, fault);

            TimeSpan left = Hold - Stopwatch.GetElapsedTime(injected);
            if (left > TimeSpan.Zero)
            {
                // The fault's duration, part of the scenario: no condition is awaited here.
                await Task.Delay(left);
            }
        }
        finally
        {
            // Healed even when the cluster failed the round, so the next round (or dispose) finds it whole.
            await fault.HealAsync(cluster);
        }

        await cluster.WaitForLeaderAsync(all, TimeSpan.FromSeconds(30));
        load.Acks.Arm();
        await ExpectWritesAsync(cluster, load, Writes, $"{described}: after the heal");
        (int Leader, long Term) after = await cluster.WaitForLeaderAsync(all, TimeSpan.FromSeconds(30));

        WorkloadRun run = await load.StopAsync(after.Leader);
        return new RoundResult(
            described, fault.Category(before.Leader), failover, faultTerm, failoverTerm, before, during, after, run,
            LinearizabilityChecker.Check(run.History), DurabilityChecker.Check(run.History, run.Final), load.Errors, injectedAt);
    }

    /// <summary>Waits for writes invoked since the last arm to be acknowledged; at the deadline, fails with what the members say.</summary>
    private static async Task ExpectWritesAsync(FaultCluster cluster, FaultLoad load, int count, string what)
    {
        if (!await load.Acks.WaitForAcksAsync(count, AvailabilityDeadline))
        {
            int acknowledged = load.Acks.SinceArmed;
            RaftView?[] views = await Task.WhenAll(Enumerable.Range(0, cluster.Size).Select(cluster.ViewAsync));
            string said = string.Join("; ", views.Select((v, m) => $"m{m}: {v?.ToString() ?? "no answer"}"));
            Assert.Fail($"{what}: {acknowledged} of {count} writes acknowledged within {AvailabilityDeadline.TotalSeconds} s; members say {said}; clients met:\n{load.Errors}");
        }
    }

    /// <summary>The highest term the members answer with (0 when none answers).</summary>
    private static async Task<long> HighestTermAsync(FaultCluster cluster, int[] members)
    {
        RaftView?[] views = await Task.WhenAll(members.Select(cluster.ViewAsync));
        return views.Max(v => v?.Term ?? 0);
    }

    /// <summary>
    /// Leader and term while the fault lasts: those the reachable members agree on. Under a bridge partition, the
    /// leader the middle member follows (Raft lets leadership move there, or stay); and first the cut is checked
    /// from inside the namespaces: each end reaches the middle member and not the other end.
    /// </summary>
    private static async Task<(int Leader, long Term)> ObserveAsync(FaultCluster cluster, Fault fault)
    {
        if (fault.Kind != FaultKind.Bridge)
        {
            return await cluster.WaitForLeaderAsync(fault.Reachable(cluster.Size), AvailabilityDeadline);
        }

        int middle = Enumerable.Range(0, cluster.Size).Single(m => m != fault.Target && m != fault.Other);
        string cut = $"bridge m{fault.Target}|m{fault.Other}";
        Assert.False(cluster.CanConnect(fault.Target, fault.Other), $"{cut}: m{fault.Target} still reaches m{fault.Other}");
        Assert.False(cluster.CanConnect(fault.Other, fault.Target), $"{cut}: m{fault.Other} still reaches m{fault.Target}");
        Assert.True(cluster.CanConnect(fault.Target, middle), $"{cut}: m{fault.Target} does not reach m{middle}");
        Assert.True(cluster.CanConnect(fault.Other, middle), $"{cut}: m{fault.Other} does not reach m{middle}");
        RaftView view = await cluster.WaitForViewAsync(middle, v => v.Leader >= 0, "in the middle, to know a leader", AvailabilityDeadline);
        return (view.Leader, view.Term);
    }
}
