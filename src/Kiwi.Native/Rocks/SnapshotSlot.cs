using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>
/// What a <see cref="RocksSnapshot"/> handle points at, reused from the store's pool: the RocksDB snapshot and a
/// read-options object set to it (created once per slot, so a snapshot read allocates nothing). The generation
/// tells a live handle from a stale one; the pins count the handle and the cursors opened through it, and the
/// last unpin releases the RocksDB snapshot.
/// </summary>
internal sealed class SnapshotSlot
{
    private int _pins;

    public SnapshotSlot(RocksStore store)
    {
        Store = store;
        ReadOptions = RocksNative.Instance.rocksdb_readoptions_create();
    }

    public RocksStore Store { get; }

    public nint ReadOptions { get; }

    /// <summary>The RocksDB snapshot while open, else 0.</summary>
    public nint Snapshot { get; private set; }

    /// <summary>Moves on by one each time a handle is disposed; a handle is live while it has the current value.</summary>
    public int Generation { get; set; }

    /// <summary>Points the slot at a new RocksDB snapshot, pinned once (by the handle about to be made).</summary>
    public void Open(nint snapshot)
    {
        Snapshot = snapshot;
        RocksNative.Instance.rocksdb_readoptions_set_snapshot(ReadOptions, snapshot);
        Volatile.Write(ref _pins, 1);
    }

    public void Pin() => Interlocked.Increment(ref _pins);

    public void Unpin()
    {
        if (Interlocked.Decrement(ref _pins) == 0)
        {
            Store.CloseSnapshot(this);
        }
    }

    /// <summary>Forgets the closed snapshot: the read options must not keep pointing at freed memory.</summary>
    public void Clear()
    {
        RocksNative.Instance.rocksdb_readoptions_set_snapshot(ReadOptions, 0);
        Snapshot = 0;
    }

    /// <summary>Frees the read options (the slot is not pooled any more).</summary>
    public void Destroy() => RocksNative.Instance.rocksdb_readoptions_destroy(ReadOptions);
}
