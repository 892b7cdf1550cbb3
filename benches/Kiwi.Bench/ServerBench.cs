using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace Kiwi.Bench;

/// <summary>
/// <c>kiwi-bench server</c>: a load generator for any RESP server already listening on <c>--port</c> (Kiwi.Fast,
/// redis-server, Garnet): C connections, each sending batches of P commands drawn from the mix and waiting for
/// all replies before the next batch. Per-reply latencies go to HdrHistogram; the result is one line (JSON with
/// <c>--json</c>).
/// </summary>
internal static class ServerBench
{
    // Latencies in nanoseconds up to a minute: an fsync stall or a GC pause is recorded as it was.
    private const long MaxLatencyNs = 60L * 1_000_000_000;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        if (args.Port == 0)
        {
            Console.Error.WriteLine("kiwi-bench server: --port N of a running server is required");
            return 2;
        }

        LoadCommand[] mix = [.. args.Commands.Select(c => LoadCommand.Create(c, args.ValueSize))];
        long keyspace = args.KeysOption ?? 100_000;
        var state = new State(args.Clients);
        var workers = new Task[args.Clients];
        for (int c = 0; c < workers.Length; c++)
        {
            workers[c] = Task.Run(new Worker(args.Port, mix, keyspace, args.Pipeline, state, c).RunAsync);
        }

        await WaitAsync(args.WarmupSeconds, workers).ConfigureAwait(false);
        state.Measuring = true;
        long t0 = Stopwatch.GetTimestamp();
        await WaitAsync(args.Seconds, workers).ConfigureAwait(false);
        state.Measuring = false;
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        state.Stop = true;
        await Task.WhenAll(workers).ConfigureAwait(false);

        var merged = new LongHistogram(MaxLatencyNs, 3);
        long errors = 0;
        string? firstError = null;
        foreach (Worker.Result r in state.Results)
        {
            merged.Add(r.Latencies);
            errors += r.Errors;
            firstError ??= r.FirstError;
        }

        double opsPerSecond = merged.TotalCount / elapsed;
        string commands = string.Join(',', mix.Select(m => m.Name));
        if (args.Json)
        {
            Console.WriteLine(new ResultLine("server", args.Tags)
                .Add("commands", commands)
                .Add("connections", args.Clients, "F0")
                .Add("pipeline", args.Pipeline, "F0")
                .Add("keyspace", keyspace, "F0")
                .Add("value_bytes", args.ValueSize, "F0")
                .Add("seconds", elapsed, "F2")
                .Add("ops", merged.TotalCount, "F0")
                .Add("ops_per_sec", opsPerSecond, "F0")
                .Add("errors", errors, "F0")
                .AddPercentiles(merged));
        }
        else if (merged.TotalCount == 0)
        {
            Console.WriteLine($"{commands} c={args.Clients} P={args.Pipeline}: no reply within {elapsed:F1} s");
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{commands} c={args.Clients} P={args.Pipeline}: {opsPerSecond:F0} ops/s, p50 {merged.GetValueAtPercentile(50) / 1e3:F1} us, p95 {merged.GetValueAtPercentile(95) / 1e3:F1} us, p99 {merged.GetValueAtPercentile(99) / 1e3:F1} us, p99.9 {merged.GetValueAtPercentile(99.9) / 1e3:F1} us, errors {errors}"));
        }

        if (firstError is not null)
        {
            Console.Error.WriteLine($"kiwi-bench server: {errors} error replies, the first: {firstError}");
        }

        return errors == 0 ? 0 : 1;
    }

    // Waits, but returns (with the worker's exception) as soon as a worker fails: a refused connection ends the run.
    private static async Task WaitAsync(double seconds, Task[] workers)
    {
        Task delay = Task.Delay(TimeSpan.FromSeconds(seconds));
        Task all = Task.WhenAll(workers);
        if (await Task.WhenAny(delay, all).ConfigureAwait(false) == all)
        {
            await all.ConfigureAwait(false);
        }
    }

    private sealed class Worker(int port, LoadCommand[] mix, long keyspace, int pipeline, State state, int id)
    {
        public async Task RunAsync()
        {
            using var client = new LoadClient(port, mix.Max(m => m.Length) * pipeline);
            var random = new Random(id + 1);
            var latencies = new LongHistogram(MaxLatencyNs, 3);
            try
            {
                while (!state.Stop)
                {
                    client.Clear();
                    for (int i = 0; i < pipeline; i++)
                    {
                        client.Append(mix.Length == 1 ? mix[0] : mix[random.Next(mix.Length)], random, keyspace);
                    }

                    await client.ExecuteAsync(pipeline, state.Measuring ? latencies : null);
                }
            }
            finally
            {
                state.Results[id] = new Result(latencies, client.Errors, client.FirstError);
            }
        }

        public readonly record struct Result(LongHistogram Latencies, long Errors, string? FirstError);
    }

    private sealed class State(int clients)
    {
        public Worker.Result[] Results { get; } = new Worker.Result[clients];

        public volatile bool Measuring;

        public volatile bool Stop;
    }
}
