using System.Diagnostics;
using System.Text;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests;

/// <summary>
/// <see cref="KiwiDb"/> over caller-supplied engines: RocksDB and the in-memory engine give the same answers,
/// and the active expiry cycle physically removes expired keys from either.
/// </summary>
public sealed class KiwiDbEngineTests
{
    private const long StartMs = 1_700_000_000_000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SameScenario_SameResultsOnBothEngines(bool rocks)
    {
        using var directory = new TempDirectory();
        var clock = new ManualClock(StartMs);
        using IStorageEngine engine = rocks ? RocksEngine.Open(directory.Path, 8L * 1024 * 1024) : new MemoryEngine();
        var transcript = new List<string>();
        using (KiwiDb db = KiwiDb.Open(engine, KiwiDbTestBase.Options(directory.Path, clock)))
        {
            transcript.Add($"set={await db.SetAsync("a", "1", KiwiExpiry.Seconds(10))}");
            transcript.Add($"incr={await db.IncrByAsync("a", 41)}");
            transcript.Add($"ttl={db.Ttl("a")}");
            transcript.Add($"append={await db.AppendAsync("s", "Hello")}");
            transcript.Add($"setrange={await db.SetRangeAsync("s", 7, "!")}");
            transcript.Add($"getrange={db.GetRange("s", -3, -1).Replace('\0', '0')}");
            transcript.Add($"msetnx={await db.MSetNxAsync(("a", "x"), ("b", "y"))}");
            transcript.Add($"nx={await db.SetAsync("b", "2", condition: SetCondition.NotExists)}");
            transcript.Add($"expire={await db.ExpireAsync("b", 5, ExpireCondition.Gt)}");
            transcript.Add($"exists={db.Exists("a", "b", "c", "a")}");
            transcript.Add($"mget={string.Join(',', db.MGet("a", "b", "c"))}");
            clock.Advance(10_001);
            transcript.Add($"expired={db.GetString("a") ?? "nil"}");
            transcript.Add($"incr-expired={await db.IncrAsync("a")}");
            transcript.Add($"del={await db.DelAsync("a", "b", "s", "c")}");
            transcript.Add($"type={db.Type("s")}");
        }

        Assert.Equal(
            [
                "set=True", "incr=42", "ttl=10", "append=5", "setrange=8", "getrange=00!", "msetnx=False", "nx=True",
                "expire=False", "exists=3", "mget=42,2,", "expired=nil", "incr-expired=1", "del=3", "type=None",
            ],
            transcript);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ActiveExpiry_PhysicallyDeletesExpiredKeys(bool rocks)
    {
        using var directory = new TempDirectory();
        var clock = new ManualClock(StartMs);
        using IStorageEngine engine = rocks ? RocksEngine.Open(directory.Path, 8L * 1024 * 1024) : new MemoryEngine();
        var options = new KiwiDbOptions
        {
            Path = directory.Path,
            Clock = clock,
            ActiveExpiry = true,
            ExpiryInterval = TimeSpan.FromMilliseconds(10),
        };
        using (KiwiDb db = KiwiDb.Open(engine, options))
        {
            await db.SetAsync("doomed", "v", KiwiExpiry.Milliseconds(1000));
            await db.SetAsync("rescued", "v", KiwiExpiry.Milliseconds(1000));
            await db.SetAsync("kept", "v", KiwiExpiry.Seconds(3600));
            await db.SetAsync("plain", "v");
            Assert.True(await db.PersistAsync("rescued"));
            Assert.True(StoredRaw(engine, "doomed"));
            Assert.Equal(3, ExpiryIndexEntries(engine));
            long applied = db.EntriesApplied;

            clock.Advance(2000);

            // The sweep deletes the key and both due index entries (the stale one of "rescued" too) in one batch.
            await Eventually(() => !StoredRaw(engine, "doomed") && ExpiryIndexEntries(engine) == 1);
            Assert.True(db.EntriesApplied > applied);
            Assert.True(StoredRaw(engine, "rescued"));
            Assert.True(StoredRaw(engine, "kept"));
            Assert.True(StoredRaw(engine, "plain"));
            Assert.Equal(3, db.Exists("rescued", "kept", "plain"));
            Assert.Equal(-1, db.Ttl("rescued"));
        }
    }

    [Fact]
    public void Open_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => KiwiDb.Open((KiwiDbOptions)null!));
        Assert.Throws<ArgumentNullException>(() => KiwiDb.Open(null!, new KiwiDbOptions { Path = "unused" }));
        Assert.Throws<ArgumentNullException>(() => KiwiDb.Open(new MemoryEngine(), null!));
    }

    private static bool StoredRaw(IStorageEngine engine, string key) => RawStore.Stored(engine, key);

    private static int ExpiryIndexEntries(IStorageEngine engine) => RawStore.ExpiryIndexEntries(engine);

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail("the condition did not become true within 10 s");
            }

            await Task.Delay(5);
        }
    }
}
