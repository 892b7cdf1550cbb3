using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>
/// A forward/backward cursor over one column family, at the latest state when it was opened or at a
/// <see cref="RocksSnapshot"/>. <see cref="Key"/> and <see cref="Value"/> are valid until the next move. Dispose
/// it before the store is disposed.
/// </summary>
public sealed unsafe class RocksIterator : IDisposable
{
    private RocksStore _store;
    private SnapshotSlot? _snapshot;
    private nint _handle;

    internal RocksIterator(RocksStore store, nint handle, SnapshotSlot? snapshot)
    {
        _store = store;
        _handle = handle;
        _snapshot = snapshot;
    }

    /// <summary>
    /// True while the cursor is on an entry. When it is not, the iteration either reached the end of the data or
    /// stopped at an error (a damaged block): the error throws <see cref="StorageException"/> here, so a walk
    /// (SCAN, KEYS, DBSIZE, a collection's members) never passes a partial result off as a whole one.
    /// </summary>
    public bool Valid
    {
        get
        {
            nint handle = Live();
            if (RocksNative.Instance.rocksdb_iter_valid(handle) != 0)
            {
                return true;
            }

            CheckStatus();
            return false;
        }
    }

    /// <summary>The current key.</summary>
    public ReadOnlySpan<byte> Key
    {
        get
        {
            nint p = RocksNative.Instance.rocksdb_iter_key(Live(), out nuint len);
            return new ReadOnlySpan<byte>((void*)p, (int)len);
        }
    }

    /// <summary>The current value.</summary>
    public ReadOnlySpan<byte> Value
    {
        get
        {
            nint p = RocksNative.Instance.rocksdb_iter_value(Live(), out nuint len);
            return new ReadOnlySpan<byte>((void*)p, (int)len);
        }
    }

    /// <summary>Moves to the first key at or after <paramref name="target"/>.</summary>
    public void Seek(ReadOnlySpan<byte> target)
    {
        fixed (byte* t = target)
        {
            RocksNative.Instance.rocksdb_iter_seek(Live(), t, (nuint)target.Length);
        }
    }

    /// <summary>Moves to the last key at or before <paramref name="target"/>.</summary>
    public void SeekForPrev(ReadOnlySpan<byte> target)
    {
        fixed (byte* t = target)
        {
            RocksNative.Instance.rocksdb_iter_seek_for_prev(Live(), t, (nuint)target.Length);
        }
    }

    /// <summary>Moves to the previous key.</summary>
    public void Prev() => RocksNative.Instance.rocksdb_iter_prev(Live());

    /// <summary>Moves to the first key.</summary>
    public void SeekToFirst() => RocksNative.Instance.rocksdb_iter_seek_to_first(Live());

    /// <summary>Moves to the next key.</summary>
    public void Next() => RocksNative.Instance.rocksdb_iter_next(Live());

    /// <summary>Throws if the iteration stopped because of an error rather than the end of data.</summary>
    public void CheckStatus()
    {
        RocksNative.Instance.rocksdb_iter_get_error(Live(), out nint error);
        RocksError.Check(error);
    }

    /// <summary>Frees the cursor.</summary>
    public void Dispose()
    {
        nint h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0)
        {
            RocksNative.Instance.rocksdb_iter_destroy(h);
            _snapshot?.Unpin();
            _store.ExitCall();
        }
    }

    /// <summary>A disposed iterator object takes a new native iterator (see <see cref="RocksStore.CreateIterator(RocksColumn, RocksIterator?)"/>).</summary>
    internal void Reopen(RocksStore store, nint handle, SnapshotSlot? snapshot)
    {
        _store = store;
        _snapshot = snapshot;
        Volatile.Write(ref _handle, handle);
    }

    /// <summary>True once disposed (its object may then be given a new native iterator).</summary>
    public bool IsDisposed => Volatile.Read(ref _handle) == 0;

    private nint Live()
    {
        nint h = _handle;
        if (h == 0)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(RocksIterator));
        }

        return h;
    }
}
