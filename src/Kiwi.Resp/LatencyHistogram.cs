using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kiwi.Resp;

/// <summary>
/// One command's latencies for INFO latencystats, in log-linear buckets of nanoseconds (8 per power of two, so a
/// percentile is reported within 12.5% of the true value, rounded up as HdrHistogram's highest equivalent value).
/// Recording is one Interlocked increment; nothing is allocated after the buckets.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 3;
    private const int SubBuckets = 1 << SubBits;
    private const int MaxExponent = 44;

    private static readonly double s_nanosPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[(MaxExponent + 1) * SubBuckets];

    /// <summary>Counts a call that took <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Record(long ticks)
    {
        ulong nanos = (ulong)Math.Max(1, (long)(ticks * s_nanosPerTick));
        Interlocked.Increment(ref _counts[Index(nanos)]);
    }

    /// <summary>Zeroes the counts (CONFIG RESETSTAT).</summary>
    public void Reset()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            Volatile.Write(ref _counts[i], 0);
        }
    }

    /// <summary>Appends <c>p50=…,p99=…,p99.9=…</c> in microseconds; false when nothing was recorded.</summary>
    public bool AppendPercentiles(StringBuilder text)
    {
        long total = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            total += Volatile.Read(ref _counts[i]);
        }

        if (total == 0)
        {
            return false;
        }

        Append(text, "p50=", total, 50);
        Append(text, ",p99=", total, 99);
        Append(text, ",p99.9=", total, 99.9);
        return true;
    }

    private void Append(StringBuilder text, string label, long total, double percentile)
    {
        long target = Math.Max(1, (long)Math.Ceiling(total * percentile / 100));
        long seen = 0;
        int i = 0;
        for (; i < _counts.Length - 1; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= target)
            {
                break;
            }
        }

        text.Append(label).Append((UpperBound(i) / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
    }

    private static int Index(ulong nanos)
    {
        if (nanos < SubBuckets)
        {
            return (int)nanos;
        }

        int exponent = Math.Min(BitOperations.Log2(nanos), MaxExponent);
        int sub = (int)(nanos >> (exponent - SubBits)) & (SubBuckets - 1);
        return (exponent - SubBits + 1) * SubBuckets + sub;
    }

    // The largest value of bucket i (HdrHistogram's highest equivalent value).
    private static double UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        int exponent = (index / SubBuckets) + SubBits - 1;
        int sub = index % SubBuckets;
        return ((double)(SubBuckets + sub + 1) * Math.Pow(2, exponent - SubBits)) - 1;
    }
}
