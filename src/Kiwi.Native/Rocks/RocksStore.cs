using System.Runtime.CompilerServices;
using Kiwi.Native.Memory;
using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>
/// One RocksDB instance with its column families, reached through allocation-free fast paths: pointer/span
/// write batches, pinned reads copied into a caller's buffer, and raw iterators. Every call is guarded so
/// that <see cref="Dispose"/> waits for calls in progress and later calls fail with
/// <see cref="ObjectDisposedException"/> instead of touching freed memory.
/// </summary>
public sealed unsafe partial class RocksStore : IDisposable
{
    private readonly RocksDb _db;
    private readonly Cache _cache;
    private readonly nint _writeBufferManager;
    private readonly RocksColumn[] _columns;
    private readonly string[] _names;
    private readonly nint _readOptions;
    private readonly nint _writeOptions;
    private readonly nint _syncWriteOptions;
    private int _activeCalls;

    [ThreadStatic]
    private static bool t_perfContextOff;
    private volatile bool _disposed;

    private RocksStore(RocksDb db, Cache cache, nint writeBufferManager, RocksColumn[] columns, string[] names, bool enableWal)
    {
        _writeBufferManager = writeBufferManager;
        _names = names;
        _db = db;
        _cache = cache;
        _columns = columns;
        _readOptions = RocksNative.Instance.rocksdb_readoptions_create();
        _writeOptions = RocksNative.Instance.rocksdb_writeoptions_create();
        _syncWriteOptions = RocksNative.Instance.rocksdb_writeoptions_create();
        RocksNative.Instance.rocksdb_writeoptions_set_sync(_syncWriteOptions, 1);
        if (!enableWal)
        {
            RocksNative.Instance.rocksdb_writeoptions_disable_WAL(_writeOptions, 1);
            RocksNative.Instance.rocksdb_writeoptions_disable_WAL(_syncWriteOptions, 1);
        }
    }

    /// <summary>Directory of the database.</summary>
    public string Path => _db.Path;

    /// <summary>Opens (creating when missing) the database and its column families.</summary>
    public static RocksStore Open(RocksStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            Directory.CreateDirectory(options.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot open RocksDB at '{options.Path}': {ex.Message}", ex);
        }

        if (options.InplaceUpdateFamilies.Count > 0 && options.ColumnFamilies.Count > 64)
        {
            throw new ArgumentException("in-place update families need at most 64 column families", nameof(options));
        }

        Cache cache = Cache.CreateLru((ulong)Math.Max(options.BlockCacheBytes, 1 << 20));
        BlockBasedTableOptions table = TableOptions(cache, options);
        ColumnFamilyOptions cfOptions = FamilyOptions(table, options, inplace: false, options.WriteBufferBytes, memtableBloom: true, denseDeletions: false);
        var dbOptions = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .IncreaseParallelism(Math.Max(2, options.BackgroundJobs))
            .SetKeepLogFileNum(2)
            .SetMaxTotalWalSize(512UL * 1024 * 1024)
            .SetInfoLogLevel(InfoLogLevel.Warn)
            .SetAllowConcurrentMemtableWrite(options.InplaceUpdateFamilies.Count == 0);
        RocksNative.Instance.rocksdb_options_set_avoid_flush_during_shutdown(dbOptions.Handle, options.AvoidFlushOnClose ? (byte)1 : (byte)0);

        // A damaged WAL refuses to open instead of replaying up to the damage and serving what came before it
        // (RocksDB's default, point-in-time recovery: measured, a WAL with 21 bytes overwritten in its middle
        // opened with 9,564 of 18,148 keys and no word said). Only a record cut short at the very end, as a
        // power loss leaves it, is dropped: that write was never acknowledged as synced.
        RocksNative.Instance.rocksdb_options_set_wal_recovery_mode(dbOptions.Handle, 0 /* kTolerateCorruptedTailRecords */);

        dbOptions = WithOverrides(dbOptions, options.Overrides);
        cfOptions = WithOverrides(cfOptions, options.Overrides);
        nint writeBufferManager = MemtableBudget(dbOptions, options.MemtableBudgetBytes);
        var families = new ColumnFamilies(cfOptions);
        foreach (string name in options.ColumnFamilies)
        {
            bool inplace = options.InplaceUpdateFamilies.Contains(name);
            bool bloom = !options.NoMemtableBloomFamilies.Contains(name);
            bool denseDeletions = options.DenseDeletionFamilies.Contains(name);
            long writeBuffer = options.WriteBufferBytesByFamily.TryGetValue(name, out long own) ? own : options.WriteBufferBytes;
            families.Add(name, inplace || !bloom || denseDeletions || writeBuffer != options.WriteBufferBytes
                ? WithOverrides(FamilyOptions(table, options, inplace, writeBuffer, bloom, denseDeletions), options.Overrides)
                : cfOptions);
        }

        RocksDb db;
        try
        {
            db = RocksDb.Open(dbOptions, options.Path, families);
        }
        catch (RocksDbException ex)
        {
            DestroyWriteBufferManager(writeBufferManager);
            throw new StorageException($"cannot open RocksDB at '{options.Path}': {ex.Message}", ex);
        }

        var columns = new RocksColumn[options.ColumnFamilies.Count];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = new RocksColumn(db.GetColumnFamily(options.ColumnFamilies[i]).Handle, i, options.InplaceUpdateFamilies.Contains(options.ColumnFamilies[i]));
        }

        return new RocksStore(db, cache, writeBufferManager, columns, [.. options.ColumnFamilies], options.EnableWal)
        {
            SupportsSnapshots = options.InplaceUpdateFamilies.Count == 0,
        };
    }

    // Writes are slowed, not stopped, by files piling up in level 0 (RocksDB's default stops them at 36 files).
    // Measured (README, issue #14) with SETs right after a load that left its data in level 0: the stop held every
    // write for as long as one compaction took all of level 0 down (half a minute for 2 GB; two subcompactions did
    // not shorten it on 2 cores), while slowed writes went on and the debt was gone as soon. The slowdown at 20
    // files and the pending-compaction-bytes limits still pace writes that outrun compaction.
    private const int Level0StopWritesTrigger = 1000;

    // A bloom filter over each memtable's whole keys (a tenth of its size, taken from the memtable's own budget):
    // a point read of a key the memtable lacks skips the skiplist search. Most writes read first (a new hash field,
    // set or sorted-set member, a SET's old record), and a new key is a miss in every memtable. Measured (300k
    // keys in one memtable, 100k reads with 26% found, thread CPU): 3.5-4.1 -> 1.5-2.3 us/read.
    private const double MemtableBloomRatio = 0.1;

    private static ColumnFamilyOptions FamilyOptions(BlockBasedTableOptions table, RocksStoreOptions options, bool inplace, long writeBufferBytes, bool memtableBloom, bool denseDeletions)
    {
        ColumnFamilyOptions family = new ColumnFamilyOptions()
            .SetBlockBasedTableFactory(table)
            .SetWriteBufferSize((ulong)writeBufferBytes)
            .SetLevelCompactionDynamicLevelBytes(true)
            .SetCompression(Compression.Lz4)
            .SetLevel0StopWritesTrigger(Level0StopWritesTrigger)
            .SetInplaceUpdateSupport(inplace);
        if (memtableBloom)
        {
            family.SetMemtablePrefixBloomSizeRatio(MemtableBloomRatio);
            RocksNative.Instance.rocksdb_options_set_memtable_whole_key_filtering(family.Handle, 1);
        }

        if (denseDeletions)
        {
            RocksNative.Instance.rocksdb_options_add_compact_on_deletion_collector_factory(
                family.Handle, RocksStoreOptions.TombstoneWindow, RocksStoreOptions.TombstoneWindow / 2);
        }

        return family;
    }

    /// <summary>The column family at <paramref name="index"/> in <see cref="RocksStoreOptions.ColumnFamilies"/>.</summary>
    public RocksColumn Column(int index) => _columns[index];

    /// <summary>Writes <paramref name="batch"/> atomically; with <paramref name="sync"/> the WAL is fsynced first.</summary>
    public void Write(RocksWriteBatch batch, bool sync)
    {
        EnterCall();
        try
        {
            RocksNative.Instance.rocksdb_write(_db.Handle, sync ? _syncWriteOptions : _writeOptions, batch.Handle, out nint error);
            RocksError.Check(error);
            if (batch.HasInplaceRangeDelete)
            {
                // New writes must start a fresh memtable (see RocksWriteBatch.DeleteRange); waiting also takes
                // the tombstone out of the WAL's replay, which would rebuild the same mixed memtable.
                FlushColumns(batch.InplaceRangeDeletes);
            }
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>Opens a cursor over <paramref name="column"/>. Dispose it before disposing the store.</summary>
    public RocksIterator CreateIterator(RocksColumn column) => OpenIterator(_readOptions, column, null);

    /// <summary>
    /// Opens a cursor over <paramref name="column"/> in <paramref name="reuse"/>, a disposed iterator object, when it
    /// is given (no allocation: a read that walks once per command keeps one), else in a new one.
    /// </summary>
    public RocksIterator CreateIterator(RocksColumn column, RocksIterator? reuse) => OpenIterator(_readOptions, column, null, reuse is { IsDisposed: true } ? reuse : null);

    /// <summary>Writes the WAL buffer to the file; with <paramref name="sync"/> also fsyncs it.</summary>
    public void FlushWal(bool sync)
    {
        EnterCall();
        try
        {
            RocksNative.Instance.rocksdb_flush_wal(_db.Handle, sync ? (byte)1 : (byte)0, out nint error);
            RocksError.Check(error);
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>Flushes every memtable to SST files (waits for completion).</summary>
    public void FlushMemtables()
    {
        EnterCall();
        try
        {
            FlushColumns(ulong.MaxValue);
        }
        finally
        {
            ExitCall();
        }
    }

    private void FlushColumns(ulong mask)
    {
        nint flush = RocksNative.Instance.rocksdb_flushoptions_create();
        try
        {
            RocksNative.Instance.rocksdb_flushoptions_set_wait(flush, 1);
            foreach (RocksColumn c in _columns)
            {
                if ((mask & (1UL << c.Index)) != 0)
                {
                    RocksNative.Instance.rocksdb_flush_cf(_db.Handle, flush, c.Handle, out nint error);
                    RocksError.Check(error);
                }
            }
        }
        finally
        {
            RocksNative.Instance.rocksdb_flushoptions_destroy(flush);
        }
    }

    /// <summary>Creates a consistent on-disk checkpoint (hard links) of the whole database in <paramref name="directory"/>.</summary>
    public void Checkpoint(string directory)
    {
        EnterCall();
        try
        {
            using Checkpoint checkpoint = _db.Checkpoint();
            checkpoint.Save(directory);
        }
        catch (RocksDbException ex)
        {
            throw new StorageException(ex.Message, ex);
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>A RocksDB property such as <c>rocksdb.estimate-num-keys</c> of <paramref name="column"/>.</summary>
    public string? GetProperty(string name, RocksColumn column)
    {
        EnterCall();
        try
        {
            return _db.GetProperty(name, _db.GetColumnFamily(ColumnName(column)));
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>Waits for calls in progress, then closes the database.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Full fence: the store above must be visible before reading _activeCalls (EnterCall does the mirror image).
        Interlocked.MemoryBarrier();
        SpinWait spin = default;
        while (Volatile.Read(ref _activeCalls) != 0)
        {
            spin.SpinOnce();
        }

        DestroySnapshotSlots();
        RocksNative.Instance.rocksdb_readoptions_destroy(_readOptions);
        RocksNative.Instance.rocksdb_writeoptions_destroy(_writeOptions);
        RocksNative.Instance.rocksdb_writeoptions_destroy(_syncWriteOptions);
        _db.Dispose();
        DestroyWriteBufferManager(_writeBufferManager);
        GC.KeepAlive(_cache);
    }

    internal void EnterCall()
    {
        if (!t_perfContextOff)
        {
            DisablePerfContext();
        }

        Interlocked.Increment(ref _activeCalls);
        if (_disposed)
        {
            Interlocked.Decrement(ref _activeCalls);
            ThrowHelper.ThrowObjectDisposed(nameof(RocksStore));
        }
    }

    internal void ExitCall() => Interlocked.Decrement(ref _activeCalls);

    // RocksDB counts perf-context statistics per thread by default (kEnableCount): thread-local bookkeeping on
    // every Get and Write that showed as several percent of a pipelined GET's CPU. Nothing here reads them.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DisablePerfContext()
    {
        RocksNative.Instance.rocksdb_set_perf_level(1);
        t_perfContextOff = true;
    }

    private RocksIterator OpenIterator(nint readOptions, RocksColumn column, SnapshotSlot? pin, RocksIterator? reuse = null)
    {
        EnterCall();
        try
        {
            nint handle = RocksNative.Instance.rocksdb_create_iterator_cf(_db.Handle, readOptions, column.Handle);
            pin?.Pin();
            if (reuse is null)
            {
                return new RocksIterator(this, handle, pin);
            }

            reuse.Reopen(this, handle, pin);
            return reuse;
        }
        catch
        {
            ExitCall();
            throw;
        }
    }

    private string ColumnName(RocksColumn column) => _names[column.Index];
}
