using System.Diagnostics;
using Kiwi.Core.Expiry;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Expiry;

/// <summary>
/// The active expiry cycle resumes each walk where the last one stopped (<see cref="ExpiryCycle"/>), on RocksDB. The
/// cycle here never walks from the index's start after its first walk, so only the resume rules can find an entry.
/// </summary>
public sealed class ExpiryCycleTests : IDisposable
{
    private const long StartMs = 1_700_000_000_000;

    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new(StartMs);
    private readonly RocksEngine _engine;
    private readonly KiwiDb _db;
    private readonly ExpiryCycle _cycle;

    public ExpiryCycleTests()
    {
        _engine = RocksEngine.Open(_directory.Path, 8L * 1024 * 1024);
        _db = KiwiDb.Open(_engine, new KiwiDbOptions { Path = _directory.Path, Clock = _clock, ActiveExpiry = false, CollectionCleanup = false });
        _cycle = new ExpiryCycle(_db, _engine, TimeSpan.FromMilliseconds(2), _db.ExpiryLow, fullWalkEvery: TimeSpan.MaxValue);
    }

    public void Dispose()
    {
        _cycle.Dispose();
        _db.Dispose();
        _engine.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_key_indexed_before_where_the_last_walk_stopped_is_still_swept()
    {
        await _db.SetAsync("late", "v", KiwiExpiry.Milliseconds(10_000));
        await WalksPass(); // the walks now stop at "late"'s entry, not yet due

        // Indexed for an earlier time than that stop: the writer's note makes the next walk start there.
        await _db.SetAsync("early", "v", KiwiExpiry.Milliseconds(5_000));
        await WalksPass();
        _clock.Advance(6_000);

        await Eventually(() => !Stored("early"));
        Assert.True(Stored("late"));
        Assert.Equal(1, IndexEntries());

        _clock.Advance(5_000);
        await Eventually(() => !Stored("late") && IndexEntries() == 0);
    }

    [Fact]
    public async Task A_mass_expiry_is_swept_in_rounds_and_a_key_set_after_the_index_ran_dry_is_swept_too()
    {
        // More than one round (512 entries) of keys due at once: each round goes on from where the last ended.
        var writes = new List<Task>();
        for (int i = 0; i < 1_500; i++)
        {
            writes.Add(_db.SetAsync($"k{i}", "v", KiwiExpiry.Milliseconds(1_000 + (i % 7))).AsTask());
        }

        await Task.WhenAll(writes);
        Assert.Equal(1_500, IndexEntries());
        _clock.Advance(2_000);
        await Eventually(() => IndexEntries() == 0);
        Assert.Equal(0, _db.DbSize());

        // The walks have run off the index's end: a key set now, due later, is found from there.
        await WalksPass();
        await _db.SetAsync("next", "v", KiwiExpiry.Milliseconds(500));
        await WalksPass();
        _clock.Advance(1_000);
        await Eventually(() => !Stored("next") && IndexEntries() == 0);
    }

    [Fact]
    public async Task A_key_indexed_after_the_clock_went_back_past_where_the_walks_ended_is_still_swept()
    {
        // The walks run off the (empty) index's end and note the time they stopped at; then the clock goes back and a
        // key is indexed for a time before that note. The walks must still come to it.
        await WalksPass();
        _clock.Advance(-5_000);
        await _db.SetAsync("lagged", "v", KiwiExpiry.Milliseconds(1_000));
        await WalksPass();
        _clock.Advance(10_000);

        await Eventually(() => !Stored("lagged") && IndexEntries() == 0);
    }

    private async Task WalksPass()
    {
        long target = _cycle.Walks + 3;
        await Eventually(() => _cycle.Walks >= target);
    }

    private bool Stored(string key) => RawStore.Stored(_engine, key);

    private int IndexEntries() => RawStore.ExpiryIndexEntries(_engine);

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the condition did not become true within 20 s");
            await Task.Delay(5);
        }
    }
}
