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
internal static partial class ScaleBench
{
    private const int LoadPipeline = 64;

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
        string marker = Path.Combine(dir, "kiwi-scale-bench.loaded");
        string loaded = string.Create(CultureInfo.InvariantCulture, $"{keys} keys of {valueSize} B, {(args.RepeatedValues ? "repeated" : "random")}");
        bool reuse = args.Reuse && args.Directory is not null && File.Exists(marker) && File.ReadAllText(marker) == loaded;
        if (!reuse && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        try
        {
            if (reuse)
            {
                Console.WriteLine($"reusing {dir}: {loaded}");
            }
            else
            {
                await using (ScaleServer loader = await ScaleServer.StartAsync(executable, port, dir, caches[0], args.ServerArgs + " " + args.LoadServerArgs))
                {
                    await LoadAsync(loader, keys, values, valueSize, args.Clients);
                }

                File.WriteAllText(marker, loaded);
            }

            // Every round starts a server on the loaded data, so each sees the same files (the load's memtable
            // was flushed by the restart) and starts with a cold block cache. The first also waits for the
            // compactions the load left behind, which would otherwise compete with its reads (unless asked to
            // start with that debt).
            for (int i = 0; i < caches.Count; i++)
            {
                long cache = caches[i];
                await using ScaleServer server = await ScaleServer.StartAsync(executable, port, dir, cache, args.ServerArgs);
                if (i == 0 && !args.NoSettle)
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
    private static Task LoadAsync(ScaleServer server, int keys, byte[] values, int valueSize, int clients)
        => EveryKeyAsync(server, keys, values, valueSize, clients, set: true);

    // GETs of every loaded key in key order, pipelined: each data block is read once and then found in the cache,
    // so a cache at least as large as the data holds all of it (random GETs alone would take many times the
    // number of blocks to touch every one).
    private static Task PrewarmAsync(ScaleServer server, int keys, int valueSize, int clients)
        => EveryKeyAsync(server, keys, [], valueSize, clients, set: false);

    private static async Task EveryKeyAsync(ScaleServer server, int keys, byte[] values, int valueSize, int clients, bool set)
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
                // Loads deal the keys out to the clients in turn; a prewarm gives each client a run of neighbours.
                long per = (keys + clients - 1) / clients;
                (long first, long end, long step) = set ? (id, keys, clients) : (id * per, Math.Min(keys, (id + 1) * per), 1L);
                for (long k = first; k < end; k += step)
                {
                    if (set)
                    {
                        client.AppendSet(2 * k, values, valueSize);
                    }
                    else
                    {
                        client.AppendGet(2 * k);
                    }

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
            $"{(set ? "loaded" : "prewarmed")} {keys} keys of {valueSize} B in {seconds:F1} s ({keys / seconds:F0} {(set ? "SET" : "GET")}/s, {clients} clients x {LoadPipeline} pipelined)"));
    }

    private static async Task RunRoundAsync(ScaleServer server, string label, int keys, byte[] values, int valueSize, BenchArgs args)
    {
        if (!args.Json)
        {
            Console.WriteLine($"{label}, {args.Clients} clients, {args.Seconds} s per phase after {args.WarmupSeconds} s warmup");
            if (args.Prewarm)
            {
                await PrewarmAsync(server, keys, valueSize, args.Clients);
            }

            using var info = new ScaleClient(server.Port, 256);
            StorageState start = await StorageAsync(info);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  at start: pending compaction {start.PendingBytes >> 20} MB, write stalls {start.StallSeconds:F1} s"));
        }

        foreach (string phase in args.Phases)
        {
            Op op = phase switch
            {
                "hit" => Op.GetHit,
                "miss" => Op.GetMiss,
                "set" => Op.Set,
                "mixed" => Op.Mixed,
                _ => throw new ArgumentException($"unknown phase {phase} (hit, miss, set, mixed)"),
            };
            PhaseResult r = await RunPhaseAsync(server, op, keys, values, valueSize, args);
            string name = op switch
            {
                Op.GetHit => "GET hit",
                Op.GetMiss => "GET miss",
                Op.Set => "SET",
                _ => string.Create(CultureInfo.InvariantCulture, $"mixed {args.Mix.Hit}/{args.Mix.Miss}/{args.Mix.Set}"),
            };
            if (args.Json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"round\":\"{label}\",\"phase\":\"{name}\",{Json("get", r.Gets)},{Json("set", r.Sets)},\"nil_replies\":{r.Nil},\"rss_bytes\":{r.FinalRss},\"max_rss_bytes\":{r.MaxRss},\"memory_budget_bytes\":{r.After.BudgetBytes},\"pending_compaction_bytes_start\":{r.Before.PendingBytes},\"pending_compaction_bytes_end\":{r.After.PendingBytes},\"write_stall_seconds\":{r.After.StallSeconds - r.Before.StallSeconds:F3},\"server_cpu_us_per_op\":{r.ServerCpuUsPerOp:F1},\"bench_alloc_bytes_per_op\":{r.AllocBytesPerOp:F2},\"clients\":{args.Clients},\"keys\":{keys},\"value\":{valueSize}}}"));
                continue;
            }

            string rss = r.FinalRss < 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{r.FinalRss >> 20} MB (max {r.MaxRss >> 20} MB, budget {r.After.BudgetBytes >> 20} MB)");
            if (op == Op.Mixed)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {r.Gets.OpsPerSecond + r.Sets.OpsPerSecond:F0} ops/s  nil {r.Nil}/{r.Gets.Ops}"));
                Console.WriteLine(Line("GET", r.Gets));
                Console.WriteLine(Line("SET", r.Sets));
            }
            else
            {
                Console.WriteLine(Line(name, op == Op.Set ? r.Sets : r.Gets) + string.Create(CultureInfo.InvariantCulture, $"  nil {r.Nil}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"           server RSS {rss}  pending compaction {r.Before.PendingBytes >> 20} -> {r.After.PendingBytes >> 20} MB  write stalls {r.After.StallSeconds - r.Before.StallSeconds:F1} s  server CPU {r.ServerCpuUsPerOp:F1} us/op  bench {r.AllocBytesPerOp:F2} B/op"));
        }
    }

    private static string Line(string name, Latency l) => string.Create(CultureInfo.InvariantCulture,
        $"  {name,-8} {l.OpsPerSecond,9:F0} ops/s  p50 {l.P50Ms,7:F3} ms  p99 {l.P99Ms,7:F3} ms  p99.9 {l.P999Ms,7:F3} ms  max {l.MaxMs,7:F0} ms");

    private static string Json(string kind, Latency l) => string.Create(CultureInfo.InvariantCulture,
        $"\"{kind}_ops_per_sec\":{l.OpsPerSecond:F0},\"{kind}_p50_ms\":{l.P50Ms:F3},\"{kind}_p99_ms\":{l.P99Ms:F3},\"{kind}_p999_ms\":{l.P999Ms:F3},\"{kind}_max_ms\":{l.MaxMs:F3}");

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
}
