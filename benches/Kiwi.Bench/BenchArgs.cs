using System.Globalization;

namespace Kiwi.Bench;

/// <summary>Command-line options of kiwi-bench (<c>--name value</c> and bare <c>--flag</c>).</summary>
internal sealed class BenchArgs
{
    public double Seconds { get; private set; } = 10;

    public double WarmupSeconds { get; private set; } = 2;

    public bool Json { get; private set; }

    public int InFlight { get; private set; } = 256;

    public int Keys { get; private set; } = 1_000_000;

    public int ValueSize { get; private set; } = 32;

    public int RawBatch { get; private set; } = 256;

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
                case "--keys": result.Keys = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--value": result.ValueSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--raw-batch": result.RawBatch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--dir": result.Directory = Next(); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        return result;
    }
}
