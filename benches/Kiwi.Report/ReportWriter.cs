using System.Globalization;
using System.Text;

namespace Kiwi.Report;

/// <summary>The markdown of the report: header, headline ratios, charts, then a section per category.</summary>
internal sealed class ReportWriter(ResultSet results, IReadOnlyList<string> images)
{
    private readonly StringBuilder _md = new();

    public string Write()
    {
        Header();
        Headline();
        foreach (string image in images)
        {
            _md.Append("![").Append(Path.GetFileNameWithoutExtension(image)).Append("](").Append(image).Append(")\n\n");
        }

        Throughput();
        Latency();
        SingleAndBatches();
        Sustained();
        Adaptor();
        Cluster();
        CrossCheck();
        Method();
        return _md.ToString();
    }

    private void Header()
    {
        _md.Append("# Benchmark report ").Append(results.Meta("date")).Append("\n\n");
        Line($"Run by `benches/report.sh` ({results.Meta("mode")} mode), started {results.Meta("started")}, {Minutes(results.Meta("runtime_seconds"))} in all.");
        Line($"Machine: {results.Meta("machine")}. **Load average** (1, 5, 15 min) at the start {results.Meta("load_start")}, at the end {results.Meta("load_end")}: the machine was shared, so absolute numbers are noisy; ratios of runs taken back to back count.");
        Line($"Versions: {results.Meta("kiwi")}, redis-server {results.Meta("redis")}, garnet-server {results.Meta("garnet")}, .NET SDK {results.Meta("dotnet")}.");
        Line($"Shape: {results.Meta("shape")}; keys and values as redis-benchmark `-r`/`-d` make them (SET/GET `key:N`, HSET one hash, LPUSH one list, ZADD one sorted set).");
        _md.Append('\n');
    }

    private void Headline()
    {
        _md.Append("## Headline\n\n");
        _md.Append("Kiwi.Fast's throughput over the other server's at the same durability, geometric mean over the commands (50 connections):\n\n");
        var rows = new List<string[]>();
        foreach (string durability in results.Durabilities)
        {
            foreach (int pipeline in (int[])[1, 16])
            {
                rows.Add([durability, pipeline == 1 ? "unpipelined" : $"-P {pipeline}", Ratio("redis", durability, pipeline), Ratio("garnet", durability, pipeline)]);
            }
        }

        Table(["durability", "depth", "Kiwi / Redis", "Kiwi / Garnet"], rows, 2);
    }

    private string Ratio(string other, string durability, int pipeline)
    {
        double[] ratios = [.. results.Commands
            .Select(c => (results.Matrix("kiwi", durability, c, pipeline)?.OpsPerSecond ?? double.NaN) / (results.Matrix(other, durability, c, pipeline)?.OpsPerSecond ?? double.NaN))
            .Where(r => double.IsFinite(r) && r > 0)];
        return ratios.Length == 0 ? "–" : Math.Exp(ratios.Average(Math.Log)).ToString("F2", CultureInfo.InvariantCulture);
    }

    private void Throughput()
    {
        _md.Append("## Throughput by system and durability\n\n");
        _md.Append("ops/s from `kiwi-bench server`, 50 connections. Durability: *none* = Redis and Garnet without AOF, Kiwi with `--appendfsync no` (RocksDB WAL written, never fsynced); *everysec* = fsync once a second (Garnet: `--aof --aof-commit-freq 1000`); *always* = fsync before the reply (Garnet: `--aof --aof-commit-wait`).\n\n");
        foreach (string durability in results.Durabilities)
        {
            _md.Append("### ").Append(durability).Append("\n\n");
            var rows = new List<string[]>();
            foreach (int pipeline in (int[])[1, 16])
            {
                foreach (string command in results.Commands)
                {
                    double kiwi = Ops("kiwi", durability, command, pipeline);
                    double redis = Ops("redis", durability, command, pipeline);
                    double garnet = Ops("garnet", durability, command, pipeline);
                    rows.Add([command, pipeline.ToString(CultureInfo.InvariantCulture), ResultSet.Format(kiwi), ResultSet.Format(redis), ResultSet.Format(garnet),
                        ResultSet.Format(kiwi / redis, "F2"), ResultSet.Format(kiwi / garnet, "F2")]);
                }
            }

            Table(["command", "-P", "Kiwi.Fast", "redis-server", "Garnet", "Kiwi / Redis", "Kiwi / Garnet"], rows);
        }
    }

    private double Ops(string system, string durability, string command, int pipeline) =>
        results.Matrix(system, durability, command, pipeline)?.OpsPerSecond ?? double.NaN;

    private void Latency()
    {
        _md.Append("## Latency percentiles\n\n");
        _md.Append("Per reply, from the moment its batch was written to the socket until the reply was parsed (HdrHistogram, 3 significant digits), µs. 50 connections.\n\n");
        var rows = new List<string[]>();
        foreach (string durability in results.Durabilities)
        {
            foreach (string system in results.Systems)
            {
                foreach (int pipeline in (int[])[1, 16])
                {
                    foreach (string command in results.Commands)
                    {
                        if (results.Matrix(system, durability, command, pipeline) is { } r)
                        {
                            rows.Add([system, durability, command, pipeline.ToString(CultureInfo.InvariantCulture), ResultSet.Format(r.OpsPerSecond), .. Percentiles(r)]);
                        }
                    }
                }
            }
        }

        Table(["system", "durability", "command", "-P", "ops/s", "p50", "p95", "p99", "p99.9"], rows, 3);
    }

    private static string[] Percentiles(Result r) =>
        [.. ((string[])["p50_us", "p95_us", "p99_us", "p999_us"]).Select(f => ResultSet.Format(r.Number(f)))];

    private void SingleAndBatches()
    {
        _md.Append("## Single command and batches\n\n");
        _md.Append("A single command: embedded, `KiwiDb.SetAsync` awaited before the next (GET: `TryGet` into a reused buffer); server, one connection, one command in flight. Latencies in µs.\n\n");
        var rows = new List<string[]>();
        foreach (Result r in results.Where(r => r.Kind == "embedded" && r.Text("category") == "single"))
        {
            rows.Add(["embedded", r.Text("op"), ResultSet.Format(r.OpsPerSecond), ResultSet.Format(r.Number("ns_per_op")), .. Percentiles(r)]);
        }

        foreach (Result r in results.Where(r => r.Kind == "server" && r.Group == "batch" && r.Pipeline == 1))
        {
            rows.Add(["server", r.Commands, ResultSet.Format(r.OpsPerSecond), ResultSet.Format(1e9 / r.OpsPerSecond), .. Percentiles(r)]);
        }

        Table(["where", "command", "ops/s", "ns/op", "p50", "p95", "p99", "p99.9"], rows, 2);

        _md.Append("Batches of SETs: embedded, N submitted then all awaited (the writer drains the ring into one or a few storage writes); server, one connection writing N commands at once (`-P N`). The cost of one SET, ns.\n\n");
        var sizes = new SortedSet<int>();
        var embedded = new Dictionary<int, double>();
        var server = new Dictionary<int, double>();
        foreach (Result r in results.Where(r => r.Kind == "embedded" && r.Text("category") == "single" && r.Text("op") == "SET"))
        {
            sizes.Add(1);
            embedded[1] = r.Number("ns_per_op");
        }

        foreach (Result r in results.Where(r => r.Kind == "embedded" && r.Text("category") == "batch"))
        {
            sizes.Add((int)r.Number("batch"));
            embedded[(int)r.Number("batch")] = r.Number("ns_per_op");
        }

        foreach (Result r in results.Where(r => r.Kind == "server" && r.Group == "batch" && r.Commands == "SET"))
        {
            sizes.Add(r.Pipeline);
            server[r.Pipeline] = 1e9 / r.OpsPerSecond;
        }

        Table(["batch", "embedded ns/SET", "server ns/SET"],
            [.. sizes.Select(s => new[] { s.ToString(CultureInfo.InvariantCulture), ResultSet.Format(embedded.GetValueOrDefault(s, double.NaN)), ResultSet.Format(server.GetValueOrDefault(s, double.NaN)) })]);
    }

    private void Sustained()
    {
        _md.Append("## Sustained throughput\n\n");
        var rows = new List<string[]>();
        foreach (Result r in results.Where(r => r.Kind == "embedded" && r.Text("category") == "sustained"))
        {
            rows.Add([$"embedded, SET, {r.Number("in_flight"):F0} in flight", ResultSet.Format(r.Number("seconds"), "F1"), ResultSet.Format(r.OpsPerSecond), .. Percentiles(r)]);
        }

        foreach (Result r in results.Where(r => r.Kind == "server" && r.Group == "sustained"))
        {
            rows.Add([$"server, {r.Commands} mixed, {r.Connections} connections", ResultSet.Format(r.Number("seconds"), "F1"), ResultSet.Format(r.OpsPerSecond), .. Percentiles(r)]);
        }

        Table(["run", "s", "ops/s", "p50 µs", "p95 µs", "p99 µs", "p99.9 µs"], rows);
    }

    private void Adaptor()
    {
        _md.Append("## Adaptor overhead\n\n");
        _md.Append("The same string records written straight to RocksDB (`RocksStore.Write`, one or 64 puts per write) against SET through the writer (`KiwiDb.SetAsync`: ring, writer thread, read of the old record, applied index, waiter), one at a time or 64 in flight, on one engine with one set of options. ns per SET.\n\n");
        var rows = new List<string[]>();
        foreach (int perWrite in results.Where(r => r.Text("category") == "adaptor").Select(r => (int)r.Number("per_write")).Distinct())
        {
            double direct = results.Where(r => r.Text("category") == "adaptor" && r.Text("op") == "direct" && (int)r.Number("per_write") == perWrite).Select(r => r.Number("ns_per_op")).LastOrDefault(double.NaN);
            double writer = results.Where(r => r.Text("category") == "adaptor" && r.Text("op") == "writer" && (int)r.Number("per_write") == perWrite).Select(r => r.Number("ns_per_op")).LastOrDefault(double.NaN);
            rows.Add([perWrite.ToString(CultureInfo.InvariantCulture), ResultSet.Format(direct), ResultSet.Format(writer), ResultSet.Format(writer / direct, "F2")]);
        }

        Table(["SETs per write", "direct ns", "through the writer ns", "writer / direct"], rows);
    }

    private void Cluster()
    {
        var cluster = results.Where(r => r.Kind == "server" && r.Group == "cluster").ToList();
        if (cluster.Count == 0)
        {
            return;
        }

        _md.Append("## 3-node cluster\n\n");
        _md.Append("Three kiwi-server processes on loopback (Raft), the load on the leader; a GET is linearizable (the leader confirms its leadership). Against the single server at everysec.\n\n");
        Table(["command", "-P", "cluster ops/s", "single ops/s", "cluster / single", "p50 µs", "p99 µs", "p99.9 µs"],
            [.. cluster.Select(r =>
            {
                double single = Ops("kiwi", "everysec", r.Commands, r.Pipeline);
                return new[] { r.Commands, r.Pipeline.ToString(CultureInfo.InvariantCulture), ResultSet.Format(r.OpsPerSecond), ResultSet.Format(single), ResultSet.Format(r.OpsPerSecond / single, "F2"),
                    ResultSet.Format(r.Number("p50_us")), ResultSet.Format(r.Number("p99_us")), ResultSet.Format(r.Number("p999_us")) };
            })]);
    }

    private void CrossCheck()
    {
        var ours = results.Where(r => r.Kind == "server" && r.Group == "crosscheck").ToList();
        if (ours.Count == 0)
        {
            return;
        }

        _md.Append("## Cross-check against redis-benchmark\n\n");
        _md.Append("Our load generator, then redis-benchmark with as many requests as ours answered in the same time (same connections, depth, key space and value size), alternating three times on the same server; medians of the three, and the median of the three paired ratios. The spec asks for agreement within 15%.\n\n");
        var rows = new List<string[]>();
        foreach (var cell in ours.GroupBy(r => (r.System, r.Durability, r.Commands, r.Pipeline)))
        {
            List<Result> mine = [.. cell];
            List<Result> theirs = [.. results.Where(x => x.Kind == "redis-benchmark" && x.System == cell.Key.System && x.Durability == cell.Key.Durability
                && x.Commands == cell.Key.Commands && x.Pipeline == cell.Key.Pipeline)];
            int pairs = Math.Min(mine.Count, theirs.Count);
            double ratio = Median([.. Enumerable.Range(0, pairs).Select(i => mine[i].OpsPerSecond / theirs[i].OpsPerSecond)]);
            double p50Ratio = Median([.. Enumerable.Range(0, pairs).Select(i => mine[i].Number("p50_us") / theirs[i].Number("p50_us"))]);
            rows.Add([cell.Key.System, cell.Key.Durability, cell.Key.Commands, cell.Key.Pipeline.ToString(CultureInfo.InvariantCulture),
                ResultSet.Format(Median([.. mine.Select(r => r.OpsPerSecond)])), ResultSet.Format(Median([.. theirs.Select(r => r.OpsPerSecond)])), Percent(ratio - 1),
                ResultSet.Format(Median([.. mine.Select(r => r.Number("p50_us"))])), ResultSet.Format(Median([.. theirs.Select(r => r.Number("p50_us"))])), Percent(p50Ratio - 1),
                double.IsNaN(ratio) ? "–" : Math.Abs(ratio - 1) <= 0.15 ? "yes" : "**no**"]);
        }

        Table(["system", "durability", "command", "-P", "kiwi-bench ops/s", "redis-benchmark ops/s", "Δ ops/s", "kiwi-bench p50 µs", "redis-benchmark p50 µs", "Δ p50", "ops/s within 15%"], rows, 3);
    }

    private static double Median(double[] values)
    {
        double[] finite = [.. values.Where(double.IsFinite).Order()];
        return finite.Length == 0 ? double.NaN
            : finite.Length % 2 == 1 ? finite[finite.Length / 2]
            : (finite[(finite.Length / 2) - 1] + finite[finite.Length / 2]) / 2;
    }

    private static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "–" : (fraction * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) + "%";

    private void Method()
    {
        _md.Append("## Method\n\n");
        _md.Append("- Every server runs on 127.0.0.1 on a free port with its data in a fresh temp directory, started and stopped by the script, and first gets 2 s of unrecorded load (a .NET server compiles its hot paths then).\n");
        _md.Append("- The servers of one durability run side by side; each cell of the matrix runs on each server back to back, then again in the reverse order, and the tables and charts show the better round of each (its ops/s and its percentiles): the machine is shared, and the load drifts.\n");
        _md.Append("- `kiwi-bench server`: each connection writes its batch (one command, or `-P` commands) in one send and waits for all the replies; each reply's latency is from the send. Commands are drawn with redis-benchmark's key shapes so the cross-check measures the same work.\n");
        _md.Append("- The load generator shares the 2 cores with the server, as redis-benchmark does; on a shared machine both see the other engineers' builds.\n");
        _md.Append("- Embedded numbers come from `kiwi-bench embedded` (one process, RocksDB in a temp directory, everysec). The BenchmarkDotNet suite in `benches/Kiwi.Benchmarks` measures the same shapes with allocation counts.\n");
        _md.Append("- Raw lines: the `.jsonl` file beside this report.\n");
    }

    private void Line(string text) => _md.Append(text).Append("  \n");

    // The first textColumns columns are left-aligned (names), the rest right-aligned (numbers).
    private void Table(string[] headers, IReadOnlyList<string[]> rows, int textColumns = 1)
    {
        if (rows.Count == 0)
        {
            _md.Append("(no data)\n\n");
            return;
        }

        _md.Append("| ").Append(string.Join(" | ", headers)).Append(" |\n|");
        for (int i = 0; i < headers.Length; i++)
        {
            _md.Append(i < textColumns ? "---|" : "---:|");
        }

        _md.Append('\n');
        foreach (string[] row in rows)
        {
            _md.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        }

        _md.Append('\n');
    }

    private static string Minutes(string seconds) =>
        int.TryParse(seconds, CultureInfo.InvariantCulture, out int s) ? $"{s / 60} min {s % 60} s" : "?";
}
