using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Transactions;

/// <summary>
/// The writer's batch as a read view (<see cref="StorageSnapshot"/>): committed state with the batch's own puts and
/// deletes on top, so the reads queued in a transaction see its earlier writes through the same read code that
/// serves committed state; its cursors merge the batch too (<see cref="BatchCursor"/>), so ordered walks (KEYS, SCAN,
/// member and score ranges in either direction) see it as well. Used on the writer thread only, between two commands of an entry; committed state does
/// not move meanwhile (the writer is the only one committing), so no storage snapshot is needed.
/// </summary>
internal sealed class BatchView : IStorageSnapshotSource
{
    private readonly IStorageEngine _engine;
    private readonly WriteSet _writes;

    /// <summary>Creates the view of <paramref name="writes"/> over <paramref name="engine"/>.</summary>
    public BatchView(IStorageEngine engine, WriteSet writes)
    {
        _engine = engine;
        _writes = writes;
    }

    /// <summary>The view as a handle for read code.</summary>
    public StorageSnapshot Snapshot => new(this, 0);

    /// <inheritdoc />
    public bool TryGet(int token, KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
        => _writes.ReadThrough(_engine, space, key, value);

    /// <inheritdoc />
    public IStorageCursor OpenCursor(int token, KeySpace space) => new BatchCursor(_engine.OpenCursor(space), _writes, space);

    /// <inheritdoc />
    public void Release(int token)
    {
        // Nothing to release: the view lives as long as the writer.
    }
}
