using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>The memory RocksDB's memtables may use together.</content>
public sealed partial class RocksStore
{
    /// <summary>Bytes the memtables hold now, counted by the write buffer manager (0 without a memtable budget).</summary>
    public ulong MemtableBudgetUsage
    {
        get
        {
            if (_writeBufferManager == 0)
            {
                return 0;
            }

            EnterCall();
            try
            {
                return (ulong)RocksNative.Instance.rocksdb_write_buffer_manager_memory_usage(_writeBufferManager);
            }
            finally
            {
                ExitCall();
            }
        }
    }

    // A write buffer manager for every family's memtables (see RocksStoreOptions.MemtableBudgetBytes); 0 when there
    // is no budget. Not charged to the block cache: a cache sized on its own (block-cache-size 16mb) would otherwise
    // be all memtable. Writes are not stalled at the limit: the largest memtable is flushed instead, so a burst can
    // briefly pass it by what one flush takes to finish.
    private static nint MemtableBudget(DbOptions dbOptions, long bytes)
    {
        if (bytes <= 0)
        {
            return 0;
        }

        nint manager = RocksNative.Instance.rocksdb_write_buffer_manager_create((nuint)bytes, 0);
        RocksNative.Instance.rocksdb_options_set_write_buffer_manager(dbOptions.Handle, manager);
        return manager;
    }

    private static void DestroyWriteBufferManager(nint manager)
    {
        if (manager != 0)
        {
            RocksNative.Instance.rocksdb_write_buffer_manager_destroy(manager);
        }
    }
}
