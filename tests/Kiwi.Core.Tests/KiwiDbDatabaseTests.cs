using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>Databases through the embedded API: <see cref="KiwiDb.GetDatabase"/> handles, MOVE, SWAPDB, DBSIZE counts across restarts.</summary>
public sealed class KiwiDbDatabaseTests : KiwiDbTestBase
{
    [Fact]
    public async Task Handles_see_only_their_own_database()
    {
        KiwiDb three = Db.GetDatabase(3);
        Assert.Equal(3, three.Database);
        Assert.Equal(0, Db.Database);
        Assert.Same(Db, Db.GetDatabase(0));
        Assert.Same(Db, three.GetDatabase(0));
        await three.SetAsync("k", "three");
        await Db.SetAsync("k", "zero");
        await three.Hashes.SetAsync(B("h"), B("f"), B("v"));
        await three.Lists.PushRightAsync(B("l"), B("x"));
        await three.Sets.AddAsync(B("s"), B("m"));
        Assert.Equal("three", three.GetString("k"));
        Assert.Equal("zero", Db.GetString("k"));
        Assert.Equal(1, three.Hashes.Length(B("h")));
        Assert.Equal(0, Db.Hashes.Length(B("h")));
        Assert.Equal(1, three.Lists.Length(B("l")));
        Assert.Equal(0, Db.Exists(B("s")));
        Assert.Equal(4, three.DbSize());
        Assert.Equal(1, Db.DbSize());
        await three.FlushDbAsync();
        Assert.Equal(0, three.DbSize());
        Assert.Equal("zero", Db.GetString("k"));
        three.Dispose();
        Assert.Equal("zero", Db.GetString("k"));
    }

    [Fact]
    public void GetDatabase_refuses_an_index_out_of_range()
    {
        Assert.Equal(16, Db.DatabaseCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => Db.GetDatabase(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => Db.GetDatabase(-1));
    }

    [Fact]
    public async Task Move_and_swap_follow_redis()
    {
        KiwiDb one = Db.GetDatabase(1);
        await Db.SetAsync("m", "v", KiwiExpiry.Seconds(100));
        await Db.SortedSets.AddAsync(B("z"), 1.5, B("a"));
        Assert.True(await Db.MoveAsync(B("m"), 1));
        Assert.True(await Db.MoveAsync(B("z"), 1));
        Assert.False(await Db.MoveAsync(B("m"), 1));
        Assert.Equal("v", one.GetString("m"));
        Assert.Equal(100, one.Ttl(B("m")));
        Assert.Equal(1.5, one.SortedSets.Score(B("z"), B("a")));
        Assert.Equal("ERR source and destination objects are the same", await ErrorOf(async () => await Db.MoveAsync(B("x"), 0)));
        Assert.Equal("ERR DB index is out of range", await ErrorOf(async () => await Db.MoveAsync(B("x"), 16)));
        Assert.Equal("ERR DB index is out of range", await ErrorOf(async () => await Db.SwapDatabasesAsync(0, 16)));

        await Db.SwapDatabasesAsync(0, 1);
        Assert.Equal("v", Db.GetString("m"));
        Assert.Equal(0, one.DbSize());
        Assert.Equal(2, Db.DbSize());
        await Db.SwapDatabasesAsync(1, 1);
        Assert.Equal(2, Db.DbSize());
    }

    [Fact]
    public async Task Counts_and_the_swap_survive_a_restart()
    {
        KiwiDb two = Db.GetDatabase(2);
        await two.SetAsync("a", "1", KiwiExpiry.Seconds(50));
        await two.SetAsync("b", "1");
        await two.Hashes.SetAsync(B("h"), B("f"), B("v"));
        await Db.SetAsync("c", "1");
        await Db.SwapDatabasesAsync(2, 5);
        Reopen();
        Assert.Equal(3, Db.GetDatabase(5).DbSize());
        Assert.Equal(0, Db.GetDatabase(2).DbSize());
        Assert.Equal(1, Db.DbSize());
        Assert.Equal("1", Db.GetDatabase(5).GetString("a"));
        Assert.Equal(1, Db.ExpiringKeyCount(5));
        Assert.Equal(0, Db.ExpiringKeyCount(0));
    }

    [Fact]
    public async Task An_installed_snapshot_brings_its_counts_and_its_map()
    {
        using var source = new TempDirectory();
        using var checkpoint = new TempDirectory();
        string copy = Path.Combine(checkpoint.Path, "snapshot");
        using (KiwiDb from = KiwiDb.Open(Options(source.Path, Clock)))
        {
            KiwiDb two = from.GetDatabase(2);
            await two.SetAsync("a", "1", KiwiExpiry.Seconds(50));
            await two.Sets.AddAsync(B("s"), B("m"));
            await from.SwapDatabasesAsync(2, 7);
            await from.CheckpointAsync(copy);
        }

        // What this store held before is replaced, its counts and map included.
        await Db.SetAsync("old", "1");
        await Db.SwapDatabasesAsync(0, 1);
        await Db.InstallAsync(copy);
        Assert.Equal(2, Db.GetDatabase(7).DbSize());
        Assert.Equal(1, Db.ExpiringKeyCount(7));
        Assert.Equal(0, Db.GetDatabase(1).DbSize());
        Assert.Equal(0, Db.DbSize());
        Assert.Equal("1", Db.GetDatabase(7).GetString("a"));
        await Db.GetDatabase(7).SetAsync("b", "2");
        Assert.Equal(3, Db.GetDatabase(7).DbSize());
    }

    [Fact]
    public async Task Counts_follow_overwrites_deletes_and_expiry()
    {
        await Db.SetAsync("k", "1");
        await Db.SetAsync("k", "2");
        await Db.SetAsync("t", "1", KiwiExpiry.Milliseconds(10));
        Assert.Equal(2, Db.DbSize());
        Assert.Equal(1, Db.ExpiringKeyCount(0));
        await Db.SetAsync("t", "again");
        Assert.Equal(0, Db.ExpiringKeyCount(0));
        await Db.PExpireAsync(B("t"), 10);
        Assert.Equal(1, Db.ExpiringKeyCount(0));

        // An expired key counts until it is removed, as in Redis; a write that meets it removes it.
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Db.DbSize());
        Assert.Equal(0, await Db.DelAsync(B("t")));
        Assert.Equal(1, Db.DbSize());
        Assert.Equal(0, Db.ExpiringKeyCount(0));
        Assert.Equal(1, await Db.DelAsync(B("k")));
        Assert.Equal(0, Db.DbSize());
        await Db.SetAsync("x", "1");
        await Db.FlushAllAsync();
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void Database_map_record_has_a_fixed_format()
    {
        byte[] value = new byte[3 + (2 * 3)];
        DatabaseMap.Encode([1, 0, 2], value);
        Assert.Equal(Convert.FromHexString("01030001000000" + "0200"), value);
        Assert.Equal([1, 0, 2, 3], DatabaseMap.Decode(value, 4));
        Assert.Throws<InvalidDataException>(() => DatabaseMap.Decode(Convert.FromHexString("010200000000"), 2));
        Assert.Throws<InvalidDataException>(() => DatabaseMap.Decode(Convert.FromHexString("020100" + "0000"), 1));
    }

    [Fact]
    public void Database_counts_record_has_a_fixed_format()
    {
        byte[] value = new byte[3 + (16 * 2)];
        DatabaseCounts.Encode([3, 0], [1, 0], value);
        Assert.Equal(Convert.FromHexString("010200" + "0300000000000000" + "0100000000000000" + "0000000000000000" + "0000000000000000"), value);
        DatabaseCounts.Decode(value, out long[] keys, out long[] expires);
        Assert.Equal([3, 0], keys);
        Assert.Equal([1, 0], expires);
        Assert.Throws<InvalidDataException>(() => DatabaseCounts.Decode(value.AsSpan(0, 20), out _, out _));
    }
}
