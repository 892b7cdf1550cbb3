using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

public sealed class RocksOverridesTests : IDisposable
{
    private readonly RocksTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Overrides_ApplyToDatabaseAndFamilies_KeepingTheStoresTableOptions()
    {
        var options = new RocksStoreOptions
        {
            Path = _dir.DbPath,
            ColumnFamilies = RocksTestDirectory.Families,
            InplaceUpdateFamilies = ["b"],
            Overrides = "max_background_jobs=3;level0_slowdown_writes_trigger=40;block_based_table_factory={block_size=8192}",
        };
        using (RocksStore store = RocksStore.Open(options))
        using (var batch = new RocksWriteBatch())
        using (var value = new ByteBuffer())
        {
            batch.Put(store.Column(1), "k"u8, "v"u8);
            store.Write(batch, sync: false);
            store.FlushMemtables();
            Assert.True(store.TryGet(store.Column(1), "k"u8, value));
        }

        // RocksDB writes the options in force to an OPTIONS file: one database section, one per family
        // (default, a, b), each with its table options.
        string text = File.ReadAllText(Directory.GetFiles(_dir.DbPath, "OPTIONS-*").Max(StringComparer.Ordinal)!);
        Assert.Contains("max_background_jobs=3", text, StringComparison.Ordinal);
        Assert.Equal(3, Count(text, "level0_slowdown_writes_trigger=40"));
        Assert.Equal(3, Count(text, "block_size=8192"));
        Assert.Equal(3, Count(text, "index_type=kTwoLevelIndexSearch"));
        Assert.Equal(1, Count(text, "inplace_update_support=true"));
    }

    [Fact]
    public void A_family_named_in_WriteBufferBytesByFamily_gets_its_own_memtable_size_and_keeps_the_rest()
    {
        var options = new RocksStoreOptions
        {
            Path = _dir.DbPath,
            ColumnFamilies = RocksTestDirectory.Families,
            InplaceUpdateFamilies = ["b"],
            WriteBufferBytes = 32L * 1024 * 1024,
            WriteBufferBytesByFamily = new Dictionary<string, long> { ["a"] = 8L * 1024 * 1024 },
        };
        using (RocksStore store = RocksStore.Open(options))
        {
            Assert.False(store.Column(0).InplaceUpdates);
            Assert.True(store.Column(1).InplaceUpdates);
        }

        string text = File.ReadAllText(Directory.GetFiles(_dir.DbPath, "OPTIONS-*").Max(StringComparer.Ordinal)!);
        Assert.Equal("8388608", FamilyOption(text, "a", "write_buffer_size"));
        Assert.Equal("33554432", FamilyOption(text, "b", "write_buffer_size"));
        Assert.Equal("33554432", FamilyOption(text, "default", "write_buffer_size"));
        Assert.Equal("true", FamilyOption(text, "b", "inplace_update_support"));
        Assert.Equal("false", FamilyOption(text, "a", "inplace_update_support"));
    }

    [Fact]
    public void A_family_named_in_NoMemtableBloomFamilies_has_no_memtable_bloom_and_the_rest_keep_theirs()
    {
        var options = new RocksStoreOptions
        {
            Path = _dir.DbPath,
            ColumnFamilies = RocksTestDirectory.Families,
            InplaceUpdateFamilies = ["b"],
            NoMemtableBloomFamilies = ["a"],
        };
        using (RocksStore.Open(options))
        {
        }

        string text = File.ReadAllText(Directory.GetFiles(_dir.DbPath, "OPTIONS-*").Max(StringComparer.Ordinal)!);
        Assert.Equal("0.000000", FamilyOption(text, "a", "memtable_prefix_bloom_size_ratio"));
        Assert.Equal("false", FamilyOption(text, "a", "memtable_whole_key_filtering"));
        Assert.Equal("0.100000", FamilyOption(text, "b", "memtable_prefix_bloom_size_ratio"));
        Assert.Equal("true", FamilyOption(text, "b", "memtable_whole_key_filtering"));
        Assert.Equal("0.100000", FamilyOption(text, "default", "memtable_prefix_bloom_size_ratio"));
    }

    [Fact]
    public void Families_named_in_DenseDeletionFamilies_compact_files_dense_with_deletions_and_the_rest_do_not()
    {
        using (RocksStore.Open(new RocksStoreOptions { Path = _dir.DbPath, ColumnFamilies = RocksTestDirectory.Families, InplaceUpdateFamilies = ["b"], DenseDeletionFamilies = ["b"] }))
        {
        }

        string text = File.ReadAllText(Directory.GetFiles(_dir.DbPath, "OPTIONS-*").Max(StringComparer.Ordinal)!);
        Assert.Equal(
            "{{id=CompactOnDeletionCollector;min_file_size=0;deletion_ratio=0.000000;deletion_trigger=5000;window_size=10000;}}",
            FamilyOption(text, "b", "table_properties_collectors"));
        Assert.Equal(1, Count(text, "CompactOnDeletionCollector"));
    }

    [Fact]
    public void Overrides_WithAnUnknownName_FailTheOpen()
    {
        var options = new RocksStoreOptions { Path = _dir.DbPath, ColumnFamilies = RocksTestDirectory.Families, Overrides = "no_such_option=1" };

        var ex = Assert.Throws<ArgumentException>(() => RocksStore.Open(options));
        Assert.Contains("no_such_option", ex.Message, StringComparison.Ordinal);
    }

    // The value of `name` in the OPTIONS file's section for column family `family`.
    private static string FamilyOption(string text, string family, string name)
    {
        int section = text.IndexOf($"[CFOptions \"{family}\"]", StringComparison.Ordinal);
        Assert.True(section >= 0, $"no section for {family}");
        int end = text.IndexOf("[TableOptions", section, StringComparison.Ordinal);
        int at = text.IndexOf("  " + name + "=", section, StringComparison.Ordinal);
        Assert.True(at >= 0 && (end < 0 || at < end), $"no {name} for {family}");
        int start = at + name.Length + 3;
        return text[start..text.IndexOf('\n', start)].Trim();
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
