using Kiwi.Native.Memory;

namespace Kiwi.Native.Tests.Memory;

/// <summary>The read cache's memory: zeroed, bounds-checked, aligned words, and freed.</summary>
public sealed class HugePageBlockTests
{
    [Fact]
    public void A_new_block_reads_zero_everywhere_and_keeps_what_is_written()
    {
        const long length = (4L * 1024 * 1024) + 64;
        using HugePageBlock block = HugePageBlock.Allocate(length);
        Assert.Equal(length, block.Length);
        for (long offset = 0; offset < length; offset += 4096)
        {
            Assert.Equal(0, block.Slice(offset, 1)[0]);
        }

        block.Slice(length - 3, 3).Fill(7);
        ref long word = ref block.Int64At(length - 64);
        Interlocked.Exchange(ref word, 0x0102030405060708);
        Assert.Equal(0x0102030405060708, Volatile.Read(ref block.Int64At(length - 64)));
        Assert.Equal([7, 7, 7], block.Slice(length - 3, 3).ToArray());
        block.Prefetch(0);
        block.Prefetch(length); // past the end: ignored, never a fault
    }

    [Fact]
    public void Access_outside_the_block_or_a_misaligned_word_is_refused()
    {
        using HugePageBlock block = HugePageBlock.Allocate(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Slice(4090, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Slice(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Int64At(4096 - 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Int64At(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => HugePageBlock.Allocate(0));
        Assert.Equal(8, block.Slice(4088, 8).Length);
    }

    [Fact]
    public void A_disposed_block_is_released_once()
    {
        HugePageBlock block = HugePageBlock.Allocate(1 << 20);
        Assert.False(block.IsInvalid);
        block.Dispose();
        Assert.True(block.IsClosed);
        block.Dispose();
    }

    [Fact]
    public void A_large_block_is_offered_huge_pages_on_linux()
    {
        using HugePageBlock block = HugePageBlock.Allocate(8L * 1024 * 1024);
        // madvise succeeds whenever the kernel has transparent huge pages compiled in, whatever the policy.
        Assert.Equal(OperatingSystem.IsLinux() && Directory.Exists("/sys/kernel/mm/transparent_hugepage"), block.OnHugePages);
    }
}
