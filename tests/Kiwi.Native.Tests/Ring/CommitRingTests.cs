using Kiwi.Native.Ring;

namespace Kiwi.Native.Tests.Ring;

public sealed class CommitRingTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(1000, 1024)]
    [InlineData(1024, 1024)]
    public void Constructor_RoundsCapacityUpToPowerOfTwo(int requested, int expected)
    {
        using var ring = new CommitRing<int>(requested);

        Assert.Equal(expected, ring.Capacity);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData((1 << 30) + 1)]
    public void Constructor_InvalidCapacity_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitRing<int>(capacity));
    }

    [Fact]
    public void SingleProducer_DequeuesInFifoOrder()
    {
        using var ring = new CommitRing<int>(8);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        for (int i = 0; i < 8; i++)
        {
            Assert.True(ring.TryDequeue(out int item));
            Assert.Equal(i, item);
        }
    }

    [Fact]
    public void Interleaved_ManyLaps_KeepsFifoOrder()
    {
        using var ring = new CommitRing<int>(4);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 200; round++)
        {
            int burst = (round % 4) + 1;
            for (int i = 0; i < burst; i++)
            {
                Assert.True(ring.Enqueue(next++));
            }

            for (int i = 0; i < burst; i++)
            {
                Assert.True(ring.TryDequeue(out int item));
                Assert.Equal(expected++, item);
            }
        }

        Assert.Equal(next, expected);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void TryEnqueue_WhenFull_ReturnsFalseAndKeepsContent()
    {
        using var ring = new CommitRing<int>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        Assert.False(ring.TryEnqueue(99));
        Assert.Equal(4, ring.Count);

        Assert.True(ring.TryDequeue(out int first));
        Assert.Equal(0, first);
        Assert.True(ring.TryEnqueue(4));
        Assert.False(ring.TryEnqueue(100));
        for (int i = 1; i <= 4; i++)
        {
            Assert.True(ring.TryDequeue(out int item));
            Assert.Equal(i, item);
        }
    }

    [Fact]
    public void TryDequeue_WhenEmpty_ReturnsFalse()
    {
        using var ring = new CommitRing<string>(4);

        Assert.False(ring.TryDequeue(out _));
        Assert.True(ring.TryEnqueue("x"));
        Assert.True(ring.TryDequeue(out string? item));
        Assert.Equal("x", item);
        Assert.False(ring.TryDequeue(out _));
    }

    [Fact]
    public void Drain_MovesUpToSpanLengthInOrder()
    {
        using var ring = new CommitRing<int>(16);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        var small = new int[4];
        Assert.Equal(4, ring.Drain(small));
        Assert.Equal(new[] { 0, 1, 2, 3 }, small);
        Assert.Equal(6, ring.Count);

        var large = new int[16];
        Assert.Equal(6, ring.Drain(large));
        Assert.Equal(new[] { 4, 5, 6, 7, 8, 9 }, large[..6]);

        Assert.Equal(0, ring.Drain(large));
        Assert.Equal(0, ring.Drain(Span<int>.Empty));
    }

    [Fact]
    public void Count_TracksEnqueuesAndDequeues()
    {
        using var ring = new CommitRing<int>(8);
        Assert.Equal(0, ring.Count);

        ring.TryEnqueue(1);
        ring.TryEnqueue(2);
        ring.TryEnqueue(3);
        Assert.Equal(3, ring.Count);

        ring.TryDequeue(out _);
        Assert.Equal(2, ring.Count);

        ring.Close();
        Assert.Equal(2, ring.Count);
        ring.Drain(new int[8]);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Close_RejectsEnqueuesAndCompletesOnlyAfterDrain()
    {
        using var ring = new CommitRing<int>(8);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        ring.Close();

        Assert.True(ring.IsClosed);
        Assert.False(ring.IsCompleted);
        Assert.False(ring.TryEnqueue(10));
        Assert.False(ring.Enqueue(11));
        Assert.Equal(3, ring.Count);

        Assert.True(ring.TryDequeue(out int a));
        Assert.True(ring.TryDequeue(out int b));
        Assert.False(ring.IsCompleted);
        Assert.True(ring.TryDequeue(out int c));
        Assert.Equal(new[] { 0, 1, 2 }, new[] { a, b, c });
        Assert.True(ring.IsCompleted);
        Assert.False(ring.TryDequeue(out _));
    }

    [Fact]
    public void Close_EmptyRing_IsCompletedImmediatelyAndIdempotent()
    {
        using var ring = new CommitRing<int>(4);
        Assert.False(ring.IsClosed);
        Assert.False(ring.IsCompleted);

        ring.Close();
        ring.Close();

        Assert.True(ring.IsClosed);
        Assert.True(ring.IsCompleted);
        Assert.False(ring.TryEnqueue(1));
    }

    [Fact]
    public void WaitForData_EmptyOpenRing_TimesOutFalse()
    {
        using var ring = new CommitRing<int>(4);

        Assert.False(ring.WaitForData(TimeSpan.Zero));
    }

    [Fact]
    public void WaitForData_WithPublishedItem_ReturnsTrue()
    {
        using var ring = new CommitRing<int>(4);
        ring.TryEnqueue(5);

        Assert.True(ring.WaitForData(TimeSpan.Zero));
        Assert.True(ring.TryDequeue(out int item));
        Assert.Equal(5, item);
    }

    [Fact]
    public void WaitForData_ClosedEmptyRing_ReturnsTrueSoConsumerSeesCompletion()
    {
        using var ring = new CommitRing<int>(4);
        ring.Close();

        Assert.True(ring.WaitForData(TimeSpan.FromSeconds(30)));
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public void Dispose_ClosesTheRing()
    {
        var ring = new CommitRing<int>(4);
        ring.TryEnqueue(1);

        ring.Dispose();

        Assert.True(ring.IsClosed);
        Assert.False(ring.TryEnqueue(2));
    }
}
