using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;
using Kiwi.Core;
using Kiwi.Core.Raft;

namespace Kiwi.Bench;

/// <summary>
/// <c>kiwi-bench cluster</c>: three Raft nodes on loopback (in this process, each with its own RocksDB and Raft
/// log, talking TCP), SETs on the leader with many in flight. Runs at full load, then paced at half the rate it
/// reached, and reports ops/s and latency percentiles of each, plus the state machine's cost per command (the
/// adaptor between the Raft log and the apply pipeline).
/// </summary>
internal static class ClusterBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        string root = args.Directory ?? Path.Combine(Path.GetTempPath(), "kiwi-cluster-bench-" + Environment.ProcessId);
        var members = new IPEndPoint[3];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = new IPEndPoint(IPAddress.Loopback, FreePort());
        }

        var nodes = new KiwiDb[members.Length];
        try
        {
            for (int i = 0; i < nodes.Length; i++)
            {
                string dir = Path.Combine(root, "n" + i.ToString(CultureInfo.InvariantCulture));
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }

                nodes[i] = await KiwiDb.OpenAsync(new KiwiDbOptions
                {
                    Path = dir,
                    ActiveExpiry = false,
                    BlockCacheBytes = 64L * 1024 * 1024,
                    Raft = new KiwiRaftOptions { EndPoint = members[i], Members = members },
                }).ConfigureAwait(false);
            }

            KiwiDb leader = await WaitForLeaderAsync(nodes, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            byte[] value = new byte[args.ValueSize];
            Random.Shared.NextBytes(value);

            Phase full = await RunPhaseAsync(leader, args, value, rate: 0).ConfigureAwait(false);
            Phase half = await RunPhaseAsync(leader, args, value, rate: full.OpsPerSecond / 2).ConfigureAwait(false);
            KiwiRaftNode raft = leader.Raft!;
            double adaptorUs = raft.StateMachineTime.TotalMicroseconds / Math.Max(1, raft.AppliedCommands);
            double adaptorEntryUs = raft.StateMachineTime.TotalMicroseconds / Math.Max(1, raft.AppliedEntries);
            double commandsPerEntry = raft.AppliedCommands / (double)Math.Max(1, raft.AppliedEntries);
            KiwiRaftNode follower = Array.Find(nodes, n => n != leader)!.Raft!;
            double followerUs = follower.StateMachineTime.TotalMicroseconds / Math.Max(1, follower.AppliedCommands);
            double failoverMs = await MeasureFailoverAsync(nodes, leader).ConfigureAwait(false);

            if (args.Json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"full\":{full.Json()},\"half\":{half.Json()},\"commands_per_entry\":{commandsPerEntry:F1},\"adaptor_us_per_command_leader\":{adaptorUs:F3},\"adaptor_us_per_entry_leader\":{adaptorEntryUs:F1},\"adaptor_us_per_command_follower\":{followerUs:F3},\"failed_proposals\":{raft.FailedProposals},\"failover_ms\":{failoverMs:F0},\"inflight\":{args.InFlight},\"seconds\":{args.Seconds}}}"));
            }
            else
            {
                Console.WriteLine($"3 nodes on loopback, SET {args.ValueSize} B values, {args.InFlight} in flight on the leader, {args.Seconds} s per phase");
                Console.WriteLine("full load: " + full.Text());
                Console.WriteLine("half load: " + half.Text());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"log entries carried {commandsPerEntry:F1} commands each; state machine (adaptor) {adaptorUs:F3} us per command on the leader ({adaptorEntryUs:F1} us per entry), {followerUs:F3} us per command on a follower (decode + copy); failed proposals {raft.FailedProposals}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failover: the leader stopped; {failoverMs:F0} ms until the first write acknowledged by the new leader"));
            }

            return 0;
        }
        finally
        {
            foreach (KiwiDb node in nodes)
            {
                node?.Dispose();
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // Stops the leader and times how long until another node acknowledges a write.
    private static async Task<double> MeasureFailoverAsync(KiwiDb[] nodes, KiwiDb leader)
    {
        int index = Array.IndexOf(nodes, leader);
        var clock = Stopwatch.StartNew();
        leader.Dispose();
        nodes[index] = null!;
        byte[] key = "failover"u8.ToArray();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (KiwiDb node in nodes)
            {
                if (node is not null && node.CanWrite)
                {
                    try
                    {
                        await node.SetAsync(key, key).ConfigureAwait(false);
                        return clock.Elapsed.TotalMilliseconds;
                    }
                    catch (KiwiException)
                    {
                    }
                }
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return double.NaN;
    }

    private static async Task<KiwiDb> WaitForLeaderAsync(KiwiDb[] nodes, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            foreach (KiwiDb node in nodes)
            {
                if (node.CanWrite)
                {
                    return node;
                }
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException("no Raft leader elected");
    }

    // rate 0: as fast as the in-flight producers go; otherwise paced to that many SETs per second.
    private static async Task<Phase> RunPhaseAsync(KiwiDb db, BenchArgs args, byte[] value, double rate)
    {
        var histograms = new LongHistogram[args.InFlight];
        var counts = new long[args.InFlight * 16];
        var stop = new CancellationTokenSource();
        using var permits = new SemaphoreSlim(0);
        bool measuring = false;
        var workers = new Task[args.InFlight];
        for (int w = 0; w < workers.Length; w++)
        {
            int id = w;
            histograms[id] = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
            workers[w] = Task.Run(async () =>
            {
                var random = new Random(id);
                byte[] key = new byte[16];
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        if (rate > 0)
                        {
                            await permits.WaitAsync(stop.Token).ConfigureAwait(false);
                        }

                        random.NextBytes(key);
                        long start = Stopwatch.GetTimestamp();
                        await db.SetAsync(key, value).ConfigureAwait(false);
                        if (Volatile.Read(ref measuring))
                        {
                            histograms[id].RecordValue((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
                            counts[id * 16]++;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        Thread? pacer = null;
        if (rate > 0)
        {
            pacer = new Thread(() =>
            {
                var clock = Stopwatch.StartNew();
                double released = 0;
                while (!stop.IsCancellationRequested)
                {
                    double due = clock.Elapsed.TotalSeconds * rate;
                    int n = (int)(due - released);
                    if (n > 0)
                    {
                        permits.Release(n);
                        released += n;
                    }

                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "kiwi-bench-pacer" };
            pacer.Start();
        }

        await Task.Delay(TimeSpan.FromSeconds(args.WarmupSeconds)).ConfigureAwait(false);
        Volatile.Write(ref measuring, true);
        long t0 = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds)).ConfigureAwait(false);
        Volatile.Write(ref measuring, false);
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        await stop.CancelAsync().ConfigureAwait(false);
        permits.Release(args.InFlight);
        await Task.WhenAll(workers).ConfigureAwait(false);
        pacer?.Join();

        var merged = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
        long ops = 0;
        for (int i = 0; i < histograms.Length; i++)
        {
            merged.Add(histograms[i]);
            ops += counts[i * 16];
        }

        return new Phase(
            rate,
            ops / elapsed,
            merged.GetValueAtPercentile(50) / 1e6,
            merged.GetValueAtPercentile(95) / 1e6,
            merged.GetValueAtPercentile(99) / 1e6,
            merged.GetValueAtPercentile(99.9) / 1e6);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private readonly record struct Phase(double TargetRate, double OpsPerSecond, double P50Ms, double P95Ms, double P99Ms, double P999Ms)
    {
        public string Json() => string.Create(CultureInfo.InvariantCulture,
            $"{{\"target_ops_per_sec\":{TargetRate:F0},\"ops_per_sec\":{OpsPerSecond:F0},\"p50_ms\":{P50Ms:F3},\"p95_ms\":{P95Ms:F3},\"p99_ms\":{P99Ms:F3},\"p999_ms\":{P999Ms:F3}}}");

        public string Text() => string.Create(CultureInfo.InvariantCulture,
            $"{OpsPerSecond:F0} SET/s{(TargetRate > 0 ? $" (paced at {TargetRate:F0})" : string.Empty)}, p50 {P50Ms:F2} ms, p95 {P95Ms:F2} ms, p99 {P99Ms:F2} ms, p99.9 {P999Ms:F2} ms");
    }
}
