using Kiwi.Jepsen.Tests.Checking;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// The harness catches a real bug end to end (processes, faults, recorded history, checker): with
/// <c>raft-stale-reads yes</c> followers answer reads from their own storage, without the read barrier. Such reads
/// can be stale at any time; a follower cut from the leader by a bridge partition, still reachable by clients,
/// stays stale for the whole fault. The same round without the planted bug is
/// <see cref="FailoverTests.Under_a_bridge_partition_cutting_the_leader_from_one_follower_writes_go_on"/>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_stale_follower_reads_a_bridge_partition_gives_a_history_the_checker_rejects()
    {
        using FaultCluster cluster = await FaultCluster.StartAsync("--raft-stale-reads", "yes");
        RoundResult round = await new FaultRound().RunAsync(cluster, "stale", leader => new Fault(FaultKind.Bridge, leader, (leader + 1) % 3));
        output.WriteLine(round.ToString());
        Assert.Equal(Verdict.NotLinearizable, round.Check.Verdict);
    }
}
