using Kiwi.Native.Memory;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>Snapshots: pooled slots, reads and cursors at one point in time.</content>
public sealed partial class RocksStore
{
    // Slots kept for reuse; a slot that finds the pool full is destroyed. Rent and return are one interlocked
    // operation per probed entry, and nothing is allocated once the pool holds enough slots for the readers.
    private readonly SnapshotSlot?[] _snapshotPool = new SnapshotSlot?[Math.Max(8, 4 * Environment.ProcessorCount)];

    /// <summary>
    /// True when <see cref="OpenSnapshot"/> works: RocksDB has no snapshots when any column family updates its
    /// memtable in place (<see cref="RocksStoreOptions.InplaceUpdateFamilies"/>): an in-place update overwrites
    /// the value under its old sequence number, so no read view could exclude it.
    /// </summary>
    public bool SupportsSnapshots { get; private init; }

    /// <summary>
    /// Opens a read view of the store as it is now (see <see cref="RocksSnapshot"/>); dispose it when done.
    /// </summary>
    /// <exception cref="NotSupportedException">The store has in-place update families (see <see cref="SupportsSnapshots"/>).</exception>
    public RocksSnapshot OpenSnapshot()
    {
        if (!SupportsSnapshots)
        {
            ThrowHelper.ThrowNotSupported("RocksDB has no snapshots while a column family updates its memtable in place");
        }

        // The snapshot holds this call until its last unpin (CloseSnapshot), so the store stays open under it
        // and its reads need no guard of their own.
        EnterCall();
        SnapshotSlot? slot = null;
        try
        {
            slot = RentSnapshotSlot();
            slot.Open(RocksNative.Instance.rocksdb_create_snapshot(_db.Handle));
            return new RocksSnapshot(slot);
        }
        catch
        {
            if (slot is not null)
            {
                slot.Destroy();
            }

            ExitCall();
            throw;
        }
    }

    internal bool ReadAt(nint readOptions, RocksColumn column, ReadOnlySpan<byte> key, ByteBuffer destination)
        => ReadInto(readOptions, column, key, destination);

    internal bool ContainsAt(nint readOptions, RocksColumn column, ReadOnlySpan<byte> key)
        => Exists(readOptions, column, key);

    internal RocksIterator IteratorAt(SnapshotSlot slot, RocksColumn column) => OpenIterator(slot.ReadOptions, column, slot);

    /// <summary>Releases the slot's RocksDB snapshot and gives the slot back (its last pin is gone).</summary>
    internal void CloseSnapshot(SnapshotSlot slot)
    {
        RocksNative.Instance.rocksdb_release_snapshot(_db.Handle, slot.Snapshot);
        slot.Clear();
        ReturnSnapshotSlot(slot);

        // Last: Dispose may free the pool's slots as soon as no call is active.
        ExitCall();
    }

    private SnapshotSlot RentSnapshotSlot()
    {
        SnapshotSlot?[] pool = _snapshotPool;
        for (int i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is not null && Interlocked.Exchange(ref pool[i], null) is { } slot)
            {
                return slot;
            }
        }

        return new SnapshotSlot(this);
    }

    private void ReturnSnapshotSlot(SnapshotSlot slot)
    {
        SnapshotSlot?[] pool = _snapshotPool;
        for (int i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is null && Interlocked.CompareExchange(ref pool[i], slot, null) is null)
            {
                return;
            }
        }

        slot.Destroy();
    }

    // Dispose calls this once no call is active: every slot is back in the pool or destroyed.
    private void DestroySnapshotSlots()
    {
        for (int i = 0; i < _snapshotPool.Length; i++)
        {
            Interlocked.Exchange(ref _snapshotPool[i], null)?.Destroy();
        }
    }
}
