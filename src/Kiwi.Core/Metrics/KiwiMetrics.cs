using System.Diagnostics.Metrics;

namespace Kiwi.Core.Metrics;

/// <summary>
/// The <c>Kiwi.Fast</c> meter: read it with <c>dotnet-counters monitor --counters Kiwi.Fast -p PID</c>.
/// Counters are recorded once per batch, not per command, so the hot path stays cheap.
/// </summary>
public static class KiwiMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Kiwi.Fast";

    private static readonly Lock s_lock = new();
    private static readonly List<IMetricsSource> s_sources = [];

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(MeterName, "1.0");

    /// <summary>Commands applied by the writer.</summary>
    public static Counter<long> CommandsApplied { get; } = Meter.CreateCounter<long>("kiwi.commands.applied", "{command}", "Commands applied by the writer");

    /// <summary>Batches committed to storage.</summary>
    public static Counter<long> BatchesWritten { get; } = Meter.CreateCounter<long>("kiwi.batches.written", "{batch}", "Batches committed to storage");

    /// <summary>Batches that failed to commit.</summary>
    public static Counter<long> BatchesFailed { get; } = Meter.CreateCounter<long>("kiwi.batches.failed", "{batch}", "Batches whose commit failed");

    /// <summary>Entries per batch.</summary>
    public static Histogram<int> BatchSize { get; } = Meter.CreateHistogram<int>("kiwi.batch.size", "{entry}", "Entries per committed batch");

    /// <summary>Duration of one storage commit.</summary>
    public static Histogram<double> WriteLatency { get; } = Meter.CreateHistogram<double>("kiwi.write.latency", "us", "Duration of one batch commit (storage write)");

    /// <summary>Member groups of deleted, overwritten or expired collections removed by the background cleanup.</summary>
    public static Counter<long> CleanupGroupsDeleted { get; } = Meter.CreateCounter<long>("kiwi.cleanup.groups", "{group}", "Dead collection member groups range-deleted by the background cleanup");

    static KiwiMetrics()
    {
        Meter.CreateObservableGauge("kiwi.applied.index", ObserveAppliedIndex, "{entry}", "Highest applied index (of the most advanced open database)");
        Meter.CreateObservableGauge("kiwi.ring.occupancy", ObserveRingOccupancy, "{entry}", "Entries waiting in commit rings");
        Meter.CreateObservableCounter("kiwi.read_cache.hits", static () => ObserveReadCache(hits: true), "{read}", "Point reads answered by the read cache (approximate)");
        Meter.CreateObservableCounter("kiwi.read_cache.misses", static () => ObserveReadCache(hits: false), "{read}", "Point reads that went to RocksDB (approximate)");
    }

    /// <summary>What an open database reports to the gauges.</summary>
    internal interface IMetricsSource
    {
        long AppliedIndex { get; }

        int RingOccupancy { get; }

        (long Hits, long Misses) ReadCache { get; }
    }

    internal static void Register(IMetricsSource source)
    {
        lock (s_lock)
        {
            s_sources.Add(source);
        }
    }

    internal static void Unregister(IMetricsSource source)
    {
        lock (s_lock)
        {
            s_sources.Remove(source);
        }
    }

    private static long ObserveAppliedIndex()
    {
        long max = 0;
        lock (s_lock)
        {
            foreach (IMetricsSource s in s_sources)
            {
                max = Math.Max(max, s.AppliedIndex);
            }
        }

        return max;
    }

    private static int ObserveRingOccupancy()
    {
        int total = 0;
        lock (s_lock)
        {
            foreach (IMetricsSource s in s_sources)
            {
                total += s.RingOccupancy;
            }
        }

        return total;
    }

    private static long ObserveReadCache(bool hits)
    {
        long total = 0;
        lock (s_lock)
        {
            foreach (IMetricsSource s in s_sources)
            {
                (long hit, long miss) = s.ReadCache;
                total += hits ? hit : miss;
            }
        }

        return total;
    }
}
