using System.Runtime.CompilerServices;
using System.Text;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

public sealed class RocksSnapshotTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly RocksTestDirectory _dir = new();
    private readonly RocksStore _store;
    private readonly RocksColumn _a;
    private readonly RocksColumn _b;
    private readonly RocksWriteBatch _batch = new();
    private readonly ByteBuffer _value = new();

    public RocksSnapshotTests()
    {
        _store = RocksTestDirectory.Open(_dir.DbPath);
        _a = _store.Column(0);
        _b = _store.Column(1);
    }

    public void Dispose()
    {
        _value.Dispose();
        _batch.Dispose();
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Reads_SeeTheStoreAsItWasWhenOpened()
    {
        Put(_a, "k", "v1");
        Put(_b, "k", "b1");
        using RocksSnapshot snapshot = _store.OpenSnapshot();

        Put(_a, "k", "v2");
        Put(_a, "new", "x");
        Delete(_b, "k");

        Assert.Equal("v1", Get(snapshot, _a, "k"));
        Assert.Equal("b1", Get(snapshot, _b, "k"));
        Assert.False(snapshot.TryGet(_a, "new"u8, _value));
        Assert.False(snapshot.Contains(_a, "new"u8));
        Assert.True(snapshot.Contains(_b, "k"u8));
        Assert.True(_store.TryGet(_a, "k"u8, _value));
        Assert.Equal("v2", Encoding.ASCII.GetString(_value.WrittenSpan));
    }

    [Fact]
    public void Iterator_WalksTheSnapshot_AndMayOutliveTheHandle()
    {
        Put(_a, "k1", "old");
        Put(_a, "k3", "old");
        RocksSnapshot snapshot = _store.OpenSnapshot();
        Put(_a, "k1", "new");
        Put(_a, "k2", "new");
        Delete(_a, "k3");

        using RocksIterator it = snapshot.CreateIterator(_a);
        snapshot.Dispose();
        var seen = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            seen.Add(Encoding.ASCII.GetString(it.Key) + "=" + Encoding.ASCII.GetString(it.Value));
        }

        it.CheckStatus();
        Assert.Equal(["k1=old", "k3=old"], seen);
    }

    [Fact]
    public void UseAfterDispose_Throws_ThroughEveryCopy_AndDoubleDisposeIsHarmless()
    {
        Put(_a, "k", "v");
        RocksSnapshot snapshot = _store.OpenSnapshot();
        RocksSnapshot copy = snapshot;
        snapshot.Dispose();
        snapshot.Dispose();
        copy.Dispose();

        Assert.Throws<ObjectDisposedException>(() => snapshot.TryGet(_a, "k"u8, _value));
        Assert.Throws<ObjectDisposedException>(() => copy.Contains(_a, "k"u8));
        Assert.Throws<ObjectDisposedException>(() => copy.CreateIterator(_a));
        Assert.Throws<ObjectDisposedException>(() => default(RocksSnapshot).TryGet(_a, "k"u8, _value));

        // The slot is reused by the next snapshot; the stale handle still throws instead of reading that one.
        using RocksSnapshot next = _store.OpenSnapshot();
        Assert.Equal("v", Get(next, _a, "k"));
        Assert.Throws<ObjectDisposedException>(() => snapshot.TryGet(_a, "k"u8, _value));
    }

    [Fact]
    public async Task StoreDispose_WaitsForOpenSnapshotsAndCursors_ThenOpenSnapshotThrows()
    {
        RocksStore store = RocksTestDirectory.Open(_dir.Sub("other"));
        RocksSnapshot snapshot = store.OpenSnapshot();
        RocksIterator cursor = snapshot.CreateIterator(store.Column(0));
        snapshot.Dispose();
        Task closing = Task.Run(store.Dispose);

        // Still open: the cursor keeps the snapshot and the store (Dispose spins until it is closed).
        cursor.SeekToFirst();
        Assert.False(closing.IsCompleted);
        Assert.False(cursor.Valid);
        cursor.Dispose();
        await closing.WaitAsync(Deadline);

        Assert.Throws<ObjectDisposedException>(() => store.OpenSnapshot());
    }

    [Fact]
    public void InplaceFamilies_HaveNoSnapshots()
    {
        using var dir = new RocksTestDirectory();
        using RocksStore store = RocksStore.Open(new RocksStoreOptions { Path = dir.DbPath, ColumnFamilies = RocksTestDirectory.Families, InplaceUpdateFamilies = ["b"] });

        Assert.False(store.SupportsSnapshots);
        Assert.True(_store.SupportsSnapshots);
        Assert.Throws<NotSupportedException>(() => store.OpenSnapshot());
    }

    [Fact]
    public void SnapshotReads_AllocateNothing()
    {
        byte[][] keys = [.. Enumerable.Range(0, 8).Select(i => Encoding.ASCII.GetBytes("key" + i))];
        foreach (byte[] key in keys)
        {
            _batch.Put(_a, key, "a value of some length"u8);
        }

        _store.Write(_batch, sync: false);
        Assert.Equal(8 * 100, ReadAll(keys, 100));

        const int Iterations = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = ReadAll(keys, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Tiered JIT recompilation may allocate a few bytes once on this thread; any allocation per
        // snapshot would be at least one object (24+ bytes) per iteration.
        Assert.Equal(8 * Iterations, found);
        Assert.True(allocated < Iterations, $"{allocated} bytes allocated over {Iterations} snapshots of 8 reads and a cursor seek");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadAll(byte[][] keys, int iterations)
    {
        int found = 0;
        for (int i = 0; i < iterations; i++)
        {
            using RocksSnapshot snapshot = _store.OpenSnapshot();
            foreach (byte[] key in keys)
            {
                found += snapshot.TryGet(_a, key, _value) ? 1 : 0;
            }
        }

        return found;
    }

    private void Put(RocksColumn column, string key, string value)
    {
        _batch.Clear();
        _batch.Put(column, Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(value));
        _store.Write(_batch, sync: false);
    }

    private void Delete(RocksColumn column, string key)
    {
        _batch.Clear();
        _batch.Delete(column, Encoding.ASCII.GetBytes(key));
        _store.Write(_batch, sync: false);
    }

    private string? Get(RocksSnapshot snapshot, RocksColumn column, string key)
        => snapshot.TryGet(column, Encoding.ASCII.GetBytes(key), _value) ? Encoding.ASCII.GetString(_value.WrittenSpan) : null;
}
