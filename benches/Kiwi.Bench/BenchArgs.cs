using System.Globalization;

namespace Kiwi.Bench;

/// <summary>Command-line options of kiwi-bench (<c>--name value</c> and bare <c>--flag</c>).</summary>
internal sealed class BenchArgs
{
    public double Seconds { get; private set; } = 10;

    public double WarmupSeconds { get; private set; } = 2;

    public bool Json { get; private set; }

    public int InFlight { get; private set; } = 256;

    public int Keys => KeysOption ?? 1_000_000;

    public int ValueSize => ValueSizeOption ?? 32;

    /// <summary>--keys as given (modes pick their own default).</summary>
    public int? KeysOption { get; private set; }

    /// <summary>--value as given (modes pick their own default).</summary>
    public int? ValueSizeOption { get; private set; }

    public int Clients { get; private set; } = 50;

    /// <summary>Port of the server to start (0: a free one) or, with <see cref="Target"/>, of a running one.</summary>
    public int Port { get; private set; }

    /// <summary>Drive the server already listening on <see cref="Port"/> instead of starting one.</summary>
    public bool Target { get; private set; }

    /// <summary>The kiwi-server executable to start (default: the one built next to this repository's benches).</summary>
    public string? ServerPath { get; private set; }

    /// <summary>More <c>--name value</c> flags for a started server, space-separated.</summary>
    public string ServerArgs { get; private set; } = string.Empty;

    /// <summary>
    /// Values of <c>kiwi-bench scale</c>: random bytes (stored as large as they are), or one repeated byte like
    /// redis-benchmark's <c>-d</c> (they compress to next to nothing, so a file holds many more keys and its index
    /// and filter blocks grow with them).
    /// </summary>
    public bool RepeatedValues { get; private set; }

    /// <summary>Phases of <c>kiwi-bench scale</c> to run: any of hit, miss, set.</summary>
    public IReadOnlyList<string> Phases { get; private set; } = ["hit", "miss", "set"];

    /// <summary>The read cache's size for <c>pipeline</c> (null: KiwiDb's default).</summary>
    public long? ReadCache { get; private set; }

    /// <summary>Block cache sizes to run the read phases at, one server start each.</summary>
    public IReadOnlyList<long> BlockCaches { get; private set; } = [];

    /// <summary>Block cache sizes as fractions of the loaded data (keys times value size).</summary>
    public IReadOnlyList<double> CacheRatios { get; private set; } = [];

    /// <summary>More flags for the server that loads the keys only (then every round starts without them).</summary>
    public string LoadServerArgs { get; private set; } = string.Empty;

    /// <summary>The mixed phase's shares of GET hits, GET misses and SETs, in percent.</summary>
    public (int Hit, int Miss, int Set) Mix { get; private set; } = (70, 10, 20);

    /// <summary>Keep a --dir loaded by an earlier run with the same keys and values (and keep it after).</summary>
    public bool Reuse { get; private set; }

    /// <summary>Before a round's phases, GET every loaded key once in key order (fills the block cache).</summary>
    public bool Prewarm { get; private set; }

    /// <summary>Skip the wait for the load's compactions to settle before the first round (start with their debt).</summary>
    public bool NoSettle { get; private set; }

    /// <summary>Print a progress line (ops/s, RSS, compaction debt) every this many seconds of a phase; 0: none.</summary>
    public double ReportEvery { get; private set; }

    public int RawBatch { get; private set; } = 256;

    /// <summary>Commands per batch of one connection of <c>kiwi-bench server</c> (redis-benchmark's <c>-P</c>).</summary>
    public int Pipeline { get; private set; } = 1;

    /// <summary>The command mix of <c>kiwi-bench server</c>: each command drawn from these with equal chance.</summary>
    public IReadOnlyList<string> Commands { get; private set; } = ["SET"];

    /// <summary><c>--tag name=value</c> pairs copied into the JSON line, so a script can label a run.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags => _tags;

    private readonly List<KeyValuePair<string, string>> _tags = [];

    public string? Directory { get; private set; }

    public static BenchArgs Parse(string[] args)
    {
        var result = new BenchArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--seconds": result.Seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": result.WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--json": result.Json = true; break;
                case "--inflight": result.InFlight = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keys": result.KeysOption = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--value": result.ValueSizeOption = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--values": result.RepeatedValues = Next() switch { "random" => false, "repeated" => true, var v => throw new ArgumentException($"--values {v}: random or repeated") }; break;
                case "--phases": result.Phases = Next().Split(','); break;
                case "--clients": result.Clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--port": result.Port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--target": result.Target = true; break;
                case "--server": result.ServerPath = Next(); break;
                case "--server-args": result.ServerArgs = Next(); break;
                case "--read-cache": result.ReadCache = ParseBytes(Next()); break;
                case "--block-cache": result.BlockCaches = [.. Next().Split(',').Select(ParseBytes)]; break;
                case "--cache-ratios": result.CacheRatios = [.. Next().Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))]; break;
                case "--load-server-args": result.LoadServerArgs = Next(); break;
                case "--mix": result.Mix = ParseMix(Next()); break;
                case "--reuse": result.Reuse = true; break;
                case "--prewarm": result.Prewarm = true; break;
                case "--no-settle": result.NoSettle = true; break;
                case "--report-every": result.ReportEvery = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--raw-batch": result.RawBatch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--dir": result.Directory = Next(); break;
                case "--pipeline": result.Pipeline = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--commands": result.Commands = [.. Next().ToUpperInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                case "--tag": result._tags.Add(ParseTag(Next())); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        return result;
    }

    private static KeyValuePair<string, string> ParseTag(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? new(text[..eq], text[(eq + 1)..]) : throw new ArgumentException($"--tag {text}: name=value");
    }

    private static (int Hit, int Miss, int Set) ParseMix(string text)
    {
        int[] parts = [.. text.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        return parts.Length == 3 && parts.All(p => p >= 0) && parts.Sum() == 100
            ? (parts[0], parts[1], parts[2])
            : throw new ArgumentException($"--mix {text}: three percentages (GET hit, GET miss, SET) adding up to 100");
    }

    /// <summary>A byte count with an optional kb/mb/gb suffix (powers of 1024), as kiwi-server takes them.</summary>
    public static long ParseBytes(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        (string digits, long unit) = t switch
        {
            _ when t.EndsWith("gb", StringComparison.Ordinal) => (t[..^2], 1L << 30),
            _ when t.EndsWith("mb", StringComparison.Ordinal) => (t[..^2], 1L << 20),
            _ when t.EndsWith("kb", StringComparison.Ordinal) => (t[..^2], 1L << 10),
            _ => (t, 1L),
        };
        return long.Parse(digits, CultureInfo.InvariantCulture) * unit;
    }
}
