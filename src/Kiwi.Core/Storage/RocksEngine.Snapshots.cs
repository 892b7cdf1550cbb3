using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;
using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Storage;

/// <content>Read views of committed state at one point in time.</content>
internal sealed partial class RocksEngine
{
    /// <summary>True when views read at a RocksDB snapshot; false when they hold off commits (in-place updates on).</summary>
    internal bool ViewsUseSnapshots => _gate is null;

    /// <inheritdoc />
    /// <remarks>
    /// With RocksDB snapshots (in-place updates off) the view reads at one, past the read cache: the cache holds
    /// the latest state only, so a hit could be newer than the snapshot (a commit made after it opened) and mix
    /// two points in time in one reply, and a fill from the snapshot could put an old record back after a newer
    /// commit. With in-place updates on, RocksDB has no snapshots: the view holds off commits while it is open
    /// (<see cref="CommitGate"/>), so the latest state is the view's state and reads go through the cache.
    /// </remarks>
    public StorageSnapshot OpenSnapshot()
    {
        View view = _views.Get();
        try
        {
            return new StorageSnapshot(view, view.Open());
        }
        catch
        {
            _views.Return(view);
            throw;
        }
    }

    /// <summary>
    /// A pooled view: a RocksDB snapshot, or a hold on the commit gate. Pinned by its handle and by each cursor
    /// opened through it; the last unpin ends it and returns it to the pool.
    /// </summary>
    private sealed class View(RocksEngine engine) : IStorageSnapshotSource
    {
        private RocksSnapshot _snapshot;
        private int _token;
        private int _pins;

        /// <summary>Starts a view of the state as it is now; returns its token.</summary>
        public int Open()
        {
            if (engine._gate is { } gate)
            {
                gate.EnterView();
            }
            else
            {
                _snapshot = engine._store.OpenSnapshot();
            }

            Volatile.Write(ref _pins, 1);
            return _token;
        }

        public bool TryGet(int token, KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
        {
            Check(token);
            return engine._gate is null
                ? _snapshot.TryGet(engine._columns[(int)space], key, value)
                : engine.TryGet(space, key, value);
        }

        public IStorageCursor OpenCursor(int token, KeySpace space)
        {
            Check(token);
            RocksColumn column = engine._columns[(int)space];
            Interlocked.Increment(ref _pins);
            try
            {
                return engine._gate is null ? new Cursor(_snapshot.CreateIterator(column), this) : Cursor.OpenLatest(engine._store, column, this);
            }
            catch
            {
                Unpin();
                throw;
            }
        }

        public void Release(int token)
        {
            if (token == _token)
            {
                // A new token first: from here the released handle and its copies are stale.
                _token = token + 1;
                Unpin();
            }
        }

        public void Unpin()
        {
            if (Interlocked.Decrement(ref _pins) != 0)
            {
                return;
            }

            if (engine._gate is { } gate)
            {
                gate.ExitView();
            }
            else
            {
                _snapshot.Dispose();
                _snapshot = default;
            }

            engine._views.Return(this);
        }

        private void Check(int token)
        {
            if (token != _token)
            {
                ThrowStale();
            }
        }

        private static void ThrowStale() => throw new ObjectDisposedException(nameof(StorageSnapshot));
    }

    private sealed class ViewPolicy(RocksEngine engine) : PooledObjectPolicy<View>
    {
        public override View Create() => new(engine);

        public override bool Return(View obj) => true;
    }
}
