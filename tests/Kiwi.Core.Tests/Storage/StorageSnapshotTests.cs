using System.Runtime.CompilerServices;
using System.Text;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Storage;

/// <summary>
/// <see cref="IStorageEngine.OpenSnapshot"/>: one point in time for point reads and cursors, on every engine; a
/// disposed view throws; views read without allocating.
/// </summary>
public sealed class StorageSnapshotTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    [InlineData(EngineKind.Memory)]
    public async Task A_view_sees_the_commits_before_it_and_none_after(EngineKind kind)
    {
        using var dir = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, dir.Path);
        Commit(engine, w =>
        {
            w.Put(KeySpace.Meta, B("a"), B("1"));
            w.Put(KeySpace.Meta, B("b"), B("1"));
            w.Put(KeySpace.Hash, B("h1"), B("x"));
        });
        Assert.Equal("1", Read(engine, "a")); // a read cache fill, where there is one

        Task later;
        using (StorageSnapshot view = engine.OpenSnapshot())
        {
            // With in-place updates the commit waits for the view; otherwise it is in before the reads below.
            later = Task.Run(() => Commit(engine, w =>
            {
                w.Put(KeySpace.Meta, B("a"), B("2"));
                w.Delete(KeySpace.Meta, B("b"));
                w.Put(KeySpace.Meta, B("c"), B("2"));
                w.Put(KeySpace.Hash, B("h2"), B("y"));
            }));
            if (kind != EngineKind.RocksInplace)
            {
                await later.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal("2", Read(engine, "a"));
                Assert.Null(Read(engine, "b"));
            }

            Assert.Equal("1", Read(view, "a"));
            Assert.Equal("1", Read(view, "b"));
            Assert.Null(Read(view, "c"));
            using IStorageCursor cursor = view.OpenCursor(KeySpace.Hash);
            var seen = new List<string>();
            for (cursor.Seek(default); cursor.Valid; cursor.Next())
            {
                seen.Add(Encoding.UTF8.GetString(cursor.Key));
            }

            Assert.Equal(["h1"], seen);
        }

        await later.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("2", Read(engine, "a"));
        using StorageSnapshot after = engine.OpenSnapshot();
        Assert.Equal("2", Read(after, "a"));
        Assert.Null(Read(after, "b"));
    }

    [Fact]
    public async Task With_in_place_updates_a_commit_waits_for_open_views_and_their_cursors()
    {
        using var dir = new TempDirectory();
        using var engine = (RocksEngine)TestEngines.Open(EngineKind.RocksInplace, dir.Path);
        Assert.False(engine.ViewsUseSnapshots);
        StorageSnapshot view = engine.OpenSnapshot();
        IStorageCursor cursor = view.OpenCursor(KeySpace.Meta);
        view.Dispose();
        Task commit = Task.Run(() => Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B("1"))));

        // The cursor still holds the view, so the commit cannot be in yet.
        cursor.Seek(default);
        Assert.False(cursor.Valid);
        Assert.Null(Read(engine, "a"));
        Assert.False(commit.IsCompleted);
        cursor.Dispose();
        await commit.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("1", Read(engine, "a"));
    }

    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    [InlineData(EngineKind.Memory)]
    public void A_disposed_view_throws_through_every_copy_also_after_its_source_is_reused(EngineKind kind)
    {
        using var dir = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, dir.Path);
        using var value = new ByteBuffer();
        StorageSnapshot view = engine.OpenSnapshot();
        StorageSnapshot copy = view;
        view.Dispose();
        view.Dispose();
        copy.Dispose();

        Assert.Throws<ObjectDisposedException>(() => view.TryGet(KeySpace.Meta, "a"u8, value));
        Assert.Throws<ObjectDisposedException>(() => copy.OpenCursor(KeySpace.Meta));
        Assert.Throws<ObjectDisposedException>(() => default(StorageSnapshot).TryGet(KeySpace.Meta, "a"u8, value));
        default(StorageSnapshot).Dispose();

        using StorageSnapshot next = engine.OpenSnapshot();
        Assert.False(next.TryGet(KeySpace.Meta, "a"u8, value));
        Assert.Throws<ObjectDisposedException>(() => view.TryGet(KeySpace.Meta, "a"u8, value));

        // Released views leave nothing held: a commit goes through.
        next.Dispose();
        Commit(engine, w => w.Put(KeySpace.Meta, B("a"), B("1")));
        Assert.Equal("1", Read(engine, "a"));
    }

    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    public void Mget_like_reads_through_a_view_allocate_nothing(EngineKind kind)
    {
        using var dir = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, dir.Path);
        byte[][] keys = [.. Enumerable.Range(0, 8).Select(i => B("key" + i))];
        byte[] record = new byte[MetaValue.HeaderSize + 7];
        MetaValue.WriteHeader(record, KeyType.String, 0);
        "a value"u8.CopyTo(record.AsSpan(MetaValue.HeaderSize));
        using (var writes = new WriteSet())
        using (var key = new ByteBuffer())
        {
            foreach (byte[] k in keys)
            {
                writes.Put(KeySpace.Meta, KeyCodec.Meta(key, 0, k), record);
            }

            engine.Commit(writes, sync: false);
        }

        Assert.Equal(8 * 100, ReadAll(engine, keys, 100));

        const int Iterations = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = ReadAll(engine, keys, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Tiered JIT recompilation may allocate a few bytes once on this thread; any allocation per view would be
        // at least one object (24+ bytes) per iteration.
        Assert.Equal(8 * Iterations, found);
        Assert.True(allocated < Iterations, $"{allocated} bytes allocated over {Iterations} views of 8 lookups");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadAll(IStorageEngine engine, byte[][] keys, int iterations)
    {
        int found = 0;
        for (int i = 0; i < iterations; i++)
        {
            using StorageSnapshot view = engine.OpenSnapshot();
            foreach (byte[] key in keys)
            {
                found += ReadPath.Lookup(view, 0, key, 0) == KeyType.String ? 1 : 0;
            }
        }

        ReadPath.Release();
        return found;
    }

    private static void Commit(IStorageEngine engine, Action<WriteSet> fill)
    {
        using var writes = new WriteSet();
        fill(writes);
        engine.Commit(writes, sync: false);
    }

    private static string? Read(IStorageEngine engine, string key)
    {
        using var value = new ByteBuffer();
        return engine.TryGet(KeySpace.Meta, B(key), value) ? Encoding.UTF8.GetString(value.WrittenSpan) : null;
    }

    private static string? Read(StorageSnapshot view, string key)
    {
        using var value = new ByteBuffer();
        return view.TryGet(KeySpace.Meta, B(key), value) ? Encoding.UTF8.GetString(value.WrittenSpan) : null;
    }
}
