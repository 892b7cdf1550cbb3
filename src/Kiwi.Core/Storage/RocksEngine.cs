using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Core.Storage;

/// <summary>The RocksDB storage engine: one instance, one column family per <see cref="KeySpace"/>.</summary>
public sealed class RocksEngine : IStorageEngine
{
    private readonly RocksStore _store;
    private readonly RocksColumn[] _columns;
    private readonly RocksWriteBatch _batch = new();

    private RocksEngine(RocksStore store)
    {
        _store = store;
        _columns = new RocksColumn[KeySpaces.Count];
        for (int i = 0; i < _columns.Length; i++)
        {
            _columns[i] = store.Column(i);
        }
    }

    /// <summary>The underlying store (checkpoints, properties).</summary>
    public RocksStore Store => _store;

    /// <summary>Opens the engine at <paramref name="path"/>.</summary>
    public static RocksEngine Open(string path, long blockCacheBytes = 256L * 1024 * 1024, bool enableWal = true)
    {
        var options = new RocksStoreOptions
        {
            Path = path,
            ColumnFamilies = KeySpaces.ColumnFamilyNames,
            // The string values (overwrite-heavy: the memtable stays one entry per key) and the engine state
            // (the applied index is rewritten by every batch). FLUSHDB range-deletes meta, so it ends its batch
            // (ApplyContext.EndBatch) and the store flushes meta after writing it.
            InplaceUpdateFamilies = ["meta", "raft"],
            BlockCacheBytes = blockCacheBytes,
            EnableWal = enableWal,
        };
        return new RocksEngine(RocksStore.Open(options));
    }

    /// <inheritdoc />
    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value) => _store.TryGet(_columns[(int)space], key, value);

    /// <inheritdoc />
    public void Commit(WriteSet writes, bool sync)
    {
        // Only the apply worker commits, so the one reusable batch needs no lock.
        _batch.Clear();
        var visitor = new BatchVisitor(_batch, _columns);
        writes.ForEach(ref visitor);
        _store.Write(_batch, sync);
    }

    /// <inheritdoc />
    public void SyncWal() => _store.FlushWal(sync: true);

    /// <inheritdoc />
    public void Checkpoint(string directory) => _store.Checkpoint(directory);

    /// <inheritdoc />
    public IStorageCursor OpenCursor(KeySpace space) => new Cursor(_store.CreateIterator(_columns[(int)space]));

    /// <summary>Closes RocksDB.</summary>
    public void Dispose()
    {
        _batch.Dispose();
        _store.Dispose();
    }

    private readonly struct BatchVisitor(RocksWriteBatch batch, RocksColumn[] columns) : WriteSet.IVisitor
    {
        public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => batch.Put(columns[(int)space], key, value);

        public void Delete(KeySpace space, ReadOnlySpan<byte> key) => batch.Delete(columns[(int)space], key);

        public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end) => batch.DeleteRange(columns[(int)space], begin, end);
    }

    private sealed class Cursor(RocksIterator iterator) : IStorageCursor
    {
        public bool Valid => iterator.Valid;

        public ReadOnlySpan<byte> Key => iterator.Key;

        public ReadOnlySpan<byte> Value => iterator.Value;

        public void Seek(ReadOnlySpan<byte> target) => iterator.Seek(target);

        public void Next() => iterator.Next();

        public void Dispose() => iterator.Dispose();
    }
}
