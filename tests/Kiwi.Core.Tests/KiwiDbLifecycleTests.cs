using System.Buffers;

namespace Kiwi.Core.Tests;

/// <summary>Dispose semantics, writes accepted before dispose, and read-your-writes inside one batch.</summary>
public sealed class KiwiDbLifecycleTests : KiwiDbTestBase
{
    [Fact]
    public async Task ManyUnawaitedIncrs_EachSeeThePreviousOne()
    {
        const int Count = 1000;
        var pending = new ValueTask<long>[Count];
        for (int i = 0; i < Count; i++)
        {
            pending[i] = Db.IncrAsync("c");
        }

        var seen = new HashSet<long>();
        foreach (ValueTask<long> task in pending)
        {
            seen.Add(await task);
        }

        Assert.Equal(Count, seen.Count);
        Assert.Equal(1, seen.Min());
        Assert.Equal(Count, seen.Max());
        Assert.Equal("1000", Db.GetString("c"));
    }

    [Fact]
    public async Task UnawaitedWrites_ReadEachOthersResults()
    {
        ValueTask<bool> set = Db.SetAsync("k", "Hello", KiwiExpiry.Seconds(100));
        ValueTask<long> append = Db.AppendAsync("k", " World");
        ValueTask<long> range = Db.SetRangeAsync("k", 0, "J");
        ValueTask<KiwiValue> getSet = Db.GetSetAsync("k", "7");
        ValueTask<long> incr = Db.IncrByAsync("k", 3);
        ValueTask<KiwiValue> getDel = Db.GetDelAsync("k");
        ValueTask<bool> setNx = Db.SetNxAsync("k", "again");

        Assert.True(await set);
        Assert.Equal(11, await append);
        Assert.Equal(11, await range);
        Assert.Equal("Jello World", await Text(getSet));
        Assert.Equal(10, await incr);
        Assert.Equal("10", await Text(getDel));
        Assert.True(await setNx);
        Assert.Equal("again", Db.GetString("k"));
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task UnawaitedFailure_DoesNotDisturbItsNeighbours()
    {
        await Db.SetAsync("text", "abc");

        ValueTask<long> before = Db.IncrAsync("n");
        ValueTask<long> failing = Db.IncrAsync("text");
        ValueTask<long> after = Db.IncrAsync("n");

        Assert.Equal(1, await before);
        Assert.Equal("ERR value is not an integer or out of range", await ErrorOf(async () => await failing));
        Assert.Equal(2, await after);
        Assert.Equal("abc", Db.GetString("text"));
    }

    [Fact]
    public async Task WritesAcceptedBeforeDispose_AreAllApplied()
    {
        const int Count = 2000;
        var pending = new ValueTask<bool>[Count];
        for (int i = 0; i < Count; i++)
        {
            pending[i] = Db.SetAsync("key:" + i, "value:" + i);
        }

        Db.Dispose();
        foreach (ValueTask<bool> task in pending)
        {
            Assert.True(await task);
        }

        Reopen();
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal("value:" + i, Db.GetString("key:" + i));
        }
    }

    [Fact]
    public async Task Reopen_KeepsValuesAndTtls()
    {
        await Db.SetAsync("plain", "v");
        await Db.SetAsync("ttl", "v", KiwiExpiry.Seconds(100));
        await Db.SetAsync("short", "v", KiwiExpiry.Milliseconds(10));

        Reopen();
        Clock.Advance(11);

        Assert.Equal("v", Db.GetString("plain"));
        Assert.Equal(StartMs + 100_000, Db.PExpireTime("ttl"));
        Assert.Equal(0, Db.Exists("short"));
    }

    [Fact]
    public async Task Dispose_Twice_IsHarmless()
    {
        Db.Dispose();
        Db.Dispose();
        await Db.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => Db.Exists("k"));
    }

    [Fact]
    public async Task EveryApi_ThrowsObjectDisposedAfterDispose()
    {
        await Db.SetAsync("k", "v");
        Db.Dispose();
        KiwiDb db = Db;
        byte[] k = B("k");
        byte[] v = B("v");
        ReadOnlyMemory<byte>[] keys = [k];
        KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[] pairs = [new(k, v)];

        var calls = new (string Name, Func<Task> Call)[]
        {
            ("SetAsync", async () => await db.SetAsync(k, v)),
            ("SetAsync(string)", async () => await db.SetAsync("k", "v")),
            ("SetGetAsync", async () => await db.SetGetAsync(k, v)),
            ("GetSetAsync", async () => await db.GetSetAsync(k, v)),
            ("SetNxAsync", async () => await db.SetNxAsync(k, v)),
            ("SetExAsync", async () => await db.SetExAsync(k, 10, v)),
            ("PSetExAsync", async () => await db.PSetExAsync(k, 10, v)),
            ("GetDelAsync", async () => await db.GetDelAsync(k)),
            ("GetExAsync", async () => await db.GetExAsync(k)),
            ("GetExAsync(EX)", async () => await db.GetExAsync(k, KiwiExpiry.Seconds(10))),
            ("MSetAsync", async () => await db.MSetAsync(pairs)),
            ("MSetNxAsync", async () => await db.MSetNxAsync(pairs)),
            ("AppendAsync", async () => await db.AppendAsync(k, v)),
            ("SetRangeAsync", async () => await db.SetRangeAsync(k, 0, v)),
            ("IncrAsync", async () => await db.IncrAsync(k)),
            ("DecrAsync", async () => await db.DecrAsync(k)),
            ("IncrByAsync", async () => await db.IncrByAsync(k, 2)),
            ("DecrByAsync", async () => await db.DecrByAsync(k, 2)),
            ("DelAsync", async () => await db.DelAsync(k)),
            ("DelAsync(many)", async () => await db.DelAsync(keys)),
            ("UnlinkAsync", async () => await db.UnlinkAsync(keys)),
            ("ExpireAsync", async () => await db.ExpireAsync(k, 10)),
            ("PExpireAsync", async () => await db.PExpireAsync(k, 10)),
            ("ExpireAtAsync", async () => await db.ExpireAtAsync(k, 10)),
            ("PExpireAtAsync", async () => await db.PExpireAtAsync(k, 10)),
            ("PersistAsync", async () => await db.PersistAsync(k)),
            ("GetAsync", async () => await db.GetAsync(k)),
            ("Get", () => Sync(() => db.Get(k).Dispose())),
            ("GetString", () => Sync(() => db.GetString("k"))),
            ("TryGet", () => Sync(() => db.TryGet(k, new ArrayBufferWriter<byte>()))),
            ("MGet", () => Sync(() => db.MGet(keys, new KiwiValue[1]))),
            ("MGet(string)", () => Sync(() => db.MGet("k"))),
            ("StrLen", () => Sync(() => db.StrLen(k))),
            ("GetRange", () => Sync(() => db.GetRange(k, 0, -1).Dispose())),
            ("GetRange(writer)", () => Sync(() => db.GetRange(k, 0, -1, new ArrayBufferWriter<byte>()))),
            ("Exists", () => Sync(() => db.Exists(k))),
            ("Exists(many)", () => Sync(() => db.Exists(keys))),
            ("Type", () => Sync(() => db.Type(k))),
            ("Ttl", () => Sync(() => db.Ttl(k))),
            ("PTtl", () => Sync(() => db.PTtl(k))),
            ("ExpireTime", () => Sync(() => db.ExpireTime(k))),
            ("PExpireTime", () => Sync(() => db.PExpireTime(k))),
        };

        foreach ((string name, Func<Task> call) in calls)
        {
            await ExpectDisposed(name, call);
        }
    }

    private static Task Sync(Action action)
    {
        action();
        return Task.CompletedTask;
    }

    private static async Task ExpectDisposed(string name, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        Assert.Fail($"{name} did not throw ObjectDisposedException after Dispose");
    }
}
