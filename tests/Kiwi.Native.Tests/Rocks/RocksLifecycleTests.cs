using System.Text;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

public sealed class RocksLifecycleTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly RocksTestDirectory _dir = new();
    private readonly ByteBuffer _value = new();

    public void Dispose()
    {
        _value.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Reopen_AfterDispose_KeepsFlushedAndWalOnlyData()
    {
        using (RocksStore store = RocksTestDirectory.Open(_dir.DbPath))
        using (var batch = new RocksWriteBatch())
        {
            batch.Put(store.Column(0), "flushed"u8, "sst"u8);
            store.Write(batch, sync: false);
            store.FlushMemtables();
            batch.Clear();
            batch.Put(store.Column(1), "logged"u8, "wal"u8);
            store.Write(batch, sync: true);
        }

        using RocksStore reopened = RocksTestDirectory.Open(_dir.DbPath);

        Assert.Equal("sst", Get(reopened, reopened.Column(0), "flushed"u8));
        Assert.Equal("wal", Get(reopened, reopened.Column(1), "logged"u8));
        Assert.False(reopened.Contains(reopened.Column(0), "logged"u8));
    }

    [Fact]
    public void Iterator_WalksOneColumnInKeyOrder()
    {
        using RocksStore store = RocksTestDirectory.Open(_dir.DbPath);
        using (var batch = new RocksWriteBatch())
        {
            foreach (string k in new[] { "k3", "k1", "k5", "k2", "k4" })
            {
                batch.Put(store.Column(0), Encoding.ASCII.GetBytes(k), Encoding.ASCII.GetBytes("v" + k));
            }

            batch.Put(store.Column(1), "k0"u8, "other-column"u8);
            store.Write(batch, sync: false);
        }

        using RocksIterator it = store.CreateIterator(store.Column(0));
        it.SeekToFirst();
        var seen = new List<string>();
        while (it.Valid)
        {
            string key = Encoding.ASCII.GetString(it.Key);
            Assert.Equal("v" + key, Encoding.ASCII.GetString(it.Value));
            seen.Add(key);
            it.Next();
        }

        it.CheckStatus();
        Assert.Equal(new[] { "k1", "k2", "k3", "k4", "k5" }, seen);

        it.Seek("k3"u8);
        Assert.True(it.Valid);
        Assert.Equal("k3", Encoding.ASCII.GetString(it.Key));
        it.Seek("k35"u8);
        Assert.Equal("k4", Encoding.ASCII.GetString(it.Key));
        it.Seek("z"u8);
        Assert.False(it.Valid);
        it.CheckStatus();
    }

    [Fact]
    public void Iterator_EmptyColumn_IsNotValid()
    {
        using RocksStore store = RocksTestDirectory.Open(_dir.DbPath);
        using RocksIterator it = store.CreateIterator(store.Column(1));

        it.SeekToFirst();

        Assert.False(it.Valid);
        it.CheckStatus();
    }

    [Fact]
    public async Task Iterator_AfterDispose_ThrowsAndStoreStillCloses()
    {
        RocksStore store = RocksTestDirectory.Open(_dir.DbPath);
        RocksIterator it = store.CreateIterator(store.Column(0));
        it.Dispose();
        it.Dispose();

        Assert.Throws<ObjectDisposedException>(() => it.Valid);
        Assert.Throws<ObjectDisposedException>(() => it.Key.Length);
        Assert.Throws<ObjectDisposedException>(it.SeekToFirst);

        // A leaked call count would make Dispose wait forever.
        await Task.Run(store.Dispose).WaitAsync(Deadline);
    }

    [Fact]
    public void Checkpoint_CreatesOpenableSnapshot()
    {
        string checkpointPath = _dir.Sub("checkpoint");
        using (RocksStore store = RocksTestDirectory.Open(_dir.DbPath))
        using (var batch = new RocksWriteBatch())
        {
            batch.Put(store.Column(0), "k"u8, "a-value"u8);
            batch.Put(store.Column(1), "k"u8, "b-value"u8);
            store.Write(batch, sync: false);

            store.Checkpoint(checkpointPath);

            batch.Clear();
            batch.Put(store.Column(0), "after"u8, "x"u8);
            store.Write(batch, sync: false);
        }

        Assert.True(Directory.Exists(checkpointPath));
        using RocksStore copy = RocksTestDirectory.Open(checkpointPath);
        Assert.Equal("a-value", Get(copy, copy.Column(0), "k"u8));
        Assert.Equal("b-value", Get(copy, copy.Column(1), "k"u8));
        Assert.False(copy.Contains(copy.Column(0), "after"u8));
    }

    [Fact]
    public void Checkpoint_IntoExistingDirectory_ThrowsStorageException()
    {
        string existing = _dir.Sub("exists");
        Directory.CreateDirectory(existing);
        using RocksStore store = RocksTestDirectory.Open(_dir.DbPath);

        Assert.Throws<StorageException>(() => store.Checkpoint(existing));
    }

    [Fact]
    public void Calls_AfterDispose_ThrowObjectDisposed()
    {
        RocksStore store = RocksTestDirectory.Open(_dir.DbPath);
        RocksColumn a = store.Column(0);
        using var batch = new RocksWriteBatch();
        batch.Put(a, "k"u8, "v"u8);

        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Write(batch, sync: false));
        Assert.Throws<ObjectDisposedException>(() => store.TryGet(a, "k"u8, _value));
        Assert.Throws<ObjectDisposedException>(() => store.Contains(a, "k"u8));
        Assert.Throws<ObjectDisposedException>(() => store.CreateIterator(a));
        Assert.Throws<ObjectDisposedException>(() => store.FlushWal(sync: true));
        Assert.Throws<ObjectDisposedException>(store.FlushMemtables);
        Assert.Throws<ObjectDisposedException>(() => store.Checkpoint(_dir.Sub("never")));
        Assert.Throws<ObjectDisposedException>(() => store.GetProperty("rocksdb.estimate-num-keys", a));
        Assert.False(Directory.Exists(_dir.Sub("never")));
    }

    [Fact]
    public async Task Dispose_WhileReadersRun_ReadersSeeObjectDisposed()
    {
        RocksStore store = RocksTestDirectory.Open(_dir.DbPath);
        using (var batch = new RocksWriteBatch())
        {
            batch.Put(store.Column(0), "k"u8, "v"u8);
            store.Write(batch, sync: false);
        }

        var reads = new long[2];
        var readers = new Task[reads.Length];
        for (int r = 0; r < readers.Length; r++)
        {
            int id = r;
            readers[r] = Task.Factory.StartNew(
                () =>
                {
                    using var value = new ByteBuffer();
                    try
                    {
                        while (true)
                        {
                            if (!store.TryGet(store.Column(0), "k"u8, value))
                            {
                                throw new InvalidOperationException("key vanished before dispose");
                            }

                            Interlocked.Increment(ref reads[id]);
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        // expected once the store is disposed
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        Assert.True(
            SpinWait.SpinUntil(() => Interlocked.Read(ref reads[0]) > 100 && Interlocked.Read(ref reads[1]) > 100, Deadline),
            "readers did not start");
        store.Dispose();

        await Task.WhenAll(readers).WaitAsync(Deadline);
    }

    [Fact]
    public void Open_PathIsRegularFile_ThrowsStorageException()
    {
        string file = _dir.Sub("plain-file");
        File.WriteAllText(file, "not a database");

        Assert.Throws<StorageException>(() => RocksTestDirectory.Open(file));
    }

    private string Get(RocksStore store, RocksColumn column, ReadOnlySpan<byte> key)
    {
        Assert.True(store.TryGet(column, key, _value), "key not found");
        return Encoding.UTF8.GetString(_value.WrittenSpan);
    }
}
