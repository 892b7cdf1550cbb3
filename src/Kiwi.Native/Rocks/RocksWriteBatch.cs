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

    // Checked: a disposed batch must not reach rocksdb_write as a null pointer.
    internal nint Handle => Live();

    /// <summary>Number of operations in the batch.</summary>
    public int Count => RocksNative.Instance.rocksdb_writebatch_count(Live());

    /// <summary>Adds a put of <paramref name="key"/> = <paramref name="value"/> in <paramref name="column"/>.</summary>
    public void Put(RocksColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
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

    /// <summary>Adds a delete of every key in [<paramref name="begin"/>, <paramref name="end"/>) in <paramref name="column"/>.</summary>
    /// <exception cref="InvalidOperationException">The family updates in place (see
    /// <see cref="RocksStoreOptions.InplaceUpdateFamilies"/>): a range delete there would hide later writes.</exception>
    public void DeleteRange(RocksColumn column, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        if (column.InplaceUpdates)
        {
            throw new InvalidOperationException("range deletes are refused in a column family with in-place updates");
        }

        fixed (byte* b = begin)
        fixed (byte* e = end)
        {
            RocksNative.Instance.rocksdb_writebatch_delete_range_cf(Live(), column.Handle, (nint)b, (nuint)begin.Length, (nint)e, (nuint)end.Length);
        }
    }

    /// <summary>Removes every operation.</summary>
    public void Clear() => RocksNative.Instance.rocksdb_writebatch_clear(Live());

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
