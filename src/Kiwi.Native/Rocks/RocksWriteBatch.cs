using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>
/// A reusable RocksDB write batch. Puts and deletes copy the spans into the batch (no managed allocation);
/// <see cref="Clear"/> makes it ready for the next batch. Not thread-safe.
/// </summary>
public sealed unsafe class RocksWriteBatch : IDisposable
{
    private nint _handle = RocksNative.Instance.rocksdb_writebatch_create();

    // Bit i: the batch range-deletes in-place family i (see RocksStoreOptions.InplaceUpdateFamilies).
    private ulong _inplaceRangeDeletes;

    // Checked: a disposed batch must not reach rocksdb_write as a null pointer.
    internal nint Handle => Live();

    /// <summary>Number of operations in the batch.</summary>
    public int Count => RocksNative.Instance.rocksdb_writebatch_count(Live());

    /// <summary>True when the batch range-deletes in a family with in-place updates (the store then flushes it).</summary>
    public bool HasInplaceRangeDelete => _inplaceRangeDeletes != 0;

    /// <summary>Adds a put of <paramref name="key"/> = <paramref name="value"/> in <paramref name="column"/>.</summary>
    /// <exception cref="InvalidOperationException">The batch already range-deletes in this in-place family: the
    /// put could update an entry under that tombstone in place and stay hidden. Put it in the next batch.</exception>
    public void Put(RocksColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_inplaceRangeDeletes != 0 && (_inplaceRangeDeletes & (1UL << column.Index)) != 0)
        {
            ThrowPutAfterRangeDelete();
        }

        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            RocksNative.Instance.rocksdb_writebatch_put_cf(Live(), column.Handle, k, (nuint)key.Length, v, (nuint)value.Length);
        }
    }

    /// <summary>Adds a delete of <paramref name="key"/> in <paramref name="column"/>.</summary>
    public void Delete(RocksColumn column, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            RocksNative.Instance.rocksdb_writebatch_delete_cf(Live(), column.Handle, k, (nuint)key.Length);
        }
    }

    /// <summary>
    /// Adds a delete of every key in [<paramref name="begin"/>, <paramref name="end"/>) in <paramref name="column"/>.
    /// In a family with in-place updates, no put may follow in this batch, and <see cref="RocksStore.Write"/>
    /// flushes that family's memtable after writing it: an in-place update keeps the old entry's sequence
    /// number, so a later write of a key under the tombstone in the same memtable would stay hidden. With
    /// <paramref name="retired"/> the caller promises no key in the range is ever written again, so there is no
    /// such write and no flush.
    /// </summary>
    public void DeleteRange(RocksColumn column, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired = false)
    {
        if (column.InplaceUpdates && !retired)
        {
            _inplaceRangeDeletes |= 1UL << column.Index;
        }

        fixed (byte* b = begin)
        fixed (byte* e = end)
        {
            RocksNative.Instance.rocksdb_writebatch_delete_range_cf(Live(), column.Handle, (nint)b, (nuint)begin.Length, (nint)e, (nuint)end.Length);
        }
    }

    /// <summary>Removes every operation.</summary>
    public void Clear()
    {
        RocksNative.Instance.rocksdb_writebatch_clear(Live());
        _inplaceRangeDeletes = 0;
    }

    /// <summary>The in-place families this batch range-deletes, as a bit mask of column indexes.</summary>
    internal ulong InplaceRangeDeletes => _inplaceRangeDeletes;

    private static void ThrowPutAfterRangeDelete()
        => throw new InvalidOperationException("a put cannot follow a range delete of the same in-place column family in one batch");

    /// <summary>Frees the native batch.</summary>
    public void Dispose()
    {
        nint h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0)
        {
            RocksNative.Instance.rocksdb_writebatch_destroy(h);
        }
    }

    private nint Live()
    {
        nint h = _handle;
        if (h == 0)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(RocksWriteBatch));
        }

        return h;
    }
}
