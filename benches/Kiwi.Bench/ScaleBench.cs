using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;

namespace Kiwi.Bench;

/// <summary>
/// <c>kiwi-bench scale</c>: loads N keys into a kiwi-server (started by the bench, or one given with --target),
/// then, at each block cache size asked for, restarts it on the same data and runs random GET hits, GET misses
/// and SET overwrites for a fixed time each with C clients of one request in flight, reporting ops/s, latency
/// percentiles and the server's RSS. Values are random bytes by default, so the data on disk is as large as the
/// data; <c>--values repeated</c> loads compressible ones like redis-benchmark's.
/// </summary>
internal static class ScaleBench
{
    private const int LoadPipeline = 64;

    private enum Op
    {
        GetHit,
        GetMiss,
        Set,
    }

    public static async Task<int> RunAsync(BenchArgs args)
    {
        int keys = args.KeysOption ?? 10_000_000;
        int valueSize = args.ValueSizeOption ?? 200;
        long dataBytes = (long)keys * valueSize;
        byte[] values = new byte[(1 << 20) + valueSize];
        if (args.RepeatedValues)
        {
            values.AsSpan().Fill((byte)'x');
        }
        else
        {
            new Random(7).NextBytes(values);
        }

        if (args.Target)
        {
            await using ScaleServer target = ScaleServer.Existing(args.Port);
            await LoadAsync(target, keys, values, valueSize, args.Clients);
            await RunRoundAsync(target, "target", keys, values, valueSize, args);
            return 0;
        }

        List<long> caches = [.. args.BlockCaches, .. args.CacheRatios.Select(r => Math.Max(1L << 20, (long)(r * dataBytes)))];
        if (caches.Count == 0)
        {
            caches.Add(256L << 20);
        }

        string executable = args.ServerPath ?? ScaleServer.FindExecutable();
        string dir = args.Directory ?? Path.Combine(Path.GetTempPath(), "kiwi-scale-bench-" + Environment.ProcessId);
        int port = args.Port != 0 ? args.Port : FreePort();
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        try
        {
            await using (ScaleServer loader = await ScaleServer.StartAsync(executable, port, dir, caches[0], args.ServerArgs))
            {
                await LoadAsync(loader, keys, values, valueSize, args.Clients);
            }

            // Every round starts a server on the loaded data, so each sees the same files (the load's memtable
            // was flushed by the restart) and starts with a cold block cache. The first also waits for the
            // compactions the load left behind, which would otherwise compete with its reads.
            for (int i = 0; i < caches.Count; i++)
            {
                long cache = caches[i];
                await using ScaleServer server = await ScaleServer.StartAsync(executable, port, dir, cache, args.ServerArgs);
                if (i == 0)
                {
                    await WaitForQuietFilesAsync(dir);
                }

                string label = string.Create(CultureInfo.InvariantCulture, $"block cache {cache >> 20} MB = {cache / (double)dataBytes:F3} of {dataBytes >> 20} MB data");
                await RunRoundAsync(server, label, keys, values, valueSize, args);
            }
        }
        finally
        {
            if (args.Directory is null && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    // Every key once, split over the clients, LoadPipeline SETs per round trip. Loaded keys have even indexes and
    // misses odd ones, so an absent key falls inside a file's key range and is turned away by its filter, not by
    // the range (a key past every loaded one would never reach a filter).
    private static async Task LoadAsync(ScaleServer server, int keys, byte[] values, int valueSize, int clients)
    {
        long t0 = Stopwatch.GetTimestamp();
        var loaders = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            int id = c;
            loaders[c] = Task.Run(async () =>
            {
                using var client = new ScaleClient(server.Port, LoadPipeline * ScaleClient.SetLength(valueSize));
                int batch = 0;
                client.Clear();
                for (long k = id; k < keys; k += clients)
                {
                    client.AppendSet(2 * k, values, valueSize);
                    if (++batch == LoadPipeline)
                    {
                        await client.ExecuteAsync(batch);
                        client.Clear();
                        batch = 0;
                    }
                }

                await client.ExecuteAsync(batch);
            });
        }

        await Task.WhenAll(loaders);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loaded {keys} keys of {valueSize} B in {seconds:F1} s ({keys / seconds:F0} SET/s, {clients} clients x {LoadPipeline} pipelined)"));
    }

    private static async Task RunRoundAsync(ScaleServer server, string label, int keys, byte[] values, int valueSize, BenchArgs args)
    {
        if (!args.Json)
        {
            Console.WriteLine($"{label}, {args.Clients} clients, {args.Seconds} s per phase after {args.WarmupSeconds} s warmup");
        }

        foreach (string phase in args.Phases)
        {
            Op op = phase switch
            {
                "hit" => Op.GetHit,
                "miss" => Op.GetMiss,
                "set" => Op.Set,
                _ => throw new ArgumentException($"unknown phase {phase} (hit, miss, set)"),
            };
            PhaseResult r = await RunPhaseAsync(server, op, keys, values, valueSize, args);
            long rss = server.RssBytes();
            string name = op switch { Op.GetHit => "GET hit", Op.GetMiss => "GET miss", _ => "SET" };
            if (args.Json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"round\":\"{label}\",\"phase\":\"{name}\",\"ops_per_sec\":{r.OpsPerSecond:F0},\"p50_ms\":{r.P50Ms:F3},\"p99_ms\":{r.P99Ms:F3},\"p999_ms\":{r.P999Ms:F3},\"nil_replies\":{r.Nil},\"ops\":{r.Ops},\"rss_bytes\":{rss},\"bench_alloc_bytes_per_op\":{r.AllocBytesPerOp:F2},\"clients\":{args.Clients},\"keys\":{keys},\"value\":{valueSize}}}"));
            }
            else
            {
                string rssText = rss < 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{rss >> 20} MB");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-8} {r.OpsPerSecond,9:F0} ops/s  p50 {r.P50Ms,7:F3} ms  p99 {r.P99Ms,7:F3} ms  p99.9 {r.P999Ms,7:F3} ms  nil {r.Nil}/{r.Ops}  server RSS {rssText}  bench {r.AllocBytesPerOp:F2} B/op"));
            }
        }
    }

    private static async Task<PhaseResult> RunPhaseAsync(ScaleServer server, Op op, int keys, byte[] values, int valueSize, BenchArgs args)
    {
        var state = new PhaseState(args.Clients);
        var workers = new Task[args.Clients];
        for (int c = 0; c < workers.Length; c++)
        {
            workers[c] = Task.Run(new Worker(server.Port, op, keys, values, valueSize, state, c).RunAsync);
        }

        await Task.Delay(TimeSpan.FromSeconds(args.WarmupSeconds));
        state.Measuring = true;
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        long t0 = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds));
        state.Measuring = false;
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        state.Stop = true;
        await Task.WhenAll(workers);

        var merged = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
        long ops = 0;
        long nil = 0;
        for (int c = 0; c < workers.Length; c++)
        {
            merged.Add(state.Histograms[c]);
            ops += state.Counts[c * 16];
            nil += state.Nils[c * 16];
        }

        return new PhaseResult(
            ops / elapsed,
            merged.GetValueAtPercentile(50) / 1e6,
            merged.GetValueAtPercentile(99) / 1e6,
            merged.GetValueAtPercentile(99.9) / 1e6,
            ops,
            nil,
            allocated / (double)Math.Max(1, ops));
    }

    // Compactions show as SST files appearing and disappearing: wait until the set has not changed for 5 s.
    private static async Task WaitForQuietFilesAsync(string dir)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        TimeSpan stableSince = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            string now = string.Join(',', Directory.GetFiles(dir, "*.sst").Order(StringComparer.Ordinal).Select(f => f + ":" + new FileInfo(f).Length));
            if (now != last)
            {
                last = now;
                stableSince = clock.Elapsed;
            }
            else if (clock.Elapsed - stableSince >= TimeSpan.FromSeconds(5))
            {
                break;
            }

            await Task.Delay(500);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compactions settled after {clock.Elapsed.TotalSeconds:F0} s: {Directory.GetFiles(dir, "*.sst").Length} SST files, {Directory.GetFiles(dir, "*.sst").Sum(f => new FileInfo(f).Length) >> 20} MB"));
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>One client: one request in flight, a random key per request, nothing allocated in the loop.</summary>
    private sealed class Worker(int port, Op op, int keys, byte[] values, int valueSize, PhaseState state, int id)
    {
        public async Task RunAsync()
        {
            using var client = new ScaleClient(port, ScaleClient.SetLength(valueSize));
            var random = new Random(id + (1000 * (int)op));
            LongHistogram histogram = state.Histograms[id];
            long count = 0;
            long nil = 0;
            while (!state.Stop)
            {
                long k = random.NextInt64(keys);
                client.Clear();
                switch (op)
                {
                    case Op.GetHit: client.AppendGet(2 * k); break;
                    case Op.GetMiss: client.AppendGet((2 * k) + 1); break;
                    default: client.AppendSet(2 * k, values, valueSize); break;
                }

                long start = Stopwatch.GetTimestamp();
                int nils = await client.ExecuteAsync(1);
                if (state.Measuring)
                {
                    histogram.RecordValue((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
                    count++;
                    nil += nils;
                }
            }

            state.Counts[id * 16] = count;
            state.Nils[id * 16] = nil;
        }
    }

    private sealed class PhaseState
    {
        public PhaseState(int clients)
        {
            Histograms = new LongHistogram[clients];
            for (int i = 0; i < clients; i++)
            {
                Histograms[i] = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
            }

            // One slot per 128-byte line: each client writes only its own, once, when it stops.
            Counts = new long[clients * 16];
            Nils = new long[clients * 16];
        }

        public LongHistogram[] Histograms { get; }

        public long[] Counts { get; }

        public long[] Nils { get; }

        public volatile bool Measuring;

        public volatile bool Stop;
    }

    private readonly record struct PhaseResult(double OpsPerSecond, double P50Ms, double P99Ms, double P999Ms, long Ops, long Nil, double AllocBytesPerOp);
}
