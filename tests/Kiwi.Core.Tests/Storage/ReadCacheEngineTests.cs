using System.Buffers.Binary;
using System.Text;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Storage;

/// <summary>RocksDB with the read cache in front: reads always answer what RocksDB holds, under concurrent writes too.</summary>
public sealed class ReadCacheEngineTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Read(RocksEngine engine, string key)
    {
        using var value = new ByteBuffer();
        return engine.TryGet(KeySpace.Meta, B(key), value) ? Encoding.UTF8.GetString(value.WrittenSpan) : null;
    }

    private static void Commit(RocksEngine engine, Action<WriteSet> fill)
    {
        using var writes = new WriteSet();
        fill(writes);
        engine.Commit(writes, sync: false);
    }

    [Fact]
    public void Puts_Deletes_AndRangeDeletes_AreSeenThroughTheCache()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1 << 20);
        Assert.Null(Read(engine, "a"));
        Assert.Null(Read(engine, "a")); // cached absent
        Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B("1")));
        Assert.Equal("1", Read(engine, "a"));
        Assert.Equal("1", Read(engine, "a")); // a hit
        Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B("2")));
        Assert.Equal("2", Read(engine, "a"));
        Commit(engine, w => w.Delete(KeySpace.Meta, B("a")));
        Assert.Null(Read(engine, "a"));

        // A value too big for a slot, then a small one again.
        string big = new('v', 500);
        Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B(big)));
        Assert.Equal(big, Read(engine, "a"));
        Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B("3")));
        Assert.Equal("3", Read(engine, "a"));
        Assert.Equal("3", Read(engine, "a"));

        Commit(engine, w =>
        {
            w.Put(KeySpace.Meta, B("b"), B("x"));
            w.Put(KeySpace.Meta, B("c"), B("y"));
        });
        Assert.Equal("x", Read(engine, "b"));
        Assert.Equal("y", Read(engine, "c"));
        Commit(engine, w => w.DeleteRange(KeySpace.Meta, B("a"), B("c")));
        Assert.Null(Read(engine, "a"));
        Assert.Null(Read(engine, "b"));
        Assert.Equal("y", Read(engine, "c"));

        (long hits, long misses) = engine.ReadCacheStats;
        Assert.True(hits > 0 && misses > 0, $"hits {hits}, misses {misses}");
    }

    /// <summary>
    /// A batch whose keys are not in key order (its commit sorts them) still leaves each key's record in that key's
    /// own slot: every read after it is a hit. With the commit's two passes in different orders, the records went to
    /// each other's slots and only 2 of these 6 reads hit.
    /// </summary>
    [Fact]
    public void ABatchOutOfKeyOrder_LeavesEveryRecordInItsOwnSlot()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1 << 20);
        string[] keys = ["m", "c", "x", "a", "q", "f"];
        Commit(engine, w =>
        {
            foreach (string key in keys)
            {
                w.Put(KeySpace.Meta, B(key), B("v" + key));
            }
        });

        (long hits0, long misses0) = engine.ReadCacheStats;
        foreach (string key in keys)
        {
            Assert.Equal("v" + key, Read(engine, key));
        }

        (long hits, long misses) = engine.ReadCacheStats;
        Assert.Equal(keys.Length, hits - hits0);
        Assert.Equal(0, misses - misses0);
    }

    /// <summary>
    /// One writer raises a counter in 8 keys of a cache small enough for them to share slots with 3,000 others;
    /// readers check that no read is older than the last commit finished before it began (linearizable), and
    /// that no read goes backwards.
    /// </summary>
    [Fact]
    public async Task ConcurrentReaders_NeverSeeAValueOlderThanTheLastFinishedCommit()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1); // the minimum: 1,024 slots
        const int Hot = 8;
        const int Commits = 4000;
        long committed = 0;
        int started = 0;
        var key = new byte[Hot][];
        for (int k = 0; k < Hot; k++)
        {
            key[k] = B("hot:" + k);
        }

        Commit(engine, w =>
        {
            for (int k = 0; k < Hot; k++)
            {
                w.Put(KeySpace.Meta, key[k], BitConverter.GetBytes(0L));
            }

            for (int i = 0; i < 3000; i++)
            {
                w.Put(KeySpace.Meta, B("cold:" + i), B("c"));
            }
        });

        using var stop = new CancellationTokenSource();
        var readers = new Task<long>[2];
        for (int r = 0; r < readers.Length; r++)
        {
            int seed = r;
            readers[r] = Task.Factory.StartNew(() => ReadLoop(engine, key, () => Volatile.Read(ref committed), () => Interlocked.Increment(ref started), seed, stop.Token), TaskCreationOptions.LongRunning);
        }

        // The writes start once both readers read: they overlap the whole run.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref started) < readers.Length && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }

        Assert.Equal(readers.Length, Volatile.Read(ref started));

        using (var writes = new WriteSet())
        {
            var scratch = new byte[8];
            for (long n = 1; n <= Commits; n++)
            {
                writes.Clear();
                BinaryPrimitives.WriteInt64LittleEndian(scratch, n);
                for (int k = 0; k < Hot; k++)
                {
                    writes.Put(KeySpace.Meta, key[k], scratch);
                }

                writes.Put(KeySpace.Meta, B("cold:" + (n % 3000)), B("c"));
                engine.Commit(writes, sync: false);
                Volatile.Write(ref committed, n);
            }
        }

        stop.Cancel();
        long[] reads = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(reads, count => Assert.True(count > 0));
        for (int k = 0; k < Hot; k++)
        {
            using var value = new ByteBuffer();
            Assert.True(engine.TryGet(KeySpace.Meta, key[k], value));
            Assert.Equal(Commits, BinaryPrimitives.ReadInt64LittleEndian(value.WrittenSpan));
        }
    }

    private static long ReadLoop(RocksEngine engine, byte[][] keys, Func<long> committed, Action started, int seed, CancellationToken stop)
    {
        using var value = new ByteBuffer();
        using var cold = new ByteBuffer();
        var last = new long[keys.Length];
        var random = new Random(seed);
        long reads = 0;
        while (!stop.IsCancellationRequested)
        {
            int k = random.Next(keys.Length);
            long floor = committed();
            Assert.True(engine.TryGet(KeySpace.Meta, keys[k], value));
            long seen = BinaryPrimitives.ReadInt64LittleEndian(value.WrittenSpan);
            Assert.True(seen >= floor, $"read {seen} after commit {floor} had finished");
            Assert.True(seen >= last[k], $"read {seen} after {last[k]}");
            last[k] = seen;
            engine.TryGet(KeySpace.Meta, Encoding.UTF8.GetBytes("cold:" + random.Next(3000)), cold); // churn the shared slots
            if (reads++ == 0)
            {
                started();
            }
        }

        return reads;
    }
}
