using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace Kiwi.Bench;

/// <content>One timed phase: C clients of one request in flight, the server's RSS and compaction debt watched.</content>
internal static partial class ScaleBench
{
    private enum Op
    {
        GetHit,
        GetMiss,
        Set,
        Mixed,
    }

    private static async Task<PhaseResult> RunPhaseAsync(ScaleServer server, Op op, int keys, byte[] values, int valueSize, BenchArgs args)
    {
        var state = new PhaseState(args.Clients);
        var workers = new Task[args.Clients];
        for (int c = 0; c < workers.Length; c++)
        {
            workers[c] = Task.Run(new Worker(server.Port, op, args.Mix, keys, values, valueSize, state, c).RunAsync);
        }

        using var info = new ScaleClient(server.Port, 256);
        await Task.Delay(TimeSpan.FromSeconds(args.WarmupSeconds));
        StorageState before = await StorageAsync(info);
        state.Measuring = true;
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        long t0 = Stopwatch.GetTimestamp();
        TimeSpan cpu0 = server.CpuTime();
        long maxRss = server.RssBytes();
        double nextReport = args.ReportEvery > 0 ? args.ReportEvery : double.MaxValue;
        (double Seconds, long Ops) last = (0, 0);
        double elapsed;
        while ((elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds) < args.Seconds)
        {
            // RSS sampled every second: the phase's peak, not only its end.
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, args.Seconds - elapsed)));
            if (workers.Any(w => w.IsFaulted))
            {
                await Task.WhenAll(workers);
            }

            long rss = server.RssBytes();
            maxRss = Math.Max(maxRss, rss);
            elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (elapsed >= nextReport && elapsed < args.Seconds)
            {
                long ops = state.LiveOps();
                StorageState now = await StorageAsync(info);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {elapsed,5:F0} s {(ops - last.Ops) / (elapsed - last.Seconds),9:F0} ops/s  server RSS {rss >> 20} MB (max {maxRss >> 20})  pending compaction {now.PendingBytes >> 20} MB  write stalls {now.StallSeconds:F1} s"));
                last = (elapsed, ops);
                nextReport += args.ReportEvery;
            }
        }

        state.Measuring = false;
        elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        TimeSpan cpu = server.CpuTime() - cpu0;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        StorageState after = await StorageAsync(info);
        state.Stop = true;
        await Task.WhenAll(workers);
        long finalRss = server.RssBytes();

        var gets = NewHistogram();
        var sets = NewHistogram();
        long nil = 0;
        for (int c = 0; c < workers.Length; c++)
        {
            gets.Add(state.GetHistograms[c]);
            sets.Add(state.SetHistograms[c]);
            nil += state.Nils[c * 16];
        }

        return new PhaseResult(
            Latency.Of(gets, elapsed),
            Latency.Of(sets, elapsed),
            nil,
            allocated / (double)Math.Max(1, gets.TotalCount + sets.TotalCount),
            finalRss,
            Math.Max(maxRss, finalRss),
            before,
            after,
            cpu0 < TimeSpan.Zero ? -1 : cpu.TotalMicroseconds / Math.Max(1, gets.TotalCount + sets.TotalCount));
    }

    // Latencies in nanoseconds up to an hour: a write held by a RocksDB write stop waits for as long as it lasts.
    private static LongHistogram NewHistogram() => new(MaxLatencyNs, 3);

    private const long MaxLatencyNs = 3600L * 1_000_000_000;

    private static async Task<StorageState> StorageAsync(ScaleClient info)
    {
        string storage = await info.InfoAsync("storage");
        string memory = await info.InfoAsync("memory");
        return new StorageState(
            long.Parse(ScaleClient.InfoField(storage, "pending_compaction_bytes") ?? "0", CultureInfo.InvariantCulture),
            double.Parse(ScaleClient.InfoField(storage, "write_stall_seconds") ?? "0", CultureInfo.InvariantCulture),
            long.Parse(ScaleClient.InfoField(memory, "memory_budget") ?? "0", CultureInfo.InvariantCulture));
    }

    /// <summary>One client: one request in flight, a random key per request, nothing allocated in the loop.</summary>
    private sealed class Worker(int port, Op op, (int Hit, int Miss, int Set) mix, int keys, byte[] values, int valueSize, PhaseState state, int id)
    {
        public async Task RunAsync()
        {
            using var client = new ScaleClient(port, ScaleClient.SetLength(valueSize));
            var random = new Random(id + (1000 * (int)op));
            LongHistogram gets = state.GetHistograms[id];
            LongHistogram sets = state.SetHistograms[id];
            long count = 0;
            long nil = 0;
            while (!state.Stop)
            {
                long k = random.NextInt64(keys);
                Op next = op != Op.Mixed ? op : random.Next(100) switch
                {
                    int r when r < mix.Hit => Op.GetHit,
                    int r when r < mix.Hit + mix.Miss => Op.GetMiss,
                    _ => Op.Set,
                };
                client.Clear();
                switch (next)
                {
                    case Op.GetHit: client.AppendGet(2 * k); break;
                    case Op.GetMiss: client.AppendGet((2 * k) + 1); break;
                    default: client.AppendSet(2 * k, values, valueSize); break;
                }

                long start = Stopwatch.GetTimestamp();
                int nils = await client.ExecuteAsync(1);
                if (state.Measuring)
                {
                    (next == Op.Set ? sets : gets).RecordValue(Math.Min(MaxLatencyNs, (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds));
                    Volatile.Write(ref state.Counts[id * 16], ++count);
                    nil += nils;
                }
            }

            state.Nils[id * 16] = nil;
        }
    }

    private sealed class PhaseState
    {
        public PhaseState(int clients)
        {
            GetHistograms = new LongHistogram[clients];
            SetHistograms = new LongHistogram[clients];
            for (int i = 0; i < clients; i++)
            {
                GetHistograms[i] = NewHistogram();
                SetHistograms[i] = NewHistogram();
            }

            // One slot per 128-byte line: each client writes only its own.
            Counts = new long[clients * 16];
            Nils = new long[clients * 16];
        }

        public LongHistogram[] GetHistograms { get; }

        public LongHistogram[] SetHistograms { get; }

        public long[] Counts { get; }

        public long[] Nils { get; }

        public volatile bool Measuring;

        public volatile bool Stop;

        /// <summary>Requests measured so far, all clients (read while they run: each slot is written by its client alone).</summary>
        public long LiveOps()
        {
            long sum = 0;
            for (int i = 0; i < Counts.Length; i += 16)
            {
                sum += Volatile.Read(ref Counts[i]);
            }

            return sum;
        }
    }

    /// <summary>Requests of one kind in a phase: rate and latency percentiles.</summary>
    private readonly record struct Latency(long Ops, double OpsPerSecond, double P50Ms, double P99Ms, double P999Ms, double MaxMs)
    {
        public static Latency Of(LongHistogram h, double seconds) => h.TotalCount == 0
            ? default
            : new(h.TotalCount, h.TotalCount / seconds, h.GetValueAtPercentile(50) / 1e6, h.GetValueAtPercentile(99) / 1e6, h.GetValueAtPercentile(99.9) / 1e6, h.GetMaxValue() / 1e6);
    }

    /// <summary>INFO storage's compaction debt and stall time, and INFO memory's budget.</summary>
    private readonly record struct StorageState(long PendingBytes, double StallSeconds, long BudgetBytes);

    private readonly record struct PhaseResult(Latency Gets, Latency Sets, long Nil, double AllocBytesPerOp, long FinalRss, long MaxRss, StorageState Before, StorageState After, double ServerCpuUsPerOp);
}
