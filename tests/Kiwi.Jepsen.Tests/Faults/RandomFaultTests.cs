using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// Randomized faults on a 3-member process cluster under load, round after round for a duration: each round a
/// pause, kill -9 (and restart), cut link or bridge partition of a random member (the leader half of the time),
/// held 1–4 s, then healed; each round's keys are its own, checked when it ends. The duration is
/// <c>KIWI_FAULT_MINUTES</c> (default 0.75: a short run in CI; <c>run-faults.sh 30</c> for the long run), the seed
/// <c>KIWI_FAULT_SEED</c> (default: from the clock, printed). The report goes to the test output and, when
/// <c>KIWI_FAULT_REPORT</c> names a file, there too. <c>KIWI_FAULT_TARGET=leader</c> faults only the leader (failover
/// measurements).
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RandomFaultTests(ITestOutputHelper output)
{
    private const int MaxRounds = 10_000;

    [Fact]
    public async Task Random_faults_under_load_leave_every_history_linearizable_and_no_write_lost_or_applied_twice()
    {
        TimeSpan duration = TimeSpan.FromMinutes(Setting("KIWI_FAULT_MINUTES", 0.75));
        int seed = (int)Setting("KIWI_FAULT_SEED", Environment.TickCount & 0xFFFF);
        string? reportPath = Environment.GetEnvironmentVariable("KIWI_FAULT_REPORT") is { Length: > 0 } path ? path : null;
        var random = new Random(seed);
        bool leaderOnly = Environment.GetEnvironmentVariable("KIWI_FAULT_TARGET") == "leader";
        var report = new FaultRunReport();
        var clock = Stopwatch.StartNew();
        using FaultCluster cluster = await FaultCluster.StartAsync();
        output.WriteLine($"seed {seed}");
        try
        {
            while (clock.Elapsed < duration && report.Rounds < MaxRounds)
            {
                var round = new FaultRound
                {
                    Hold = TimeSpan.FromMilliseconds(random.Next(1000, 4000)),
                    Writes = 20,
                    Seed = random.Next(),
                };
                RoundResult result = await round.RunAsync(cluster, $"round{report.Rounds}", leader => leaderOnly ? ChooseForLeader(random, leader) : Choose(random, leader, cluster.Size));
                string line = report.Add(result, clock.Elapsed);
                output.WriteLine(line);
                if (reportPath is not null)
                {
                    // Progress of a long run, for tail -f; the full report replaces it at the end.
                    await File.AppendAllTextAsync(reportPath, line + "\n");
                }
            }
        }
        finally
        {
            string text = report.Describe(clock.Elapsed, cluster.RequestTimeoutMs);
            output.WriteLine(text);
            if (reportPath is not null)
            {
                await File.WriteAllTextAsync(reportPath, $"seed {seed}\n{text}");
            }
        }

        Assert.True(report.Rounds > 0, "no round ran");
        Assert.True(report.FailedRounds == 0, report.Describe(clock.Elapsed, cluster.RequestTimeoutMs));
        Assert.Equal(0, report.UndecidedOrViolating);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
    }

    /// <summary>A fault of a random kind; its target the leader half of the time, else a random follower.</summary>
    private static Fault Choose(Random random, int leader, int size)
    {
        var kind = (FaultKind)random.Next(4);
        int target = random.Next(2) == 0 ? leader : (leader + 1 + random.Next(size - 1)) % size;
        int other = (target + 1 + random.Next(size - 1)) % size;
        return new Fault(kind, target, kind == FaultKind.Bridge ? other : -1);
    }

    /// <summary>
    /// With <c>KIWI_FAULT_TARGET=leader</c>, to measure failover: the leader paused, killed or cut off, each a
    /// third of the time.
    /// </summary>
    private static Fault ChooseForLeader(Random random, int leader)
        => new((FaultKind)random.Next(3), leader);

    private static double Setting(string name, double fallback)
        => double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 ? value : fallback;
}
