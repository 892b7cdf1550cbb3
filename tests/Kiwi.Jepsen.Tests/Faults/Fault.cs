namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>The faults the harness injects.</summary>
internal enum FaultKind : byte
{
    /// <summary>SIGSTOP, healed by SIGCONT.</summary>
    Pause,

    /// <summary>kill -9, healed by starting the member again on its data.</summary>
    Kill,

    /// <summary>The member's link down (every packet to and from it dropped), healed by bringing it up.</summary>
    Isolate,

    /// <summary>Two members cut off each other only (a bridge partition), healed by joining them again.</summary>
    Bridge,
}

/// <summary>A fault on a member (and for <see cref="FaultKind.Bridge"/>, the member it loses).</summary>
/// <param name="Kind">What is done.</param>
/// <param name="Target">The member it is done to.</param>
/// <param name="Other">For a bridge partition: the member the target is cut from; else -1.</param>
internal sealed record Fault(FaultKind Kind, int Target, int Other = -1)
{
    /// <summary>The members a client can still reach while the fault lasts (all but a paused, killed or isolated member).</summary>
    public int[] Reachable(int size)
        => Kind == FaultKind.Bridge ? [.. Enumerable.Range(0, size)] : [.. Enumerable.Range(0, size).Where(m => m != Target)];

    /// <summary>Injects the fault.</summary>
    public void Inject(FaultCluster cluster)
    {
        switch (Kind)
        {
            case FaultKind.Pause: cluster.Pause(Target); break;
            case FaultKind.Kill: cluster.Kill(Target); break;
            case FaultKind.Isolate: cluster.Isolate(Target); break;
            default: cluster.Separate(Target, Other); break;
        }
    }

    /// <summary>Undoes it: the member runs and is connected again (a killed one is started on its data).</summary>
    public async Task HealAsync(FaultCluster cluster)
    {
        switch (Kind)
        {
            case FaultKind.Pause: cluster.Resume(Target); break;
            case FaultKind.Kill: await cluster.RestartAsync(Target); break;
            default: cluster.HealNetwork(); break;
        }
    }

    /// <summary>"pause leader m1", "bridge m0|m2 (leader m0)".</summary>
    public string Describe(int leader)
    {
        string role = Target == leader ? "leader" : "follower";
        return Kind switch
        {
            FaultKind.Bridge => $"bridge m{Target}|m{Other} (leader m{leader})",
            _ => $"{Kind.ToString().ToLowerInvariant()} {role} m{Target}",
        };
    }

    /// <summary>The fault's kind and the target's role, the key failover times are grouped by: "pause leader".</summary>
    public string Category(int leader)
        => Kind == FaultKind.Bridge
            ? (Target == leader || Other == leader ? "bridge, leader cut" : "bridge, leader in the middle")
            : $"{Kind.ToString().ToLowerInvariant()} {(Target == leader ? "leader" : "follower")}";
}
