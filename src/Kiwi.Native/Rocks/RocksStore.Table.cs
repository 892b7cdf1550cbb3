using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>The block-based table format and its use of the block cache.</summary>
public sealed partial class RocksStore
{
    /// <summary>Bytes of one index or filter partition: a data block's size, so it is cached like one.</summary>
    private const ulong MetadataBlockBytes = 4096;

    private static BlockBasedTableOptions TableOptions(Cache cache, RocksStoreOptions options)
    {
        // Index and filter blocks live in the block cache, so the cache size bounds their memory too. The LRU
        // cache RocksDB makes for us (NewLRUCache's defaults; the C API cannot change them) keeps half of every
        // shard as a high-priority pool; index and filter blocks go there, so data blocks evict each other first.
        var table = new BlockBasedTableOptions()
            .SetBlockCache(cache)
            .SetFormatVersion(5)
            .SetCacheIndexAndFilterBlocks(true);
        nint handle = table.Handle;
        RocksNative.Instance.rocksdb_block_based_options_set_cache_index_and_filter_blocks_with_high_priority(handle, 1);

        // Partitioned index and filters: a file's index and bloom filter are cut into blocks of a data block's
        // size, found through a small top-level block that stays pinned. Whole, they grow with a file's keys (a
        // memtable of small compressible values made a file with a 1.25 MB index), and a block larger than its
        // cache shard (the cache has 64 shards, so 1 MB at 64 MB) leaves the cache as soon as it is released:
        // every GET then read, decompressed and parsed the whole index again (perf: half the time in LZ4
        // decompression). Measured with 1.3M keys of 200 B: random GET hits with a 64 MB cache went from a tenth
        // or less of the rate with a 1 GB cache to about the same rate; misses were fast before and still are.
        // Pinning L0's partitions too, and a hash index in data blocks, showed no gain beyond the noise.
        RocksNative.Instance.rocksdb_block_based_options_set_index_type(handle, (int)BlockBasedTableIndexType.TwoLevelIndex);
        RocksNative.Instance.rocksdb_block_based_options_set_partition_filters(handle, 1);
        RocksNative.Instance.rocksdb_block_based_options_set_metadata_block_size(handle, MetadataBlockBytes);
        RocksNative.Instance.rocksdb_block_based_options_set_pin_top_level_index_and_filter(handle, 1);

        // Every key has a filter entry in every level: a GET of an absent key reads only filter partitions, which
        // stay cached (optimize_filters_for_hits would drop the last level's filters and make such a GET read an
        // index and a data block).
        if (options.BloomBitsPerKey > 0)
        {
            table.SetFilterPolicy(BloomFilterPolicy.Create(options.BloomBitsPerKey, false));
        }

        return table;
    }
}
