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
    public void Overrides_WithAnUnknownName_FailTheOpen()
    {
        var options = new RocksStoreOptions { Path = _dir.DbPath, ColumnFamilies = RocksTestDirectory.Families, Overrides = "no_such_option=1" };

        var ex = Assert.Throws<ArgumentException>(() => RocksStore.Open(options));
        Assert.Contains("no_such_option", ex.Message, StringComparison.Ordinal);
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
