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

    private static string? ReadIn(RocksEngine engine, KeySpace space, byte[] key)
    {
        using var value = new ByteBuffer();
        return engine.TryGet(space, key, value) ? Encoding.UTF8.GetString(value.WrittenSpan) : null;
    }

    // The data key of `member` in the collection (db 0, "coll", version 7).
    private static byte[] Member(string member, byte? zsetTag = null)
    {
        using var buffer = new ByteBuffer();
        byte[] suffix = zsetTag is byte tag ? [tag, .. B(member)] : B(member);
        return KeyCodec.Data(buffer, 0, B("coll"), 7, suffix).ToArray();
    }

    /// <summary>
    /// Members that writes read back (hash fields, set members, a sorted set's member → score records) are cached
    /// like meta records: the same bytes in two spaces are two keys, a write leaves its value, a range delete of live
    /// members empties the cache, and a sorted set's score-order records are not cached at all.
    /// </summary>
    [Fact]
    public void Members_are_cached_per_space_and_stay_exact_through_writes_and_range_deletes()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1 << 20);
        byte[] field = Member("f");
        Commit(engine, w =>
        {
            w.Put(KeySpace.Meta, field, B("meta"));
            w.Put(KeySpace.Hash, field, B("hash"));
            w.Put(KeySpace.Set, field, B("set"));
        });
        (long hits, long misses) = engine.ReadCacheStats;
        Assert.Equal("meta", ReadIn(engine, KeySpace.Meta, field));
        Assert.Equal("hash", ReadIn(engine, KeySpace.Hash, field));
        Assert.Equal("set", ReadIn(engine, KeySpace.Set, field));
        Assert.Equal((hits + 3, misses), engine.ReadCacheStats); // all three staged by the write, each in its own slot

        Commit(engine, w => w.Put(KeySpace.Hash, field, B("hash2")));
        Assert.Equal("hash2", ReadIn(engine, KeySpace.Hash, field));
        Assert.Equal("meta", ReadIn(engine, KeySpace.Meta, field));
        Commit(engine, w => w.Delete(KeySpace.Set, field));
        Assert.Null(ReadIn(engine, KeySpace.Set, field));

        // Sorted sets: the member order is cached, the score order is not.
        byte[] byMember = Member("m", zsetTag: 0x00);
        byte[] byScore = Member("m", zsetTag: 0x01);
        Commit(engine, w =>
        {
            w.Put(KeySpace.ZSet, byMember, B("1.5"));
            w.Put(KeySpace.ZSet, byScore, B("1.5"));
        });
        (hits, misses) = engine.ReadCacheStats;
        Assert.Equal("1.5", ReadIn(engine, KeySpace.ZSet, byMember));
        Assert.Equal((hits + 1, misses), engine.ReadCacheStats);
        Assert.Equal("1.5", ReadIn(engine, KeySpace.ZSet, byScore));
        Assert.Equal("1.5", ReadIn(engine, KeySpace.ZSet, byScore));
        Assert.Equal((hits + 1, misses), engine.ReadCacheStats); // never looked up in the cache

        // A live range delete (FLUSHDB, MOVE) empties the cache; a retired one (a dead version's members) leaves it.
        Commit(engine, w => w.DeleteRange(KeySpace.Hash, B(""), new byte[] { 0xFF, 0xFF, 0xFF }, retired: true));
        (hits, misses) = engine.ReadCacheStats;
        Assert.Equal("1.5", ReadIn(engine, KeySpace.ZSet, byMember));
        Assert.Equal((hits + 1, misses), engine.ReadCacheStats);
        Commit(engine, w => w.DeleteRange(KeySpace.ZSet, B(""), new byte[] { 0xFF, 0xFF, 0xFF }));
        Assert.Null(ReadIn(engine, KeySpace.ZSet, byMember));
        Assert.Null(ReadIn(engine, KeySpace.ZSet, byScore));
        Assert.Equal("meta", ReadIn(engine, KeySpace.Meta, field));
    }

    /// <summary>
    /// The commit writes a batch in key order but loads the slots' version words in a first pass: both passes must
    /// see the keys in the same order, or each key's record is staged in (and its write holds) another key's slot,
    /// so the next reads miss and a reader's fill of the key's own slot is not fenced off by the write.
    /// </summary>
    [Fact]
    public void A_batch_written_out_of_key_order_leaves_every_key_cached_in_its_own_slot()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1 << 20);
        string[] keys = ["k5", "k1", "k9", "k3", "k7", "k2"];
        Commit(engine, w =>
        {
            foreach (string k in keys)
            {
                w.Put(KeySpace.Meta, B(k), B("v" + k));
            }
        });
        (long hits, long misses) = engine.ReadCacheStats;
        foreach (string k in keys)
        {
            Assert.Equal("v" + k, Read(engine, k));
        }

        Assert.Equal((hits + keys.Length, misses), engine.ReadCacheStats);
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
        AwaitStarted(() => Volatile.Read(ref started), readers.Length);

        using (var writes = new WriteSet())
        {
            var scratch = new byte[8];
            for (long n = 1; n <= Commits; n++)
            {
                CommitRound(engine, writes, scratch, key, n, B("cold:" + (n % 3000)));
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

    /// <summary>
    /// Range deletes among the puts: once a range delete's commit has returned, no read sees a value from before
    /// it (the cache's generation moved on), and once a later put has returned, no read misses it or sees an older one.
    /// </summary>
    [Fact]
    public async Task ConcurrentReaders_NeverSeeAValueARangeDeleteRemoved()
    {
        using var dir = new TempDirectory();
        using RocksEngine engine = RocksEngine.Open(dir.Path, 8L << 20, readCacheBytes: 1); // 1,024 slots
        const int Hot = 8;
        const int Rounds = 3000;
        var key = new byte[Hot][];
        for (int k = 0; k < Hot; k++)
        {
            key[k] = B("r:" + k);
        }

        // Positive: every hot key holds at least this value; negative: a range delete of -n finished after put n.
        long state = 0;
        int started = 0;
        using var stop = new CancellationTokenSource();
        var readers = new Task<long>[2];
        for (int r = 0; r < readers.Length; r++)
        {
            int seed = r;
            readers[r] = Task.Factory.StartNew(
                () =>
                {
                    using var value = new ByteBuffer();
                    using var cold = new ByteBuffer();
                    var random = new Random(seed);
                    long reads = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        long floor = Volatile.Read(ref state);
                        bool found = engine.TryGet(KeySpace.Meta, key[random.Next(Hot)], value);
                        long seen = found ? BinaryPrimitives.ReadInt64LittleEndian(value.WrittenSpan) : 0;
                        long after = Volatile.Read(ref state);
                        if (floor > 0)
                        {
                            // Absent only if the next range delete (after put m, the first multiple of 10 from the
                            // floor on) may have begun before the read ended: the writer had returned from put m.
                            long m = (floor + 9) / 10 * 10;
                            Assert.True(found ? seen >= floor : Math.Abs(after) >= m, $"read {(found ? seen : "nothing")} after put {floor} had returned");
                        }
                        else if (floor < 0)
                        {
                            Assert.True(!found || seen > -floor, $"read {seen} after the range delete past put {-floor} had returned");
                        }

                        engine.TryGet(KeySpace.Meta, Encoding.UTF8.GetBytes("rc:" + random.Next(2000)), cold); // share slots
                        if (reads++ == 0)
                        {
                            Interlocked.Increment(ref started);
                        }
                    }

                    return reads;
                },
                TaskCreationOptions.LongRunning);
        }

        AwaitStarted(() => Volatile.Read(ref started), readers.Length);
        using (var writes = new WriteSet())
        {
            var scratch = new byte[8];
            byte[] end = [0xFF, 0xFF, 0xFF];
            for (long n = 1; n <= Rounds; n++)
            {
                CommitRound(engine, writes, scratch, key, n, B("rc:" + (n % 2000)));
                Volatile.Write(ref state, n);
                if (n % 10 == 0)
                {
                    writes.Clear();
                    writes.DeleteRange(KeySpace.Meta, B("r:"), end);
                    engine.Commit(writes, sync: false);
                    Volatile.Write(ref state, -n);
                }
            }
        }

        stop.Cancel();
        long[] reads = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(reads, count => Assert.True(count > 0));
    }

    // Waits (bounded) until every reader has read once, so the writes that follow overlap the whole run.
    private static void AwaitStarted(Func<int> started, int readers)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (started() < readers && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }

        Assert.Equal(readers, started());
    }

    // One commit: `n` into every hot key, and a write of `cold` that churns the slots the hot keys share.
    private static void CommitRound(RocksEngine engine, WriteSet writes, byte[] scratch, byte[][] hot, long n, byte[] cold)
    {
        writes.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(scratch, n);
        foreach (byte[] key in hot)
        {
            writes.Put(KeySpace.Meta, key, scratch);
        }

        writes.Put(KeySpace.Meta, cold, B("c"));
        engine.Commit(writes, sync: false);
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
