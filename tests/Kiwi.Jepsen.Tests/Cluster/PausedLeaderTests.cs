using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Server.Tests;
using Xunit.Abstractions;

namespace Kiwi.Jepsen.Tests.Cluster;

/// <summary>
/// A leader paused with SIGSTOP (three kiwi-server processes) keeps its connections open and answers nothing: the
/// writes its followers forwarded to it wait on those connections. Once another member leads, each follower ends
/// its connection to the old leader and retries those writes, with their ids, to the new one: its clients go on,
/// and when the old leader wakes up nothing is applied twice.
/// </summary>
public sealed class PausedLeaderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_forwarded_to_a_paused_leader_are_retried_to_the_next_one_and_applied_once()
    {
        int[] raftPorts = [FreePort(), FreePort(), FreePort()];
        string members = string.Join(',', raftPorts.Select(p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)));
        var nodes = new ServerProcess[3];
        bool paused = false;
        int leader = -1;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                nodes[i] = await ServerProcess.StartAsync(
                    null,
                    "--port", FreePort().ToString(CultureInfo.InvariantCulture),
                    "--raft-port", raftPorts[i].ToString(CultureInfo.InvariantCulture),
                    "--raft-members", members);
            }

            int[] ports = [.. nodes.Select(n => n.Port)];
            leader = await LeaderAmongAsync(ports, [0, 1, 2]);
            int[] followers = [.. Enumerable.Range(0, 3).Where(n => n != leader)];

            // Sequential clients on the followers: each waits for its INCR's answer before the next.
            const int Clients = 4;
            var recorder = new HistoryRecorder();
            using var stop = new CancellationTokenSource();
            long[] lastOk = new long[Clients];
            Task[] clients = [.. Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                using var client = new RecordingClient(c, recorder, ports);
                while (!stop.IsCancellationRequested)
                {
                    if ((await client.IncrAsync(followers[c % 2], "paused:c" + (c % 2).ToString(CultureInfo.InvariantCulture))).Outcome == Outcome.Ok)
                    {
                        Volatile.Write(ref lastOk[c], Stopwatch.GetTimestamp());
                    }
                }
            }))];

            await TestCluster.UntilAsync(() => Task.FromResult(Enumerable.Range(0, Clients).All(c => Volatile.Read(ref lastOk[c]) != 0)), () => "the clients got no answer before the pause");
            Signal(nodes[leader], "-STOP");
            paused = true;
            int next = await LeaderAmongAsync(ports, followers);
            long elected = Stopwatch.GetTimestamp();
            output.WriteLine($"node {leader} paused; node {next} leads");

            // Every client is answered again while the old leader still sleeps.
            await TestCluster.UntilAsync(
                () => Task.FromResult(Enumerable.Range(0, Clients).All(c => Volatile.Read(ref lastOk[c]) > elected)),
                () => "clients still waiting on the paused leader: " + string.Join(", ", Enumerable.Range(0, Clients).Where(c => Volatile.Read(ref lastOk[c]) <= elected)));

            Signal(nodes[leader], "-CONT");
            paused = false;
            await stop.CancelAsync();
            await Task.WhenAll(clients).WaitAsync(s_deadline);

            int current = await LeaderAmongAsync(ports, [0, 1, 2]);
            var final = new Dictionary<string, long?>(StringComparer.Ordinal);
            using (var reader = new RecordingClient(Clients, recorder, ports))
            {
                foreach (string key in (string[])["paused:c0", "paused:c1"])
                {
                    // A read refused while leadership settles after the resume (-CLUSTERDOWN) is asked again, as a
                    // client would: a GET changes nothing.
                    Reply reply = await reader.GetAsync(current, key);
                    var clock = Stopwatch.StartNew();
                    while (reply.Outcome != Outcome.Ok && clock.Elapsed < s_deadline)
                    {
                        await Task.Delay(50);
                        current = await LeaderAmongAsync(ports, [0, 1, 2]);
                        reply = await reader.GetAsync(current, key);
                    }

                    Assert.True(reply.Outcome == Outcome.Ok, $"the final GET {key} failed ({reply.Outcome}) for {s_deadline.TotalSeconds} s");
                    final[key] = reply.Value;
                }
            }

            History history = recorder.ToHistory();
            Operation[] incrs = [.. history.Operations.Where(o => o.Kind == OperationKind.Incr)];
            int acknowledged = incrs.Count(o => o.Outcome == Outcome.Ok);
            int unknown = incrs.Count(o => o.Outcome == Outcome.Unknown);
            output.WriteLine($"{acknowledged} INCRs acknowledged, {unknown} unknown; final {string.Join(", ", final.Select(kv => kv.Key + "=" + Operation.FormatValue(kv.Value)))}");
            Assert.Empty(DurabilityChecker.Check(history, final));

            // No client timed out on the paused leader (its own 20 s deadline): each waiting write was retried.
            Assert.Equal(0, unknown);
            Assert.Equal(acknowledged, final.Values.Sum(v => v ?? 0));
        }
        finally
        {
            if (paused)
            {
                Signal(nodes[leader], "-CONT");
            }

            foreach (ServerProcess? node in nodes)
            {
                node?.Dispose();
            }
        }
    }

    private static async Task<int> LeaderAmongAsync(int[] ports, int[] candidates)
    {
        int found = -1;
        await TestCluster.UntilAsync(
            async () =>
            {
                foreach (int n in candidates)
                {
                    if ((await TestCluster.RaftInfoAsync(ports[n]))["role"] == "leader")
                    {
                        found = n;
                        return true;
                    }
                }

                return false;
            },
            () => "no leader among nodes " + string.Join(',', candidates));
        return found;
    }

    private static void Signal(ServerProcess node, string signal)
    {
        using Process kill = Process.Start("kill", [signal, node.Process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
