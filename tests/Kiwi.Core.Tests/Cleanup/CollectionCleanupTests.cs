using System.Diagnostics;
using System.Text;
using Kiwi.Core.Cleanup;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Cleanup;

/// <summary>The background cleanup of dead collection members (<see cref="CollectionCleanup"/>), on RocksDB.</summary>
public sealed class CollectionCleanupTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new(1_700_000_000_000);
    private KiwiDb? _db;

    public void Dispose()
    {
        _db?.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Deleting_a_hash_of_1000_fields_empties_its_members_while_a_live_hash_keeps_its_own()
    {
        KiwiDb db = Open(TimeSpan.FromMilliseconds(5), slice: 64);
        await Fill(db, "gone", 1000);
        await Fill(db, "live", 10);
        Assert.Equal(1010, CountMembers(db, KeySpace.Hash));

        Assert.Equal(1, await db.DelAsync(B("gone")));
        await Until(() => CountMembers(db, KeySpace.Hash) == 10);

        Assert.Equal(Fields("live", 10), Visible(db, "live"));
        Assert.True(db.CleanedGroups >= 1);
    }

    [Fact]
    public void The_pause_after_a_slow_walk_keeps_walking_to_a_fiftieth_of_the_time()
    {
        TimeSpan interval = TimeSpan.FromMilliseconds(100);
        // A quick walk waits the configured interval; a slow one (a key space full of tombstones) waits 49 times
        // its own length, so the pass never takes more than 2% of a core.
        Assert.Equal(interval, CollectionCleanup.Pause(interval, TimeSpan.FromMilliseconds(1)));
        Assert.Equal(interval, CollectionCleanup.Pause(interval, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(490), CollectionCleanup.Pause(interval, TimeSpan.FromMilliseconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(49), CollectionCleanup.Pause(interval, TimeSpan.FromSeconds(1)));
        TimeSpan walk = TimeSpan.FromMilliseconds(37);
        Assert.True(walk / (walk + CollectionCleanup.Pause(interval, walk)) <= CollectionCleanup.MaxDutyPercent / 100.0);
    }

    [Fact]
    public async Task A_key_deleted_and_recreated_keeps_exactly_its_new_fields()
    {
        KiwiDb db = Open(Timeout.InfiniteTimeSpan, slice: 1024);
        // Bigger than the inline drop limit: only the background pass deletes their members.
        await Fill(db, "k", 100);
        await db.DelAsync(B("k"));
        await db.Hashes.SetAsync(B("k"), B("new1"), B("v"));
        await db.Hashes.SetAsync(B("k"), B("new2"), B("v"));

        // Overwritten by a string, then a hash again: two more dead versions.
        await Fill(db, "s", 5);
        await db.SetAsync(B("s"), B("string"));
        await Fill(db, "t", 70);
        await db.DelAsync(B("t"));
        await db.Hashes.SetAsync(B("t"), B("only"), B("v"));
        Assert.Equal(100 + 2 + 5 + 70 + 1, CountMembers(db, KeySpace.Hash));

        (int scanned, long deleted) = await db.CollectionCleanup!.RunSliceAsync();
        Assert.Equal(5, scanned);
        Assert.Equal(3, deleted);
        Assert.Equal(3, CountMembers(db, KeySpace.Hash));
        Assert.Equal(["new1", "new2"], Visible(db, "k"));
        Assert.Equal(["only"], Visible(db, "t"));
        using (KiwiValue value = await db.GetAsync(B("s")))
        {
            Assert.Equal("string", value.ToString());
        }

        // Nothing left to do: a second full round deletes nothing.
        Assert.Equal((2, 0L), await db.CollectionCleanup.RunSliceAsync());
    }

    [Fact]
    public async Task Expired_collections_are_cleaned_once_the_expiry_cycle_has_deleted_them()
    {
        KiwiDb db = Open(TimeSpan.FromMilliseconds(5), slice: 16, activeExpiry: true);
        await Fill(db, "short", 100);
        await Fill(db, "long", 3);
        Assert.True(await db.PExpireAsync(B("short"), 1_000));
        Assert.True(await db.PExpireAsync(B("long"), 1_000_000));

        // Not expired yet: through several rounds of the walk, an expiring collection's members stay.
        long scanned = db.CollectionCleanup!.GroupsScanned;
        await Until(() => db.CollectionCleanup.GroupsScanned >= scanned + 6);
        Assert.Equal(103, CountMembers(db, KeySpace.Hash));

        _clock.Advance(2_000);
        await Until(() => CountMembers(db, KeySpace.Hash) == 3);
        Assert.Equal(0, db.Hashes.Length(B("short")));
        Assert.Equal(Fields("long", 3), Visible(db, "long"));
    }

    [Fact]
    public async Task A_slice_looks_at_no_more_groups_than_its_size_and_resumes_where_it_stopped()
    {
        KiwiDb db = Open(Timeout.InfiniteTimeSpan, slice: 3);
        for (int i = 0; i < 10; i++)
        {
            await Fill(db, "h" + i, 65);
        }

        for (int i = 0; i < 10; i += 2)
        {
            await db.DelAsync(B("h" + i));
        }

        CollectionCleanup cleanup = db.CollectionCleanup!;
        var scans = new List<int>();
        long deleted = 0;
        for (int round = 0; round < 4; round++)
        {
            (int scanned, long gone) = await cleanup.RunSliceAsync();
            Assert.InRange(gone, 0, scanned);
            scans.Add(scanned);
            deleted += gone;
        }

        // 10 groups in slices of 3: the fourth slice takes the last one and reaches the end of every key space.
        Assert.Equal([3, 3, 3, 1], scans);
        Assert.Equal(5, deleted);
        Assert.Equal(5 * 65, CountMembers(db, KeySpace.Hash));
        Assert.Equal(3, (await cleanup.RunSliceAsync()).Scanned);
        Assert.Equal(13, cleanup.GroupsScanned);
    }

    [Fact]
    public async Task The_writer_keeps_a_group_its_key_still_names_whatever_the_request_says()
    {
        KiwiDb db = Open(Timeout.InfiniteTimeSpan, slice: 1024);
        await Fill(db, "k", 100);
        byte[] request = GroupRequest(db, KeySpace.Hash);

        // A stale decision (made before the key was recreated, say) reaches the writer: it re-checks and keeps it.
        Assert.Equal(0, await db.RunCleanupAsync(request));
        Assert.Equal(100, CountMembers(db, KeySpace.Hash));
        Assert.Equal(100, db.Hashes.Length(B("k")));

        await db.DelAsync(B("k"));
        Assert.Equal(1, await db.RunCleanupAsync(request));
        Assert.Equal(0, CountMembers(db, KeySpace.Hash));
    }

    [Fact]
    public async Task Racing_writes_never_lose_a_field_of_the_current_version()
    {
        // The slices race the writes from a task of their own, back to back: the background loop would pace
        // them (CollectionCleanup.Pause), and this test wants as many races as it can get.
        KiwiDb db = Open(Timeout.InfiniteTimeSpan, slice: 2);
        using var stop = new CancellationTokenSource();
        Task slices = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await db.CollectionCleanup!.RunSliceAsync();
            }
        });
        string[] keys = ["a", "b", "c", "d"];
        var model = keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal));
        var random = new Random(7);
        var watch = Stopwatch.StartNew();
        int writes = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3) || db.CleanedGroups < 20)
        {
            Assert.True(watch.Elapsed < s_deadline, "the cleanup deleted too few groups");
            string key = keys[random.Next(keys.Length)];
            int op = random.Next(10);
            if (op < 2)
            {
                await db.DelAsync(B(key));
                model[key].Clear();
            }
            else if (op < 4)
            {
                // A SET over the hash drops it without deleting its members: the background pass must.
                await db.SetAsync(B(key), B("string"));
                await db.DelAsync(B(key));
                model[key].Clear();
            }
            else
            {
                string field = "f" + random.Next(8);
                await db.Hashes.SetAsync(B(key), B(field), B("v"));
                model[key].Add(field);
            }

            writes++;
            Assert.Equal(model[key], Visible(db, key));
            Assert.Equal(model[key].Count, db.Hashes.Length(B(key)));
        }

        int expected = model.Values.Sum(fields => fields.Count);
        await Until(() => CountMembers(db, KeySpace.Hash) == expected);
        foreach (string key in keys)
        {
            Assert.Equal(model[key], Visible(db, key));
        }

        Assert.True(writes > 100);
        await stop.CancelAsync();
        await slices;
    }

    [Fact]
    public async Task Dropping_a_small_collection_deletes_its_members_in_the_same_batch_and_a_big_one_leaves_them()
    {
        KiwiDb db = Open(interval: null, slice: 1);
        await Fill(db, "small", (int)Kiwi.Core.Apply.ApplyContext.InlineDropLimit);
        await Fill(db, "big", (int)Kiwi.Core.Apply.ApplyContext.InlineDropLimit + 1);
        await Fill(db, "live", 3);
        await db.DelAsync(B("small"));
        await db.DelAsync(B("big"));
        Assert.Equal(65 + 3, CountMembers(db, KeySpace.Hash));

        // EXPIRE in the past, an expired key read by a write.
        await Fill(db, "e1", 5);
        await db.PExpireAtAsync(B("e1"), 1);
        await Fill(db, "e2", 5);
        await db.PExpireAsync(B("e2"), 1_000);
        _clock.Advance(2_000);
        await db.Hashes.SetAsync(B("e2"), B("again"), B("v"));
        Assert.Equal(65 + 3 + 1, CountMembers(db, KeySpace.Hash));
        Assert.Equal(["again"], Visible(db, "e2"));
    }

    [Fact]
    public void A_group_ends_at_its_version_plus_one_with_carry()
    {
        byte[] group = [0, 1, 0, 0, 0, 2, (byte)'a', (byte)'b', 0, 0, 0, 0, 0, 0, 0, 0xFF];
        Assert.Equal(16, KeyCodec.GroupLength([.. group, (byte)'m']));
        var end = new byte[group.Length];
        KeyCodec.GroupEnd(group, end);
        Assert.Equal([0, 1, 0, 0, 0, 2, (byte)'a', (byte)'b', 0, 0, 0, 0, 0, 0, 1, 0], end);

        byte[] last = [0, 1, 0, 0, 0, 2, (byte)'a', (byte)'b', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        KeyCodec.GroupEnd(last, end);
        Assert.Equal([0, 1, 0, 0, 0, 2, (byte)'a', (byte)'c', 0, 0, 0, 0, 0, 0, 0, 0], end);

        // A length field longer than the key is not a data key.
        Assert.Equal(0, KeyCodec.GroupLength([0, 1, 0, 0, 0, 9, (byte)'a', 0, 0, 0, 0, 0, 0, 0, 1]));
    }

    // A null interval turns the cleanup off.
    private KiwiDb Open(TimeSpan? interval, int slice, bool activeExpiry = false)
        => _db = KiwiDb.Open(new KiwiDbOptions
        {
            CollectionCleanup = interval is not null,
            Path = _directory.Path,
            Clock = _clock,
            ActiveExpiry = activeExpiry,
            ExpiryInterval = TimeSpan.FromMilliseconds(5),
            CollectionCleanupInterval = interval ?? Timeout.InfiniteTimeSpan,
            CollectionCleanupSlice = slice,
            BlockCacheBytes = 8L * 1024 * 1024,
        });

    private static async Task Fill(KiwiDb db, string key, int count)
    {
        for (int start = 0; start < count; start += 100)
        {
            var fields = new List<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>>();
            for (int i = start; i < Math.Min(count, start + 100); i++)
            {
                fields.Add(new(B($"{key}-field-{i:D4}"), B("value-" + i)));
            }

            await db.Hashes.SetAsync(B(key), [.. fields]);
        }
    }

    private static SortedSet<string> Fields(string key, int count)
        => new(Enumerable.Range(0, count).Select(i => $"{key}-field-{i:D4}"), StringComparer.Ordinal);

    private static SortedSet<string> Visible(KiwiDb db, string key)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        db.Hashes.ForEach(B(key), (field, _) => seen.Add(Encoding.UTF8.GetString(field)));
        return seen;
    }

    private static int CountMembers(KiwiDb db, KeySpace space)
    {
        int count = 0;
        using IStorageCursor cursor = db.Engine.OpenCursor(space);
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            count++;
        }

        return count;
    }

    // The cleanup request naming the group of the first member in the key space.
    private static byte[] GroupRequest(KiwiDb db, KeySpace space)
    {
        using IStorageCursor cursor = db.Engine.OpenCursor(space);
        cursor.Seek(default);
        Assert.True(cursor.Valid);
        int length = KeyCodec.GroupLength(cursor.Key);
        return [(byte)space, .. cursor.Key[..length]];
    }

    private static async Task Until(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < s_deadline, "the condition did not hold before the deadline");
            await Task.Delay(5);
        }
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
