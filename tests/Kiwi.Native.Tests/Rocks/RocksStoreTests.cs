using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

public sealed class RocksStoreTests : IDisposable
{
    private readonly RocksTestDirectory _dir = new();
    private readonly RocksStore _store;
    private readonly RocksColumn _a;
    private readonly RocksColumn _b;
    private readonly RocksWriteBatch _batch = new();
    private readonly ByteBuffer _value = new();

    public RocksStoreTests()
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
    public void InplaceFamily_RewriteAfterRangeDelete_StaysVisible_AlsoAfterReopen()
    {
        using var dir = new RocksTestDirectory();
        var options = new RocksStoreOptions { Path = dir.DbPath, ColumnFamilies = RocksTestDirectory.Families, InplaceUpdateFamilies = ["b"] };
        using var batch = new RocksWriteBatch();
        using var value = new ByteBuffer();
        using (RocksStore store = RocksStore.Open(options))
        {
            RocksColumn plain = store.Column(0);
            RocksColumn inplace = store.Column(1);
            Assert.False(plain.InplaceUpdates);
            Assert.True(inplace.InplaceUpdates);

            // Put, range delete, put the same key again with a value of the same size (FLUSHDB then SET).
            batch.Put(inplace, "key"u8, "old"u8);
            batch.Put(inplace, "gone"u8, "old"u8);
            store.Write(batch, sync: false);
            batch.Clear();
            batch.DeleteRange(inplace, "a"u8, "z"u8);
            Assert.True(batch.HasInplaceRangeDelete);
            Assert.Throws<InvalidOperationException>(() => batch.Put(inplace, "key"u8, "new"u8));
            batch.Put(plain, "other"u8, "fine"u8);
            store.Write(batch, sync: false);
            batch.Clear();
            Assert.False(batch.HasInplaceRangeDelete);
            batch.Put(inplace, "key"u8, "new"u8);
            store.Write(batch, sync: false);
            Assert.True(store.TryGet(inplace, "key"u8, value));
            Assert.Equal("new"u8.ToArray(), value.WrittenSpan.ToArray());
            Assert.False(store.TryGet(inplace, "gone"u8, value));

            // A retired range (no key in it is written again: a dead collection version) needs no flush, and puts
            // elsewhere in the family may follow it in the same batch.
            batch.Clear();
            batch.Put(inplace, "r1"u8, "old"u8);
            store.Write(batch, sync: false);
            batch.Clear();
            batch.DeleteRange(inplace, "r"u8, "s"u8, retired: true);
            Assert.False(batch.HasInplaceRangeDelete);
            batch.Put(inplace, "t"u8, "new"u8);
            store.Write(batch, sync: false);
            Assert.False(store.TryGet(inplace, "r1"u8, value));
            Assert.True(store.TryGet(inplace, "t"u8, value));

            // In-place overwrites read back.
            batch.Clear();
            batch.Put(inplace, "applied"u8, "00000001"u8);
            batch.Put(inplace, "applied"u8, "00000002"u8);
            store.Write(batch, sync: false);
        }

        // Reopen without a memtable flush on close: the WAL replay must rebuild the same answers.
        using (RocksStore store = RocksStore.Open(options))
        {
            RocksColumn inplace = store.Column(1);
            Assert.True(store.TryGet(inplace, "key"u8, value));
            Assert.Equal("new"u8.ToArray(), value.WrittenSpan.ToArray());
            Assert.False(store.TryGet(inplace, "gone"u8, value));
            Assert.True(store.TryGet(inplace, "applied"u8, value));
            Assert.Equal("00000002"u8.ToArray(), value.WrittenSpan.ToArray());
            Assert.True(store.TryGet(store.Column(0), "other"u8, value));
        }
    }

    [Fact]
    public void Open_ExposesPathAndColumnIndexes()
    {
        Assert.Equal(_dir.DbPath, _store.Path.TrimEnd('/'));
        Assert.Equal(0, _a.Index);
        Assert.Equal(1, _b.Index);
    }

    [Fact]
    public void Put_SameKeyInTwoColumns_ValuesAreIsolated()
    {
        _batch.Put(_a, "key"u8, "in-a"u8);
        _batch.Put(_b, "key"u8, "in-b"u8);
        _batch.Put(_a, "only-a"u8, "1"u8);
        _store.Write(_batch, sync: false);

        Assert.Equal("in-a", Get(_a, "key"u8));
        Assert.Equal("in-b", Get(_b, "key"u8));
        Assert.True(_store.Contains(_a, "only-a"u8));
        Assert.False(_store.Contains(_b, "only-a"u8));
    }

    [Fact]
    public void Put_Overwrite_LastValueWins()
    {
        _batch.Put(_a, "k"u8, "first"u8);
        _batch.Put(_a, "k"u8, "second"u8);
        _store.Write(_batch, sync: false);

        Assert.Equal("second", Get(_a, "k"u8));
    }

    [Fact]
    public void Delete_RemovesOnlyThatKeyInThatColumn()
    {
        _batch.Put(_a, "k"u8, "va"u8);
        _batch.Put(_b, "k"u8, "vb"u8);
        _batch.Put(_a, "other"u8, "x"u8);
        _store.Write(_batch, sync: false);
        _batch.Clear();

        _batch.Delete(_a, "k"u8);
        _store.Write(_batch, sync: false);

        Assert.False(_store.TryGet(_a, "k"u8, _value));
        Assert.False(_store.Contains(_a, "k"u8));
        Assert.Equal("vb", Get(_b, "k"u8));
        Assert.Equal("x", Get(_a, "other"u8));
    }

    [Fact]
    public void DeleteRange_RemovesHalfOpenRange()
    {
        for (int i = 0; i < 10; i++)
        {
            _batch.Put(_a, Key(i), "v"u8);
        }

        _batch.Put(_b, Key(4), "b"u8);
        _store.Write(_batch, sync: false);
        _batch.Clear();

        _batch.DeleteRange(_a, Key(3), Key(7));
        _store.Write(_batch, sync: false);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i is < 3 or >= 7, _store.Contains(_a, Key(i)));
        }

        Assert.True(_store.Contains(_b, Key(4)));
    }

    [Fact]
    public void TryGet_AbsentKey_ReturnsFalse()
    {
        Assert.False(_store.TryGet(_a, "missing"u8, _value));
        Assert.False(_store.Contains(_a, "missing"u8));
    }

    [Fact]
    public void TryGet_ReplacesPreviousBufferContent()
    {
        _batch.Put(_a, "k"u8, "short"u8);
        _store.Write(_batch, sync: false);
        _value.Set("a much longer previous content"u8);

        Assert.True(_store.TryGet(_a, "k"u8, _value));

        Assert.Equal("short", Encoding.UTF8.GetString(_value.WrittenSpan));
    }

    [Fact]
    public void LargeValue_8MB_RoundTrips()
    {
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(12345).NextBytes(big);
        _batch.Put(_a, "big"u8, big);
        _store.Write(_batch, sync: false);

        Assert.True(_store.TryGet(_a, "big"u8, _value));
        Assert.True(_value.WrittenSpan.SequenceEqual(big));

        _store.FlushMemtables();
        _value.Clear();
        Assert.True(_store.TryGet(_a, "big"u8, _value));
        Assert.True(_value.WrittenSpan.SequenceEqual(big));
    }

    [Fact]
    public void EmptyKeyAndEmptyValue_RoundTrip()
    {
        _batch.Put(_a, ReadOnlySpan<byte>.Empty, "for-empty-key"u8);
        _batch.Put(_a, "empty-value"u8, ReadOnlySpan<byte>.Empty);
        _store.Write(_batch, sync: false);
        _value.Set("stale"u8);

        Assert.True(_store.TryGet(_a, "empty-value"u8, _value));
        Assert.Equal(0, _value.Length);
        Assert.True(_store.Contains(_a, "empty-value"u8));
        Assert.Equal("for-empty-key", Get(_a, ReadOnlySpan<byte>.Empty));
        Assert.False(_store.Contains(_b, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Write_SyncAndNoSync_BothVisible()
    {
        _batch.Put(_a, "synced"u8, "1"u8);
        _store.Write(_batch, sync: true);
        _batch.Clear();
        _batch.Put(_a, "unsynced"u8, "2"u8);
        _store.Write(_batch, sync: false);

        Assert.Equal("1", Get(_a, "synced"u8));
        Assert.Equal("2", Get(_a, "unsynced"u8));
    }

    [Fact]
    public void Write_EmptyBatch_IsAccepted()
    {
        _store.Write(_batch, sync: false);

        Assert.Equal(0, _batch.Count);
        Assert.False(_store.Contains(_a, "anything"u8));
    }

    [Fact]
    public void Flushes_DoNotLoseData()
    {
        _batch.Put(_a, "k"u8, "v"u8);
        _batch.Put(_b, "k"u8, "w"u8);
        _store.Write(_batch, sync: false);

        _store.FlushWal(sync: true);
        _store.FlushWal(sync: false);
        _store.FlushMemtables();

        Assert.Equal("v", Get(_a, "k"u8));
        Assert.Equal("w", Get(_b, "k"u8));
    }

    [Fact]
    public void GetProperty_KnownProperty_ReturnsValue()
    {
        _batch.Put(_b, "k"u8, "v"u8);
        _store.Write(_batch, sync: false);

        string? keys = _store.GetProperty("rocksdb.estimate-num-keys", _b);

        Assert.NotNull(keys);
        Assert.True(long.Parse(keys) >= 1, $"estimate-num-keys = {keys}");
    }

    [Fact]
    public void FlushedFile_HasPartitionedIndexAndFilter_AndReadsThroughThem()
    {
        // A whole index grows with a file's keys and can outgrow a cache shard; partitions stay a block's size.
        for (int i = 0; i < 100_000; i++)
        {
            _batch.Put(_a, Encoding.ASCII.GetBytes($"key{i:D6}"), "some value of a string key"u8);
        }

        _store.Write(_batch, sync: false);
        _store.FlushMemtables();

        string? table = _store.GetProperty("rocksdb.aggregated-table-properties", _a);
        Assert.NotNull(table);
        Match partitions = Regex.Match(table, @"# index partitions=(\d+)");
        Assert.True(partitions.Success, table);
        Assert.True(int.Parse(partitions.Groups[1].Value, CultureInfo.InvariantCulture) > 1, table);
        Assert.Matches(@"filter block size=[1-9]", table);
        Assert.Equal("some value of a string key", Get(_a, "key054321"u8));
        Assert.False(_store.Contains(_a, "key100000"u8));
    }

    [Fact]
    public void Batch_CountAndClear()
    {
        Assert.Equal(0, _batch.Count);
        _batch.Put(_a, "1"u8, "x"u8);
        _batch.Delete(_b, "2"u8);
        _batch.DeleteRange(_a, "3"u8, "4"u8);
        Assert.Equal(3, _batch.Count);

        _batch.Clear();

        Assert.Equal(0, _batch.Count);
        _store.Write(_batch, sync: false);
        Assert.False(_store.Contains(_a, "1"u8));
    }

    [Fact]
    public void Batch_AfterDispose_ThrowsObjectDisposed()
    {
        var batch = new RocksWriteBatch();
        batch.Put(_a, "k"u8, "v"u8);
        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Count);
        Assert.Throws<ObjectDisposedException>(() => batch.Put(_a, "k"u8, "v"u8));
        Assert.Throws<ObjectDisposedException>(() => batch.Delete(_a, "k"u8));
        Assert.Throws<ObjectDisposedException>(() => batch.DeleteRange(_a, "a"u8, "b"u8));
        Assert.Throws<ObjectDisposedException>(batch.Clear);
        Assert.Throws<ObjectDisposedException>(() => _store.Write(batch, sync: false));
        Assert.False(_store.Contains(_a, "k"u8));
    }

    private string Get(RocksColumn column, ReadOnlySpan<byte> key)
    {
        Assert.True(_store.TryGet(column, key, _value), "key not found");
        return Encoding.UTF8.GetString(_value.WrittenSpan);
    }

    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key{i:D2}");
}
