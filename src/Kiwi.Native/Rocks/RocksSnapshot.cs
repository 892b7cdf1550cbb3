using Kiwi.Native.Memory;

namespace Kiwi.Native.Rocks;

/// <summary>
/// A read view of a <see cref="RocksStore"/> at one point in time (a RocksDB snapshot): every read through it
/// sees the writes committed before <see cref="RocksStore.OpenSnapshot"/> and none after, so the records of one
/// write batch are seen all or none. A handle: copies share one snapshot, reads may run on several threads at
/// once, <see cref="Dispose"/> releases it (once; later calls through any copy throw
/// <see cref="ObjectDisposedException"/>). Disposing while another thread reads through it is not allowed.
/// An open snapshot holds the store open (its <see cref="RocksStore.Dispose"/> waits for it) and keeps the
/// versions it sees from being compacted away: keep it for one command, not for minutes.
/// </summary>
public readonly struct RocksSnapshot : IDisposable
{
    private readonly SnapshotSlot? _slot;
    private readonly int _generation;

    internal RocksSnapshot(SnapshotSlot slot)
    {
        _slot = slot;
        _generation = slot.Generation;
    }

    /// <summary>Reads <paramref name="key"/> as of the snapshot into <paramref name="destination"/> (replacing its content); false when absent.</summary>
    public bool TryGet(RocksColumn column, ReadOnlySpan<byte> key, ByteBuffer destination)
    {
        SnapshotSlot slot = Live();
        return slot.Store.ReadAt(slot.ReadOptions, column, key, destination);
    }

    /// <summary>True when <paramref name="key"/> existed at the snapshot (no value copy).</summary>
    public bool Contains(RocksColumn column, ReadOnlySpan<byte> key)
    {
        SnapshotSlot slot = Live();
        return slot.Store.ContainsAt(slot.ReadOptions, column, key);
    }

    /// <summary>
    /// Opens a cursor over <paramref name="column"/> as of the snapshot. It may outlive this handle (it keeps the
    /// snapshot until it is disposed itself).
    /// </summary>
    public RocksIterator CreateIterator(RocksColumn column)
    {
        SnapshotSlot slot = Live();
        return slot.Store.IteratorAt(slot, column);
    }

    /// <summary>Releases the snapshot (when no cursor opened through it is still open); a second call does nothing.</summary>
    public void Dispose()
    {
        SnapshotSlot? slot = _slot;
        if (slot is not null && slot.Generation == _generation)
        {
            // A new generation before anything else: from here every copy of this handle is stale.
            slot.Generation = _generation + 1;
            slot.Unpin();
        }
    }

    private SnapshotSlot Live()
    {
        SnapshotSlot? slot = _slot;
        if (slot is null || slot.Generation != _generation)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(RocksSnapshot));
        }

        return slot;
    }
}
