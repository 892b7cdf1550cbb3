using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Bench;

/// <summary>
/// <c>kiwi-bench pipeline</c>: SET through <see cref="KiwiDb"/> with many commands in flight, then the same
/// puts written straight to RocksDB in fixed-size WriteBatches with the same options, in one process.
/// </summary>
internal static class PipelineBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        string root = args.Directory ?? Path.Combine(Path.GetTempPath(), "kiwi-bench-" + Environment.ProcessId);
        byte[] keys = MakeKeys(args.Keys);
        byte[] value = new byte[args.ValueSize];
        Random.Shared.NextBytes(value);

        PipelineResult pipeline = await RunPipelineAsync(Path.Combine(root, "pipeline"), keys, value, args).ConfigureAwait(false);
        (double raw, double rawCpuUs) = RunRaw(Path.Combine(root, "raw"), keys, value, args);
        TryDelete(root);

        double ratio = pipeline.OpsPerSecond / raw;
        if (args.Json)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"pipeline_ops_per_sec\":{pipeline.OpsPerSecond:F0},\"raw_ops_per_sec\":{raw:F0},\"ratio\":{ratio:F3},\"alloc_bytes_per_op\":{pipeline.AllocBytesPerOp:F3},\"p50_us\":{pipeline.P50Us:F1},\"p99_us\":{pipeline.P99Us:F1},\"p999_us\":{pipeline.P999Us:F1},\"avg_batch\":{pipeline.AvgBatch:F1},\"pipeline_cpu_us_per_op\":{pipeline.CpuUsPerOp:F2},\"writer_cpu_us_per_op\":{pipeline.WriterCpuUsPerOp:F2},\"raw_cpu_us_per_op\":{rawCpuUs:F2},\"inflight\":{args.InFlight},\"seconds\":{args.Seconds}}}"));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pipeline {pipeline.OpsPerSecond:F0} ops/s, raw RocksDB {raw:F0} ops/s, ratio {ratio:F3}, {pipeline.AllocBytesPerOp:F3} B/op allocated, p50 {pipeline.P50Us:F1} us, p99 {pipeline.P99Us:F1} us, avg batch {pipeline.AvgBatch:F1}, CPU per SET {pipeline.CpuUsPerOp:F2} us (writer thread {pipeline.WriterCpuUsPerOp:F2}) vs raw {rawCpuUs:F2} us"));
        }

        return 0;
    }

    /// <summary>16-byte keys: an 8-byte mixed index and the index itself, so they are unique and spread.</summary>
    private static byte[] MakeKeys(int count)
    {
        byte[] keys = new byte[count * 16];
        for (int i = 0; i < count; i++)
        {
            ulong mixed = (ulong)i * 0x9E3779B97F4A7C15UL;
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan(i * 16), mixed);
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan((i * 16) + 8), (ulong)i);
        }

        return keys;
    }

    private static async Task<PipelineResult> RunPipelineAsync(string path, byte[] keys, byte[] value, BenchArgs args)
    {
        TryDelete(path);
        using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = path, Durability = Durability.EverySec, ReadCacheBytes = args.ReadCache });
        int keyCount = keys.Length / 16;
        var state = new LoadState(args.InFlight);

        var workers = new Task[args.InFlight];
        for (int w = 0; w < workers.Length; w++)
        {
            int id = w;
            workers[w] = Task.Run(() => ProducerAsync(db, keys, keyCount, value, state, id));
        }

        await Task.Delay(TimeSpan.FromSeconds(args.WarmupSeconds)).ConfigureAwait(false);
        state.Measuring = true;
        long ops0 = state.TotalOps();
        long batches0 = db.BatchesWritten;
        long entries0 = db.EntriesApplied;
        double cpu0 = ThreadCpu.Process();
        double writer0 = ThreadCpu.Named(WriterThread);
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        long t0 = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds)).ConfigureAwait(false);
        long alloc1 = GC.GetTotalAllocatedBytes(precise: true);
        long ops1 = state.TotalOps();
        double cpu1 = ThreadCpu.Process();
        double writer1 = ThreadCpu.Named(WriterThread);
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long batches1 = db.BatchesWritten;
        long entries1 = db.EntriesApplied;
        state.Measuring = false;
        state.Stop = true;
        await Task.WhenAll(workers).ConfigureAwait(false);

        LongHistogram merged = state.Merge();
        long ops = ops1 - ops0;
        return new PipelineResult(
            ops / elapsed,
            (alloc1 - alloc0) / (double)Math.Max(1, ops),
            merged.GetValueAtPercentile(50) / 1000.0,
            merged.GetValueAtPercentile(99) / 1000.0,
            merged.GetValueAtPercentile(99.9) / 1000.0,
            (entries1 - entries0) / (double)Math.Max(1, batches1 - batches0),
            (cpu1 - cpu0) * 1e6 / Math.Max(1, ops),
            (writer1 - writer0) * 1e6 / Math.Max(1, ops));
    }

    // The name ApplyWorker gives its thread.
    private const string WriterThread = "kiwi-apply";

    private static async Task ProducerAsync(KiwiDb db, byte[] keys, int keyCount, byte[] value, LoadState state, int id)
    {
        var random = new Random(id);
        LongHistogram histogram = state.Histograms[id];
        long count = 0;
        while (!state.Stop)
        {
            int k = random.Next(keyCount);
            long start = Stopwatch.GetTimestamp();
            await db.SetAsync(keys.AsSpan(k * 16, 16), value).ConfigureAwait(false);
            if (state.Measuring)
            {
                histogram.RecordValue((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
            }

            count++;
            if ((count & 63) == 0)
            {
                Volatile.Write(ref state.Ops[id * 16], count);
            }
        }

        Volatile.Write(ref state.Ops[id * 16], count);
    }

    /// <summary>
    /// The same puts (same key and value encoding, same options) straight into RocksDB, batched: puts per second
    /// and the process's CPU microseconds per put.
    /// </summary>
    private static (double OpsPerSecond, double CpuUsPerOp) RunRaw(string path, byte[] keys, byte[] value, BenchArgs args)
    {
        TryDelete(path);
        using RocksEngine engine = RocksEngine.Open(path);
        RocksStore store = engine.Store;
        RocksColumn meta = store.Column((int)KeySpace.Meta);
        using var batch = new RocksWriteBatch();
        using var metaKey = new ByteBuffer();
        byte[] record = new byte[MetaValue.HeaderSize + value.Length];
        MetaValue.WriteHeader(record, KeyType.String, 0);
        value.CopyTo(record, MetaValue.HeaderSize);
        int keyCount = keys.Length / 16;
        var random = new Random(42);
        using var sync = new Timer(_ => store.FlushWal(sync: true), null, 1000, 1000);

        long ops = 0;
        double cpu0 = 0;
        long warmupEnd = Stopwatch.GetTimestamp() + (long)(args.WarmupSeconds * Stopwatch.Frequency);
        long t0 = 0;
        long end = long.MaxValue;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (t0 == 0 && now >= warmupEnd)
            {
                t0 = now;
                ops = 0;
                cpu0 = ThreadCpu.Process();
                end = now + (long)(args.Seconds * Stopwatch.Frequency);
            }

            if (now >= end)
            {
                break;
            }

            batch.Clear();
            for (int i = 0; i < args.RawBatch; i++)
            {
                int k = random.Next(keyCount);
                batch.Put(meta, KeyCodec.Meta(metaKey, 0, keys.AsSpan(k * 16, 16)), record);
            }

            store.Write(batch, sync: false);
            ops += args.RawBatch;
        }

        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (ops / elapsed, (ThreadCpu.Process() - cpu0) * 1e6 / Math.Max(1, ops));
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    private sealed class LoadState
    {
        public LoadState(int producers)
        {
            Histograms = new LongHistogram[producers];
            for (int i = 0; i < producers; i++)
            {
                Histograms[i] = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
            }

            // One counter per 128-byte line so producers do not false-share.
            Ops = new long[producers * 16];
        }

        public LongHistogram[] Histograms { get; }

        public long[] Ops { get; }

        public volatile bool Measuring;

        public volatile bool Stop;

        public long TotalOps()
        {
            long total = 0;
            for (int i = 0; i < Ops.Length; i += 16)
            {
                total += Volatile.Read(ref Ops[i]);
            }

            return total;
        }

        public LongHistogram Merge()
        {
            var merged = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
            foreach (LongHistogram h in Histograms)
            {
                merged.Add(h);
            }

            return merged;
        }
    }

    private readonly record struct PipelineResult(double OpsPerSecond, double AllocBytesPerOp, double P50Us, double P99Us, double P999Us, double AvgBatch, double CpuUsPerOp, double WriterCpuUsPerOp);
}
