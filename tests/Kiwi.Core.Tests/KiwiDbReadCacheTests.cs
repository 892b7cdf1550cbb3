using System.Diagnostics.Metrics;
using Kiwi.Core.Metrics;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>The read cache seen from <see cref="KiwiDb"/>: on by default, counted, and reported to the meter.</summary>
public sealed class KiwiDbReadCacheTests : KiwiDbTestBase
{
    [Fact]
    public async Task A_repeated_get_is_a_cache_hit_and_the_meter_reports_it()
    {
        Assert.Null(Db.GetString("rc:key")); // a miss that fills the slot as absent
        Assert.True(await Db.SetAsync("rc:key", "value"));
        Assert.Equal("value", Db.GetString("rc:key")); // a hit: the write left its record in the slot
        Assert.Equal("value", Db.GetString("rc:key"));
        Assert.True(await Db.SetAsync("rc:key", "changed"));
        Assert.Equal("changed", Db.GetString("rc:key")); // the new record, never the old one
        (long hits, long misses) = ((RocksEngine)Db.Engine).ReadCacheStats;
        Assert.True(hits >= 3, $"hits {hits}");
        Assert.True(misses >= 1, $"misses {misses}");

        // The meter sums every open database: at least this one's counts (other tests run beside this one).
        long observedHits = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KiwiMetrics.MeterName && instrument.Name == "kiwi.read_cache.hits")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observedHits = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.True(observedHits >= hits, $"meter {observedHits}, this database {hits}");
    }
}
