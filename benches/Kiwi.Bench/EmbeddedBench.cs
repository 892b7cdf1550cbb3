using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using HdrHistogram;
using Kiwi.Core;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Bench;

/// <summary>
/// <c>kiwi-bench embedded</c>: the report's categories through <see cref="KiwiDb"/> in this process, one JSON line
/// each: a single command awaited before the next (SET, GET), batches of 10/50/100/500 SETs submitted then awaited,
/// sustained SET throughput with many in flight, and the adaptor overhead: the same puts written straight to
/// RocksDB (one and 64 per write) against SET through the writer, on one engine with one set of options.
/// The shapes are those of the BenchmarkDotNet suite (Kiwi.Benchmarks), timed here with percentiles.
/// </summary>
internal static class EmbeddedBench
{
    private const int KeySize = 16;
    private const int PerWrite = 64;
    private const long MaxLatencyNs = 60L * 1_000_000_000;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        string root = args.Directory ?? Path.Combine(Path.GetTempPath(), "kiwi-bench-embedded-" + Environment.ProcessId);
        TryDelete(root);
        Directory.CreateDirectory(root);
        try
        {
            int keyCount = args.KeysOption ?? 100_000;
            byte[] keys = MakeKeys(keyCount);
            byte[] value = new byte[args.ValueSize];
            new Random(42).NextBytes(value);
            // Each case but the sustained run is short: it is a per-operation cost, steady after a second or two.
            double caseSeconds = Math.Min(args.Seconds, 3);

            using RocksEngine engine = RocksEngine.Open(root);
            using KiwiDb db = KiwiDb.Open(engine, new KiwiDbOptions { Path = root, ActiveExpiry = false });
            var run = new Runner(db, engine.Store, keys, value, args);
            await run.PopulateAsync().ConfigureAwait(false);
            Emit(args, "single", await run.LatencyAsync("SET", caseSeconds, run.SetOneAsync).ConfigureAwait(false));
            Emit(args, "single", await run.LatencyAsync("GET", caseSeconds, run.GetOne).ConfigureAwait(false));
            foreach (int size in (int[])[10, 50, 100, 500])
            {
                Emit(args, "batch", (await run.CostAsync("SET", size, caseSeconds, r => run.SetManyAsync(r, size)).ConfigureAwait(false)).Add("batch", size, "F0"));
            }

            Emit(args, "sustained", await run.SustainedAsync(args.InFlight, args.Seconds).ConfigureAwait(false));
            foreach (int perWrite in (int[])[1, PerWrite])
            {
                Emit(args, "adaptor", (await run.CostAsync("direct", perWrite, caseSeconds, r => run.Direct(r, perWrite)).ConfigureAwait(false)).Add("per_write", perWrite, "F0"));
                Emit(args, "adaptor", (await run.CostAsync("writer", perWrite, caseSeconds, r => run.SetManyAsync(r, perWrite)).ConfigureAwait(false)).Add("per_write", perWrite, "F0"));
            }

            return 0;
        }
        finally
        {
            TryDelete(root);
        }
    }

    private static void Emit(BenchArgs args, string category, ResultLine line)
    {
        string text = line.ToString();
        Console.WriteLine(args.Json ? text.Insert(1, $"\"category\":\"{category}\",") : category + " " + text);
    }

    private static ReadOnlySpan<byte> Key(byte[] keys, int i) => keys.AsSpan(i * KeySize, KeySize);

    /// <summary>16-byte keys: an 8-byte mixed index and the index itself, so they are unique and spread.</summary>
    private static byte[] MakeKeys(int count)
    {
        byte[] keys = new byte[count * KeySize];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan(i * KeySize), (ulong)i * 0x9E3779B97F4A7C15UL);
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan((i * KeySize) + 8), (ulong)i);
        }

        return keys;
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

    /// <summary>The cases, over one open database; each case awaits its operations one group at a time (the writer has its own thread).</summary>
    private sealed class Runner(KiwiDb db, RocksStore store, byte[] keys, byte[] value, BenchArgs args)
    {
        private readonly int _keyCount = keys.Length / KeySize;
        private readonly ArrayBufferWriter<byte> _output = new(256);
        private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[500];
        private readonly RocksColumn _meta = store.Column((int)KeySpace.Meta);
        private readonly RocksWriteBatch _batch = new();
        private readonly ByteBuffer _metaKey = new();
        private readonly byte[] _record = new byte[MetaValue.HeaderSize + value.Length];

        /// <summary>Writes every key once, 500 in flight, so reads hit and overwrites find a record.</summary>
        public async Task PopulateAsync()
        {
            for (int start = 0; start < _keyCount; start += _pending.Length)
            {
                int count = Math.Min(_pending.Length, _keyCount - start);
                for (int i = 0; i < count; i++)
                {
                    _pending[i] = db.SetAsync(Key(keys, start + i), value);
                }

                for (int i = 0; i < count; i++)
                {
                    await _pending[i].ConfigureAwait(false);
                }
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask SetOneAsync(Random random) => await db.SetAsync(Key(keys, random.Next(_keyCount)), value).ConfigureAwait(false);

        public ValueTask GetOne(Random random)
        {
            _output.ResetWrittenCount();
            db.TryGet(Key(keys, random.Next(_keyCount)), _output);
            return ValueTask.CompletedTask;
        }

        /// <summary>Submits <paramref name="size"/> SETs, then awaits each.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask SetManyAsync(Random random, int size)
        {
            for (int i = 0; i < size; i++)
            {
                _pending[i] = db.SetAsync(Key(keys, random.Next(_keyCount)), value);
            }

            for (int i = 0; i < size; i++)
            {
                await _pending[i].ConfigureAwait(false);
            }
        }

        /// <summary>The same string records as SET stores, <paramref name="size"/> puts in one storage write.</summary>
        public ValueTask Direct(Random random, int size)
        {
            _batch.Clear();
            for (int i = 0; i < size; i++)
            {
                MetaValue.WriteHeader(_record, KeyType.String, 0);
                value.CopyTo(_record.AsSpan(MetaValue.HeaderSize));
                _batch.Put(_meta, KeyCodec.Meta(_metaKey, 0, Key(keys, random.Next(_keyCount))), _record);
            }

            store.Write(_batch, sync: false);
            return ValueTask.CompletedTask;
        }

        /// <summary>One operation at a time for <paramref name="seconds"/>: rate and each operation's latency.</summary>
        public async Task<ResultLine> LatencyAsync(string op, double seconds, Func<Random, ValueTask> once)
        {
            var random = new Random(1);
            var histogram = new LongHistogram(MaxLatencyNs, 3);
            await LoopAsync(args.WarmupSeconds, once, random).ConfigureAwait(false);
            long t0 = Stopwatch.GetTimestamp();
            long end = t0 + (long)(seconds * Stopwatch.Frequency);
            long now = t0;
            while (now < end)
            {
                await once(random).ConfigureAwait(false);
                long after = Stopwatch.GetTimestamp();
                histogram.RecordValue((long)((after - now) * 1e9 / Stopwatch.Frequency));
                now = after;
            }

            double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            return new ResultLine("embedded", args.Tags).Add("op", op)
                .Add("ops_per_sec", histogram.TotalCount / elapsed, "F0")
                .Add("ns_per_op", elapsed * 1e9 / histogram.TotalCount, "F0")
                .AddPercentiles(histogram);
        }

        /// <summary>Groups of <paramref name="size"/> operations for <paramref name="seconds"/>: the cost of one.</summary>
        public async Task<ResultLine> CostAsync(string op, int size, double seconds, Func<Random, ValueTask> group)
        {
            var random = new Random(2);
            await LoopAsync(args.WarmupSeconds, group, random).ConfigureAwait(false);
            long t0 = Stopwatch.GetTimestamp();
            long groups = await LoopAsync(seconds, group, random).ConfigureAwait(false);
            double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            long ops = groups * size;
            return new ResultLine("embedded", args.Tags).Add("op", op)
                .Add("ops_per_sec", ops / elapsed, "F0")
                .Add("ns_per_op", elapsed * 1e9 / ops, "F0");
        }

        /// <summary><paramref name="inFlight"/> producers, each awaiting its SET before the next, for <paramref name="seconds"/>.</summary>
        public async Task<ResultLine> SustainedAsync(int inFlight, double seconds)
        {
            var histograms = new LongHistogram[inFlight];
            bool stop = false;
            bool measuring = false;
            var producers = new Task[inFlight];
            for (int p = 0; p < inFlight; p++)
            {
                int id = p;
                histograms[id] = new LongHistogram(MaxLatencyNs, 3);
                producers[id] = Task.Run(async () =>
                {
                    var random = new Random(id + 3);
                    while (!Volatile.Read(ref stop))
                    {
                        long start = Stopwatch.GetTimestamp();
                        await db.SetAsync(Key(keys, random.Next(_keyCount)), value).ConfigureAwait(false);
                        if (Volatile.Read(ref measuring))
                        {
                            histograms[id].RecordValue((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
                        }
                    }
                });
            }

            await Task.Delay(TimeSpan.FromSeconds(args.WarmupSeconds)).ConfigureAwait(false);
            Volatile.Write(ref measuring, true);
            long t0 = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            Volatile.Write(ref measuring, false);
            double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Volatile.Write(ref stop, true);
            await Task.WhenAll(producers).ConfigureAwait(false);

            var merged = new LongHistogram(MaxLatencyNs, 3);
            foreach (LongHistogram h in histograms)
            {
                merged.Add(h);
            }

            return new ResultLine("embedded", args.Tags).Add("op", "SET")
                .Add("in_flight", inFlight, "F0")
                .Add("seconds", elapsed, "F2")
                .Add("ops_per_sec", merged.TotalCount / elapsed, "F0")
                .AddPercentiles(merged);
        }

        // Runs body until the time is up; returns how many times it ran.
        private static async Task<long> LoopAsync(double seconds, Func<Random, ValueTask> body, Random random)
        {
            long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            long count = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                await body(random).ConfigureAwait(false);
                count++;
            }

            return count;
        }
    }
}
