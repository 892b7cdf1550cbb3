using ScottPlot;

namespace Kiwi.Report;

/// <summary>
/// The report's PNG charts: throughput by system and durability (unpipelined and -P 16), latency percentiles,
/// and batch size against the cost of one operation. Small canvases, so each file stays well under 200 KB.
/// </summary>
internal sealed class Charts(ResultSet results, string directory, string name)
{
    private const int Width = 900;
    private const int Height = 420;

    /// <summary>Writes every chart that has data; returns the file names (relative to the report).</summary>
    public IReadOnlyList<string> WriteAll()
    {
        var files = new List<string>();
        foreach (int pipeline in (int[])[1, 16])
        {
            Add(files, $"throughput-p{pipeline}", Throughput(pipeline));
        }

        Add(files, "latency", Latency());
        Add(files, "batch", Batch());
        return files;
    }

    /// <summary>A system's color, lighter for weaker durability.</summary>
    public static Color ColorOf(string system, string durability)
    {
        string[] shades = system switch
        {
            "kiwi" => ["#98df8a", "#2ca02c", "#145a14"],
            "redis" => ["#ff9896", "#d62728", "#7a1010"],
            "garnet" => ["#aec7e8", "#1f77b4", "#0b3a63"],
            _ => ["#c7c7c7", "#7f7f7f", "#3f3f3f"],
        };
        return Color.FromHex(shades[durability switch { "none" => 0, "always" => 2, _ => 1 }]);
    }

    private void Add(List<string> files, string suffix, Plot? plot)
    {
        if (plot is null)
        {
            return;
        }

        string file = $"{name}-{suffix}.png";
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        files.Add(file);
    }

    private Plot? Throughput(int pipeline)
    {
        IReadOnlyList<string> commands = results.Commands;
        var series = results.Systems.SelectMany(s => results.Durabilities.Select(d => (System: s, Durability: d)))
            .Where(x => commands.Any(c => results.Matrix(x.System, x.Durability, c, pipeline) is not null)).ToList();
        if (series.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        double slot = 1.0 / (series.Count + 1);
        for (int c = 0; c < commands.Count; c++)
        {
            for (int s = 0; s < series.Count; s++)
            {
                double ops = results.Matrix(series[s].System, series[s].Durability, commands[c], pipeline)?.OpsPerSecond ?? double.NaN;
                if (!double.IsNaN(ops))
                {
                    bars.Add(new Bar
                    {
                        Position = c + ((s - ((series.Count - 1) / 2.0)) * slot),
                        Value = ops / 1000,
                        Size = slot * 0.9,
                        FillColor = ColorOf(series[s].System, series[s].Durability),
                        LineWidth = 0,
                    });
                }
            }
        }

        plot.Add.Bars(bars);
        foreach ((string system, string durability) in series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{system} {durability}", FillColor = ColorOf(system, durability) });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, commands.Count).Select(i => (double)i)], [.. commands]);
        // Headroom above the bars for the legend.
        plot.Axes.Margins(bottom: 0, top: 0.3);
        plot.Title(pipeline == 1
            ? "Throughput, 50 connections, unpipelined (k ops/s)"
            : $"Throughput, 50 connections, -P {pipeline} (k ops/s)");
        plot.YLabel("k ops/s");
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private Plot? Latency()
    {
        string[] labels = ["p50", "p95", "p99", "p99.9"];
        string[] fields = ["p50_us", "p95_us", "p99_us", "p999_us"];
        var plot = new Plot();
        int lines = 0;
        foreach (string system in results.Systems)
        {
            foreach ((string command, LinePattern pattern) in (ReadOnlySpan<(string, LinePattern)>)[("SET", LinePattern.Solid), ("GET", LinePattern.Dashed)])
            {
                Result? r = results.Matrix(system, "everysec", command, 1);
                if (r is null)
                {
                    continue;
                }

                double[] ys = [.. fields.Select(f => Math.Log10(Math.Max(1, r.Number(f))))];
                var scatter = plot.Add.Scatter(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), ys);
                scatter.LegendText = $"{system} {command}";
                scatter.Color = ColorOf(system, "everysec");
                scatter.LinePattern = pattern;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 6;
                lines++;
            }
        }

        if (lines == 0)
        {
            return null;
        }

        LogAxis(plot.Axes.Left, "µs");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, labels.Length).Select(i => (double)i)], labels);
        plot.Title("Latency percentiles, SET and GET, 50 connections unpipelined, everysec");
        plot.YLabel("µs (log)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private Plot? Batch()
    {
        // Embedded: a single awaited SET, then groups of 10..500 submitted and awaited. Server: one connection
        // sending batches of that depth. The cost of one SET in each.
        var embedded = new List<(double Size, double Ns)>();
        if (results.Where(r => r.Kind == "embedded" && r.Text("category") == "single" && r.Text("op") == "SET").LastOrDefault() is { } single)
        {
            embedded.Add((1, single.Number("ns_per_op")));
        }

        embedded.AddRange(results.Where(r => r.Kind == "embedded" && r.Text("category") == "batch")
            .Select(r => (r.Number("batch"), r.Number("ns_per_op"))));
        var server = results.Where(r => r.Kind == "server" && r.Group == "batch" && r.Commands == "SET")
            .Select(r => ((double)r.Pipeline, 1e9 / r.OpsPerSecond)).ToList();
        if (embedded.Count + server.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach ((string label, List<(double Size, double Ns)> points, Color color) in
            (ReadOnlySpan<(string, List<(double, double)>, Color)>)[("embedded (KiwiDb.SetAsync)", embedded, Color.FromHex("#2ca02c")), ("server (one connection, pipelined)", server, Color.FromHex("#9467bd"))])
        {
            if (points.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(
                points.Select(p => Math.Log10(p.Item1)).ToArray(),
                points.Select(p => Math.Log10(p.Item2)).ToArray());
            scatter.LegendText = label;
            scatter.Color = color;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
        }

        LogAxis(plot.Axes.Left, "ns");
        LogAxis(plot.Axes.Bottom, string.Empty);
        plot.Title("Batch size against the cost of one SET (everysec)");
        plot.XLabel("commands per batch (log)");
        plot.YLabel("ns per SET (log)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    // Values are plotted as log10; ticks at the powers of ten, labelled with the value.
    private static void LogAxis(IAxis axis, string unit)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : string.Empty),
        };
    }
}
