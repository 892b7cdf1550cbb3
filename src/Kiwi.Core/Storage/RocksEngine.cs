using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;
using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Storage;

/// <summary>The RocksDB storage engine: one instance, one column family per <see cref="KeySpace"/>.</summary>
internal sealed partial class RocksEngine : IStorageEngine
{
    private readonly RocksStore _store;
    private readonly RocksColumn[] _columns;
    private readonly RocksWriteBatch _batch = new();
    private readonly ReadCache? _cache;

    // Without RocksDB snapshots (in-place updates on), views hold off commits instead (see OpenSnapshot).
    private readonly CommitGate? _gate;
    private readonly DefaultObjectPool<View> _views;

    private RocksEngine(RocksStore store, long readCacheBytes)
    {
        _store = store;
        _cache = readCacheBytes > 0 ? new ReadCache(readCacheBytes) : null;
        _gate = store.SupportsSnapshots ? null : new CommitGate();
        _views = new DefaultObjectPool<View>(new ViewPolicy(this), maximumRetained: 4 * Environment.ProcessorCount);
        _columns = new RocksColumn[KeySpaces.Count];
        for (int i = 0; i < _columns.Length; i++)
        {
            _columns[i] = store.Column(i);
        }
    }

    /// <summary>The underlying store (checkpoints, properties).</summary>
    public RocksStore Store => _store;

    /// <summary>Memory held by the read cache (0 without one).</summary>
    public long ReadCacheBytes => _cache?.Bytes ?? 0;

    /// <summary>Point reads answered by the read cache, and those that went to RocksDB (approximate; 0 without a cache).</summary>
    public (long Hits, long Misses) ReadCacheStats => _cache is null ? default : (_cache.Hits, _cache.Misses);

    // The memtable size of the sorted-set family (see Open).
    private const long SortedSetWriteBufferBytes = 8L * 1024 * 1024;

    /// <summary>
    /// Opens the engine at <paramref name="path"/>; <paramref name="readCacheBytes"/> above 0 puts a cache of small
    /// meta records in front of RocksDB's point reads (see <see cref="ReadCache"/>). <paramref name="inplaceUpdates"/>
    /// (default on) lets RocksDB overwrite string records in the memtable in place; RocksDB has no snapshots then,
    /// so <see cref="OpenSnapshot"/> holds off commits while a view is open instead of reading at a snapshot.
    /// <paramref name="memtableBudgetBytes"/> above 0 bounds all memtables together. <paramref name="rocksOptions"/>:
    /// RocksDB options on top of ours (see <see cref="RocksStoreOptions.Overrides"/>).
    /// </summary>
    public static RocksEngine Open(string path, long blockCacheBytes = 256L * 1024 * 1024, bool enableWal = true, long readCacheBytes = 0, bool inplaceUpdates = true, long memtableBudgetBytes = 0, string? rocksOptions = null)
    {
        var options = new RocksStoreOptions
        {
            Path = path,
            ColumnFamilies = KeySpaces.ColumnFamilyNames,
            // The string values (overwrite-heavy: the memtable stays one entry per key), the engine state (the
            // applied index is rewritten by every batch), and hash fields and set members: a pipelined HSET over
            // a hash's fields spent most of its time in the memtable's skiplist, grown with every overwritten
            // version (perf: 44% in FindGreaterOrEqual/FindSpliceForLevel); in place it went from 27-36k to 41k/s
            // and SADD to 110k/s on the same loaded machine. A range delete in such a family makes the store flush
            // it after the write (RocksWriteBatch.DeleteRange): FLUSHDB ends its batch for that.
            InplaceUpdateFamilies = inplaceUpdates ? ["meta", "raft", "hash", "set"] : [],
            // Sorted-set entries (member -> score, score -> member) are inserted, never updated in place, at random
            // places: every insert searches the memtable's skiplist from its top, and in a 64 MiB memtable (half a
            // million entries, more than the CPU caches hold) each level is a cache miss. With 8 MiB memtables for
            // that family (redis-benchmark -n 300000 over 100k members, server CPU per command, runs interleaved
            // with 64 MiB ones on a shared machine) ZADD -P 16 took 12.7-16.7 us instead of 18.7-23.6 and ZPOPMIN
            // -P 16 4.0-5.7 instead of 6.7-7.8, the flushes and compactions included. Lists (inserted in sequence
            // order, so each insert starts from the last one's place) showed no difference and keep 64 MiB.
            WriteBufferBytesByFamily = new Dictionary<string, long> { ["zset"] = SortedSetWriteBufferBytes },
            // List elements and the expiry index are walked by cursors, not read by key (a pop reads its first
            // element by key, then steps): a memtable bloom filter there only costs its insert a cache miss, 87% of
            // MemTable::Add's own time in pipelined RPOP (perf annotate). Every other family is read by key first.
            NoMemtableBloomFamilies = ["list", "expire"],
            // Deleted entries that later seeks step over: a sorted set drained from its low end (ZRANGE 0 0, a
            // scheduler's ZRANGEBYSCORE -inf now, a rate limiter's ZREMRANGEBYSCORE start at its tombstones), the
            // expiry index behind the expiry cycle, SCAN over deleted keys, fields and members deleted from a live
            // hash or set. Measured: 400k members added and popped (ZPOPMIN -P 16), then ZRANGE 0 0 of what was left
            // ran at 26-32/s (a seek over every tombstone) and at 370-660/s with this. Not lists: their reads start
            // at the head or tail, past the elements popped.
            DenseDeletionFamilies = ["meta", "hash", "set", "zset", "expire"],
            BlockCacheBytes = blockCacheBytes,
            MemtableBudgetBytes = memtableBudgetBytes,
            EnableWal = enableWal,
            Overrides = rocksOptions,
        };
        return new RocksEngine(RocksStore.Open(options), readCacheBytes);
    }

    /// <inheritdoc />
    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
        => _cache is not null && CacheTag(space, key) is int tag ? TryGetCached(space, key, (byte)tag, value) : _store.TryGet(_columns[(int)space], key, value);

    /// <inheritdoc />
    /// <remarks>A meta record from the read cache when it holds the key (the writer leaves what it wrote there), else straight to RocksDB (pinned, no copy of a large value); a prefix read fills nothing.</remarks>
    public int TryGetPrefix(KeySpace space, ReadOnlySpan<byte> key, Span<byte> prefix)
    {
        if (space == KeySpace.Meta && _cache is not null)
        {
            int cached = _cache.TryGetPrefix(key, prefix);
            if (cached != -2)
            {
                return cached;
            }
        }

        return _store.TryGetPrefix(_columns[(int)space], key, prefix);
    }

    /// <inheritdoc />
    public void Prefetch(KeySpace space, ReadOnlySpan<byte> key)
    {
        if (space == KeySpace.Meta)
        {
            _cache?.Prefetch(key);
        }
    }

    private bool TryGetCached(KeySpace space, ReadOnlySpan<byte> key, byte tag, ByteBuffer value)
    {
        switch (_cache!.TryGet(key, value, out long ticket, tag))
        {
            case ReadCache.Result.Found:
                return true;
            case ReadCache.Result.Absent:
                value.Clear();
                return false;
        }

        bool found = _store.TryGet(_columns[(int)space], key, value);
        if (found || space == KeySpace.Meta)
        {
            // A member found absent is not cached as such: it is mostly a write's read of a new member (ZADD, HSET,
            // SADD), whose commit stages the member right after; the fill was a wasted slot write (unpipelined ZADD
            // of new members: 0.7 us more per command than without member caching).
            _cache.Fill(key, found, found ? value.WrittenSpan : default, ticket, tag);
        }

        return found;
    }

    /// <summary>
    /// Which records the read cache holds, and under which tag (null: not cached): meta records, and the members
    /// that writes read back before they write them: a hash's fields (HSET), a set's members (SADD) and a sorted
    /// set's member → score records (ZADD, ZINCRBY, ZREM). A sorted set's score-order records and list elements
    /// are only walked, never read by key, and would only take slots. One rule for reads, fills and the commit's
    /// holds.
    /// </summary>
    private static int? CacheTag(KeySpace space, ReadOnlySpan<byte> key)
        => CachesSpace(space) && (space != KeySpace.ZSet || IsMemberRecord(key)) ? (int)space : null;

    // The spaces the read cache holds records of (all of a space, or for sorted sets the member order).
    private static bool CachesSpace(KeySpace space) => space is KeySpace.Meta or KeySpace.Hash or KeySpace.Set or KeySpace.ZSet;

    // A sorted set's member → score record: the byte after the key's group is the member order's tag.
    private static bool IsMemberRecord(ReadOnlySpan<byte> key)
    {
        int group = KeyCodec.GroupLength(key);
        return group > 0 && group < key.Length && key[group] == Commands.SortedSets.ZSetKeys.MemberTag;
    }

    // Only the apply worker commits and reads the count.
    private long _commits;

    /// <inheritdoc />
    public long Commits => _commits;

    /// <inheritdoc />
    public void Commit(WriteSet writes, bool sync)
    {
        // Counted before the write: a cursor opened before a commit that failed part way is not reused either.
        _commits++;
        // Only the apply worker commits, so the one reusable batch needs no lock. The read cache's slots of the
        // batch's meta keys are held from before the write until it is in, and given back empty (see ReadCache).
        _batch.Clear();
        if (_cache is null)
        {
            var plain = new BatchVisitor(_batch, _columns, null);
            writes.ForEachInKeyOrder(ref plain);
            Write(sync);
            return;
        }

        bool committed = false;
        try
        {
            // Both passes in one order: each Hold takes the slot its own key's Touch recorded.
            var touch = new TouchVisitor(_cache);
            writes.ForEachInKeyOrder(ref touch); // the order the holds below take the slots in
            var visitor = new BatchVisitor(_batch, _columns, _cache);
            writes.ForEachInKeyOrder(ref visitor);
            Write(sync);
            committed = true;
        }
        finally
        {
            _cache.Release(committed);
        }
    }

    /// <inheritdoc />
    public void SyncWal() => _store.FlushWal(sync: true);

    private void Write(bool sync)
    {
        if (_gate is null)
        {
            _store.Write(_batch, sync);
            return;
        }

        _gate.EnterCommit();
        try
        {
            _store.Write(_batch, sync);
        }
        finally
        {
            _gate.ExitCommit();
        }
    }

    /// <inheritdoc />
    public void Checkpoint(string directory) => _store.Checkpoint(directory);

    /// <inheritdoc />
    public IStorageCursor OpenCursor(KeySpace space) => new Cursor(_store.CreateIterator(_columns[(int)space]), null);

    /// <summary>Closes RocksDB.</summary>
    public void Dispose()
    {
        _batch.Dispose();
        _store.Dispose();
        _gate?.Dispose();
    }

    private readonly struct BatchVisitor(RocksWriteBatch batch, RocksColumn[] columns, ReadCache? cache) : WriteSet.IVisitor
    {
        public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (cache is not null && CacheTag(space, key) is int tag)
            {
                cache.Stage(cache.Hold(key, (byte)tag), key, true, value, (byte)tag);
            }

            batch.Put(columns[(int)space], key, value);
        }

        public void Delete(KeySpace space, ReadOnlySpan<byte> key)
        {
            if (cache is not null && CacheTag(space, key) is int tag)
            {
                cache.Stage(cache.Hold(key, (byte)tag), key, false, default, (byte)tag);
            }

            batch.Delete(columns[(int)space], key);
        }

        public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired)
        {
            // A retired range holds only members of collections no meta record names any more (their versions are
            // never made again): nothing reads them, so their slots may stay. Any other range of a cached space
            // empties the cache.
            if (!retired && CachesSpace(space))
            {
                cache?.HoldAll();
            }

            batch.DeleteRange(columns[(int)space], begin, end, retired);
        }
    }

    private readonly struct TouchVisitor(ReadCache cache) : WriteSet.IVisitor
    {
        public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (CacheTag(space, key) is int tag)
            {
                cache.Touch(key, (byte)tag);
            }
        }

        public void Delete(KeySpace space, ReadOnlySpan<byte> key)
        {
            if (CacheTag(space, key) is int tag)
            {
                cache.Touch(key, (byte)tag);
            }
        }

        public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired)
        {
        }
    }

    /// <summary>A RocksDB iterator; one opened through a view keeps the view until it is disposed.</summary>
    private sealed class Cursor(RocksIterator iterator, View? view) : IStorageCursor
    {
        // A cursor over the latest state given back on this thread, with its iterator object, for the next read's
        // walk (OpenLatest): each LRANGE, SMEMBERS or ZRANGE allocated both.
        [ThreadStatic]
        private static Cursor? t_spare;

        private RocksIterator _iterator = iterator;
        private View? _view = view;
        private bool _reusable;

        public bool Valid => _iterator.Valid;

        public ReadOnlySpan<byte> Key => _iterator.Key;

        public ReadOnlySpan<byte> Value => _iterator.Value;

        /// <summary>A cursor over the latest state of <paramref name="column"/> for <paramref name="view"/>: this thread's spare one when it has one.</summary>
        public static Cursor OpenLatest(RocksStore store, RocksColumn column, View view)
        {
            Cursor? spare = t_spare;
            if (spare is null)
            {
                return new Cursor(store.CreateIterator(column), view) { _reusable = true };
            }

            t_spare = null;
            spare._iterator = store.CreateIterator(column, spare._iterator);
            spare._view = view;
            return spare;
        }

        public void Seek(ReadOnlySpan<byte> target) => _iterator.Seek(target);

        public void Next() => _iterator.Next();

        public void SeekForPrev(ReadOnlySpan<byte> target) => _iterator.SeekForPrev(target);

        public void Prev() => _iterator.Prev();

        public void Dispose()
        {
            if (_iterator.IsDisposed)
            {
                return; // disposed already (it may be another walk's now: touch nothing)
            }

            _iterator.Dispose();
            Interlocked.Exchange(ref _view, null)?.Unpin();
            if (_reusable && t_spare is null)
            {
                t_spare = this;
            }
        }
    }
}
