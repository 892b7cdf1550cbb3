using Kiwi.Native.Memory;

namespace Kiwi.Native.Tests.Memory;

public sealed class NativeBufferPoolTests : IDisposable
{
    private readonly NativeBufferPool _pool = new(retainPerClass: 8);

    public void Dispose() => _pool.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 1)]
    public void Rent_AnySize_CapacityAtLeastRequestedAndWritable(int size)
    {
        NativeBuffer buffer = _pool.Rent(size);

        Assert.False(buffer.IsEmpty);
        Assert.True(buffer.Capacity >= size, $"capacity {buffer.Capacity} < requested {size}");
        Assert.Equal(1, _pool.Outstanding);
        buffer.Span.Fill(0x5A);
        Assert.Equal(0x5A, buffer.Span[buffer.Capacity - 1]);

        _pool.Return(buffer);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Rent_PooledSizes_RoundUpToPowerOfTwoClass()
    {
        Assert.Equal(64, Rent(0));
        Assert.Equal(64, Rent(1));
        Assert.Equal(64, Rent(64));
        Assert.Equal(128, Rent(65));
        Assert.Equal(NativeBufferPool.MaxPooledSize, Rent(NativeBufferPool.MaxPooledSize));
        Assert.Equal(NativeBufferPool.MaxPooledSize + 1, Rent(NativeBufferPool.MaxPooledSize + 1));
        Assert.Equal(0, _pool.Outstanding);

        int Rent(int size)
        {
            NativeBuffer buffer = _pool.Rent(size);
            _pool.Return(buffer);
            return buffer.Capacity;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(1 << 20)]
    public unsafe void Return_ThenRentSameClass_ReusesBlock(int size)
    {
        NativeBuffer first = _pool.Rent(size);
        first.Span[0] = 0xC3;
        first.Span[first.Capacity - 1] = 0x3C;
        nint address = (nint)first.Pointer;
        _pool.Return(first);

        NativeBuffer second = _pool.Rent(size);

        Assert.Equal(address, (nint)second.Pointer);
        Assert.Equal(0xC3, second.Span[0]);
        Assert.Equal(0x3C, second.Span[second.Capacity - 1]);
        _pool.Return(second);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public unsafe void Rent_TwoOutstanding_GivesDistinctBlocks()
    {
        NativeBuffer a = _pool.Rent(64);
        NativeBuffer b = _pool.Rent(64);

        Assert.NotEqual((nint)a.Pointer, (nint)b.Pointer);
        Assert.Equal(2, _pool.Outstanding);
        _pool.Return(a);
        _pool.Return(b);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public unsafe void Return_MoreThanRetained_FreesExtraAndCountsAll()
    {
        using var pool = new NativeBufferPool(retainPerClass: 1);
        var blocks = new NativeBuffer[5];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = pool.Rent(256);
        }

        Assert.Equal(5, pool.Outstanding);
        foreach (NativeBuffer block in blocks)
        {
            pool.Return(block);
        }

        Assert.Equal(0, pool.Outstanding);
        NativeBuffer again = pool.Rent(256);
        Assert.Equal((nint)blocks[0].Pointer, (nint)again.Pointer);
        pool.Return(again);
    }

    [Fact]
    public void Rent_NegativeSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _pool.Rent(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _pool.Rent(int.MinValue));
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Constructor_RetainBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeBufferPool(retainPerClass: 0));
    }

    [Fact]
    public void Return_Default_IsNoOp()
    {
        NativeBuffer held = _pool.Rent(64);

        _pool.Return(default);

        Assert.Equal(1, _pool.Outstanding);
        _pool.Return(held);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Slice_OutOfRange_Throws()
    {
        NativeBuffer buffer = _pool.Rent(64);
        try
        {
            Assert.Equal(10, buffer.Slice(54, 10).Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => { buffer.Slice(60, 5); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { buffer.Slice(65, 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { buffer.Slice(-1, 1); });
        }
        finally
        {
            _pool.Return(buffer);
        }
    }

    [Fact]
    public async Task ConcurrentRentReturn_FourThreads_NoSharingAndOutstandingZero()
    {
        const int threads = 4;
        const int ops = 10_000;
        int[] sizes = [1, 64, 65, 300, 4096, 70_000];
        var workers = new Task[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = Task.Factory.StartNew(() => Work(id), TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, _pool.Outstanding);

        void Work(int id)
        {
            for (int i = 0; i < ops; i++)
            {
                int size = i % 500 == 0 ? NativeBufferPool.MaxPooledSize + 1 : sizes[(i + id) % sizes.Length];
                NativeBuffer held = _pool.Rent(size);
                long marker = ((long)id << 32) | (uint)i;
                BitConverter.TryWriteBytes(held.Span, marker);

                // Rent and return another block while holding the first: a block handed to two threads at
                // once would show up as an overwritten marker.
                NativeBuffer other = _pool.Rent(sizes[i % sizes.Length]);
                other.Span[..8].Fill(0xFF);
                _pool.Return(other);

                if (BitConverter.ToInt64(held.Span) != marker)
                {
                    throw new InvalidOperationException($"block shared between threads (thread {id}, op {i})");
                }

                _pool.Return(held);
            }
        }
    }

    [Fact]
    public void Dispose_ThenReturnRentedBlocks_FreesWithoutCrash()
    {
        var pool = new NativeBufferPool(retainPerClass: 4);
        NativeBuffer small = pool.Rent(64);
        NativeBuffer large = pool.Rent(1 << 20);
        NativeBuffer oversized = pool.Rent((1 << 20) + 1);
        pool.Return(pool.Rent(128)); // leaves one retained block for Dispose to free

        pool.Dispose();
        pool.Return(small);
        pool.Return(large);
        pool.Return(oversized);

        Assert.Equal(0, pool.Outstanding);
        pool.Dispose(); // idempotent
        Assert.Equal(0, pool.Outstanding);
    }
}
