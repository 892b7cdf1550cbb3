using System.Diagnostics;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// Five members, the leader and one follower cut off together from the other three (issue #15). The three elect a
/// leader and acknowledge a new value; the two cut off still see each other, and the old leader may still believe it
/// leads. A follower's read index comes from its leader confirmed by a commit (<c>KIWI.READINDEX</c>), and a leader
/// confirms its own reads the same way, so neither side-lined member may answer the value the majority replaced.
/// With three members this cannot be set up (the old leader alone is a minority of one, and a follower cut off with
/// it is the majority); with DotNext's read barrier, which took the old leader's commit index unconfirmed, it read
/// the old value.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class MinorityReadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_call = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_follower_cut_off_with_the_old_leader_never_reads_the_value_the_majority_replaced()
    {
        (int stale, int answered, int after) = await RunAsync();
        Assert.True(after > 0, "no read on the cut-off side began after the new value was acknowledged");
        Assert.True(stale == 0, $"{stale} of {answered} answered reads (of {after}) on the cut-off side returned the replaced value");
    }

    /// <summary>The same round with the read barrier planted away (<c>raft-stale-reads yes</c>): the check must see it.</summary>
    [Fact]
    public async Task With_stale_follower_reads_the_cut_off_follower_reads_the_replaced_value()
    {
        (int stale, _, _) = await RunAsync("--raft-stale-reads", "yes");
        Assert.True(stale > 0, "the planted bug went unseen: no read on the cut-off side returned the replaced value");
    }

    // Of the reads on the cut-off side begun after the new value was acknowledged: how many answered the replaced
    // value, how many answered a value at all, and how many there were.
    private async Task<(int Stale, int Answered, int After)> RunAsync(params string[] settings)
    {
        using FaultCluster cluster = await FaultCluster.StartAsync(5, settings);
        (int leader, long term) = await cluster.WaitForLeaderAsync([0, 1, 2, 3, 4], TimeSpan.FromSeconds(30));
        int follower = (leader + 1) % 5;
        int[] majority = [.. Enumerable.Range(0, 5).Where(m => m != leader && m != follower)];
        await SetAcknowledgedAsync(cluster, leader, "old");
        await WaitForValueAsync(cluster, follower, "old"); // the follower has it before the cut

        cluster.Partition(leader, follower);
        try
        {
            Assert.False(cluster.CanConnect(follower, majority[0]), "the partition did not cut the follower off");
            Assert.True(cluster.CanConnect(follower, leader), "the partition cut the two cut-off members apart");

            // Reads on the cut-off side run from the cut on, so they also cover the time in which the old leader
            // still believes it leads; only reads begun after the new value was acknowledged must not see the old.
            var clock = Stopwatch.StartNew();
            long acknowledgedAt = long.MaxValue;
            using var stop = new CancellationTokenSource();
            Task<(int Stale, int Answered, int After)> reads = ReadCutOffSideAsync(cluster, [follower, leader], clock, () => Volatile.Read(ref acknowledgedAt), stop.Token);
            (int newLeader, long newTerm) = await cluster.WaitForLeaderAsync(majority, TimeSpan.FromSeconds(30));
            await SetAcknowledgedAsync(cluster, newLeader, "new");
            Volatile.Write(ref acknowledgedAt, clock.ElapsedTicks);
            output.WriteLine($"leader m{leader} (term {term}) and m{follower} cut off; m{newLeader} leads term {newTerm} and acknowledged the new value {clock.ElapsedMilliseconds} ms after the cut");
            long until = clock.ElapsedMilliseconds + 5000;
            while (clock.ElapsedMilliseconds < until && !reads.IsCompleted)
            {
                await Task.Delay(50);
            }

            await stop.CancelAsync();
            return await reads;
        }
        finally
        {
            cluster.HealNetwork();
        }
    }

    // GETs on the members in turn, 20 ms apart, until stopped; counted as RunAsync returns them.
    private async Task<(int Stale, int Answered, int After)> ReadCutOffSideAsync(FaultCluster cluster, int[] members, Stopwatch clock, Func<long> acknowledgedAt, CancellationToken stop)
    {
        int stale = 0;
        int answered = 0;
        int afterCount = 0;
        for (int i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
        {
            int member = members[i % members.Length];
            long begun = clock.ElapsedTicks;
            string reply = await TryGetAsync(cluster, member);
            bool after = begun > acknowledgedAt();
            output.WriteLine($"{clock.ElapsedMilliseconds,6} ms m{member}{(after ? " (after the ack)" : string.Empty)}: {reply.TrimEnd().Replace("\r\n", " ", StringComparison.Ordinal)}");
            if (after)
            {
                afterCount++;
                answered += reply.StartsWith('$') ? 1 : 0;
                stale += reply == Bulk("old") ? 1 : 0;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return (stale, answered, afterCount);
    }

    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    // GET k on the member: the raw reply, or what went wrong (a timeout or a closed connection is an answer too).
    private static async Task<string> TryGetAsync(FaultCluster cluster, int member)
    {
        try
        {
            using MemberConnection connection = await MemberConnection.ConnectAsync(cluster.Endpoint(member), s_call);
            return await connection.CallAsync(s_call, "GET", "k");
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            return ex.GetType().Name;
        }
    }

    // SET k value on the member until one is acknowledged (+OK), within a deadline.
    private static async Task SetAcknowledgedAsync(FaultCluster cluster, int member, string value)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using MemberConnection connection = await MemberConnection.ConnectAsync(cluster.Endpoint(member), s_call);
                last = await connection.CallAsync(TimeSpan.FromSeconds(5), "SET", "k", value);
                if (last == "+OK\r\n")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                last = ex.GetType().Name;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"SET k {value} on m{member} was not acknowledged within 30 s; last reply {last.TrimEnd()}\n{cluster.OutputTails()}");
    }

    // Polls GET k on the member until it answers the value.
    private static async Task WaitForValueAsync(FaultCluster cluster, int member, string value)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            last = await TryGetAsync(cluster, member);
            if (last == Bulk(value))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"m{member} did not read k = {value} within 30 s; last reply {last.TrimEnd()}");
    }
}
