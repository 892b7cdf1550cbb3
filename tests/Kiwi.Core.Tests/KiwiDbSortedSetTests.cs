using System.Diagnostics;
using System.Text;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>KiwiDb.SortedSets, and how sorted sets ride on the key commands (DEL, RENAME, COPY, EXPIRE, TYPE) and the cleanup.</summary>
public sealed class KiwiDbSortedSetTests : KiwiDbTestBase
{
    [Fact]
    public async Task Add_score_count_rank_remove()
    {
        Assert.True(await Db.SortedSets.AddAsync(B("z"), 2, B("b")));
        Assert.True(await Db.SortedSets.AddAsync(B("z"), 1, B("a")));
        Assert.False(await Db.SortedSets.AddAsync(B("z"), 3, B("a")));
        Assert.Equal(3, Db.SortedSets.Score(B("z"), B("a")));
        Assert.Null(Db.SortedSets.Score(B("z"), B("zz")));
        Assert.Null(Db.SortedSets.Score(B("none"), B("a")));
        Assert.Equal(2, Db.SortedSets.Count(B("z")));
        Assert.Equal(0, Db.SortedSets.Rank(B("z"), B("b")));
        Assert.Equal(1, Db.SortedSets.Rank(B("z"), B("a")));
        Assert.Null(Db.SortedSets.Rank(B("z"), B("zz")));
        Assert.Equal(KeyType.ZSet, Db.Type("z"));
        Assert.True(await Db.SortedSets.RemoveAsync(B("z"), B("a")));
        Assert.False(await Db.SortedSets.RemoveAsync(B("z"), B("a")));
        Assert.True(await Db.SortedSets.RemoveAsync(B("z"), B("b")));
        Assert.Equal(KeyType.None, Db.Type("z"));
    }

    [Fact]
    public async Task ForEachByScore_walks_a_score_range_in_order()
    {
        for (int i = 0; i < 50; i++)
        {
            await Db.SortedSets.AddAsync(B("z"), 49 - i, B($"m{i:D2}"));
        }

        await Db.SortedSets.AddAsync(B("z"), double.NegativeInfinity, B("low"));
        await Db.SortedSets.AddAsync(B("z"), -0.5, B("neg"));
        var seen = new List<string>();
        Db.SortedSets.ForEachByScore(B("z"), -1, 2, (member, score) => seen.Add($"{Encoding.UTF8.GetString(member)}={score}"));
        Assert.Equal(["neg=-0.5", "m49=0", "m48=1", "m47=2"], seen);
        seen.Clear();
        Db.SortedSets.ForEachByScore(B("z"), double.NegativeInfinity, -1, (member, score) => seen.Add(Encoding.UTF8.GetString(member)));
        Assert.Equal(["low"], seen);
    }

    [Fact]
    public async Task Errors_are_redis_texts()
    {
        await Db.SetAsync("s", "v");
        Assert.StartsWith("WRONGTYPE", await ErrorOf(async () => await Db.SortedSets.AddAsync(B("s"), 1, B("a"))), StringComparison.Ordinal);
        Assert.Throws<KiwiException>(() => Db.SortedSets.Score(B("s"), B("a")));
        Assert.Equal("ERR value is not a valid float", await ErrorOf(async () => await Db.SortedSets.AddAsync(B("z"), double.NaN, B("a"))));
    }

    [Fact]
    public async Task Del_and_expiry_drop_both_orders_at_once()
    {
        await Db.SortedSets.AddAsync(B("c"), 1, B("a"));
        await Db.SortedSets.AddAsync(B("c"), 2, B("b"));
        Assert.Equal(1, await Db.DelAsync(B("c")));
        Assert.Equal(0, Db.SortedSets.Count(B("c")));
        Assert.True(await Db.SortedSets.AddAsync(B("c"), 5, B("b")));
        Assert.Equal(0, Db.SortedSets.Rank(B("c"), B("b")));
        Assert.Null(Db.SortedSets.Score(B("c"), B("a")));
        Assert.True(await Db.ExpireAsync("c", 10));
        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(KeyType.None, Db.Type("c"));
        Assert.Null(Db.SortedSets.Score(B("c"), B("b")));
        Assert.True(await Db.SortedSets.AddAsync(B("c"), 1, B("z")));
        Assert.Equal(1, Db.SortedSets.Count(B("c")));
    }
}

/// <summary>The background cleanup deletes a dead sorted set's two orders.</summary>
public sealed class SortedSetCleanupTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Deleting_a_big_sorted_set_cleans_both_orders_while_a_live_one_keeps_its_own()
    {
        using KiwiDb db = KiwiDb.Open(new KiwiDbOptions
        {
            Path = _directory.Path,
            Clock = new ManualClock(1_700_000_000_000),
            ActiveExpiry = false,
            CollectionCleanup = true,
            CollectionCleanupInterval = TimeSpan.FromMilliseconds(5),
            CollectionCleanupSlice = 64,
        });
        for (int i = 0; i < 500; i++)
        {
            await db.SortedSets.AddAsync(Encoding.UTF8.GetBytes("gone"), i, Encoding.UTF8.GetBytes($"m{i}"));
        }

        await db.SortedSets.AddAsync(Encoding.UTF8.GetBytes("live"), 1, Encoding.UTF8.GetBytes("x"));
        Assert.Equal(1002, Entries(db));
        Assert.Equal(1, await db.DelAsync(Encoding.UTF8.GetBytes("gone")));
        var watch = Stopwatch.StartNew();
        while (Entries(db) != 2)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the dead members were not cleaned");
            await Task.Delay(5);
        }

        Assert.Equal(1, db.SortedSets.Score(Encoding.UTF8.GetBytes("live"), Encoding.UTF8.GetBytes("x")));
        Assert.Equal(0, db.SortedSets.Rank(Encoding.UTF8.GetBytes("live"), Encoding.UTF8.GetBytes("x")));
    }

    private static int Entries(KiwiDb db)
    {
        int count = 0;
        using IStorageCursor cursor = db.Engine.OpenCursor(KeySpace.ZSet);
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            count++;
        }

        return count;
    }
}
