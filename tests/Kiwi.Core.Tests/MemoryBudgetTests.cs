using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>The memory budget's split, and that the memtables really stay within their share of it.</summary>
public sealed class MemoryBudgetTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_budget_gives_an_eighth_to_the_read_cache_up_to_256_MiB_a_quarter_of_the_rest_to_memtables_and_the_rest_to_the_block_cache()
    {
        MemoryBudget small = MemoryBudget.Split(256 * MiB);
        Assert.Equal(256 * MiB, small.TotalBytes);
        Assert.Equal(32 * MiB, small.ReadCacheBytes);
        Assert.Equal(56 * MiB, small.MemtableBytes);
        Assert.Equal(168 * MiB, small.BlockCacheBytes);

        MemoryBudget mid = MemoryBudget.Split(1024 * MiB);
        Assert.Equal(128 * MiB, mid.ReadCacheBytes);

        MemoryBudget big = MemoryBudget.Split(4096 * MiB);
        Assert.Equal(256 * MiB, big.ReadCacheBytes);
        Assert.Equal(960 * MiB, big.MemtableBytes);
        Assert.Equal(2880 * MiB, big.BlockCacheBytes);
    }

    [Fact]
    public void Explicit_parts_win_and_the_total_grows_to_hold_them()
    {
        MemoryBudget parts = MemoryBudget.Split(0, blockCacheBytes: 8 * MiB, readCacheBytes: 0);
        Assert.Equal(8 * MiB, parts.BlockCacheBytes);
        Assert.Equal(0, parts.ReadCacheBytes);
        Assert.True(parts.MemtableBytes >= MemoryBudget.MinMemtableBytes);
        Assert.True(parts.TotalBytes >= parts.BlockCacheBytes + parts.MemtableBytes);

        // The parts as set do not fit 100 MiB: the total grows to hold them, the block cache keeps its least.
        MemoryBudget readOnly = MemoryBudget.Split(100 * MiB, readCacheBytes: 90 * MiB);
        Assert.Equal(90 * MiB, readOnly.ReadCacheBytes);
        Assert.Equal(MemoryBudget.MinMemtableBytes, readOnly.MemtableBytes);
        Assert.Equal(8 * MiB, readOnly.BlockCacheBytes);
        Assert.Equal(114 * MiB, readOnly.TotalBytes);
    }

    [Fact]
    public void The_default_budget_is_a_quarter_of_the_memory_available_and_at_least_256_MiB()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        MemoryBudget budget = MemoryBudget.Split(0);
        Assert.Equal(Math.Max(256 * MiB, available / 4), budget.TotalBytes);
        Assert.Equal(budget.TotalBytes, budget.BlockCacheBytes + budget.MemtableBytes + budget.ReadCacheBytes);
    }

    [Fact]
    public async Task Memtables_are_flushed_at_their_share_of_the_budget()
    {
        // 64 MiB: the memtables may take 16 MiB, far below a family's own 64 MiB write buffer, so without the
        // shared limit the 40 MiB written below would all stay in one memtable.
        using var dir = new TempDirectory();
        await using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, MemoryBudgetBytes = 64 * MiB });
        Assert.Equal(16 * MiB, db.Memory.MemtableBytes);
        byte[] value = new byte[100 * 1024];
        new Random(7).NextBytes(value);
        for (int i = 0; i < 400; i++)
        {
            Assert.True(await db.SetAsync(System.Text.Encoding.UTF8.GetBytes("big:" + i), value));
        }

        var store = ((RocksEngine)db.Engine).Store;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ulong memtables;
        while ((memtables = store.SumIntProperty("rocksdb.cur-size-all-mem-tables")) > (ulong)(db.Memory.MemtableBytes + (4 * MiB)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"memtables hold {memtables} bytes, over their {db.Memory.MemtableBytes}");

            // RocksDB's write buffer manager decides to flush when a write comes in: under CPU starvation the
            // last of the writes above can pass before a flush finished, and then nothing would ask again.
            Assert.True(await db.SetAsync("tick"u8.ToArray(), "x"u8.ToArray()));
            await Task.Delay(20);
        }

        Assert.True(store.SumIntProperty("rocksdb.live-sst-files-size") > 0, "nothing was flushed");
        using (KiwiValue first = db.Get("big:0"u8))
        {
            Assert.True(first.Span.SequenceEqual(value));
        }

        using KiwiValue last = db.Get("big:399"u8);
        Assert.True(last.Span.SequenceEqual(value));
    }
}
