using System.Buffers;
using System.Text;
using Kiwi.Native.Memory;

namespace Kiwi.Native.Tests.Memory;

public sealed class ByteBufferTests : IDisposable
{
    private readonly NativeBufferPool _pool = new(retainPerClass: 8);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void New_IsEmptyWithoutBlock()
    {
        using var buffer = new ByteBuffer(_pool);

        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, buffer.Capacity);
        Assert.True(buffer.WrittenSpan.IsEmpty);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Write_Appends()
    {
        using var buffer = new ByteBuffer(_pool);

        buffer.Write("hello"u8);
        buffer.Write(" world"u8);
        buffer.Write(ReadOnlySpan<byte>.Empty);

        Assert.Equal(11, buffer.Length);
        Assert.Equal("hello world", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Set_ReplacesContent()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("a much longer previous value"u8);

        buffer.Set("abc"u8);

        Assert.Equal("abc", Encoding.ASCII.GetString(buffer.WrittenSpan));
        buffer.Set(ReadOnlySpan<byte>.Empty);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Clear_SmallBlock_KeepsCapacityAndForgetsContent()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("content"u8);
        int capacity = buffer.Capacity;

        buffer.Clear();

        Assert.Equal(0, buffer.Length);
        Assert.True(buffer.WrittenSpan.IsEmpty);
        Assert.Equal(capacity, buffer.Capacity);
        Assert.Equal(1, _pool.Outstanding);
        buffer.Write("next"u8);
        Assert.Equal("next", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Clear_BlockAtRetainLimit_IsKept()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.EnsureCapacity(ByteBuffer.RetainLimit);
        Assert.Equal(ByteBuffer.RetainLimit, buffer.Capacity);

        buffer.Clear();

        Assert.Equal(ByteBuffer.RetainLimit, buffer.Capacity);
        Assert.Equal(1, _pool.Outstanding);
    }

    [Fact]
    public void Clear_BlockAboveRetainLimit_IsGivenBack()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.SetLength(ByteBuffer.RetainLimit + 1);

        buffer.Clear();

        Assert.Equal(0, buffer.Capacity);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, _pool.Outstanding);
        buffer.Write("again"u8);
        Assert.Equal("again", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void SetLength_Grow_ZeroFillsNewBytesEvenOverStaleContent()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("0123456789"u8);
        buffer.SetLength(2);
        Assert.Equal("01", Encoding.ASCII.GetString(buffer.WrittenSpan));

        buffer.SetLength(10);

        Assert.Equal(10, buffer.Length);
        Assert.Equal("01"u8.ToArray(), buffer.WrittenSpan[..2].ToArray());
        Assert.Equal(new byte[8], buffer.WrittenSpan[2..].ToArray());
    }

    [Fact]
    public void SetLength_GrowPastCapacity_KeepsContentAndZeroFills()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("xy"u8);

        buffer.SetLength(100_000);

        Assert.True(buffer.Capacity >= 100_000);
        Assert.Equal((byte)'x', buffer.WrittenSpan[0]);
        Assert.Equal((byte)'y', buffer.WrittenSpan[1]);
        Assert.Equal(-1, buffer.WrittenSpan[2..].IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void SetLength_Negative_Throws()
    {
        using var buffer = new ByteBuffer(_pool);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetLength(-1));
    }

    [Fact]
    public void GetSpanAndAdvance_AppendInPlace()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("ab"u8);

        Span<byte> span = buffer.GetSpan(5);
        Assert.True(span.Length >= 5);
        "cdefg"u8.CopyTo(span);
        buffer.Advance(5);

        Assert.Equal("abcdefg", Encoding.ASCII.GetString(buffer.WrittenSpan));
        Assert.True(buffer.GetSpan().Length >= 1);
    }

    [Fact]
    public void AsBufferWriter_EncodingWritesThrough()
    {
        using var buffer = new ByteBuffer(_pool);
        IBufferWriter<byte> writer = buffer;
        string text = new('k', 5000);

        Encoding.UTF8.GetBytes(text.AsSpan(), writer);

        Assert.Equal(text, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Advance_BeyondCapacity_Throws()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.GetSpan(10);
        int room = buffer.Capacity;
        buffer.Advance(room - 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
        Assert.Equal(room - 1, buffer.Length);
        buffer.Advance(1);
        Assert.Equal(room, buffer.Length);
    }

    [Fact]
    public void Advance_OnEmptyBuffer_OnlyZeroAllowed()
    {
        using var buffer = new ByteBuffer(_pool);

        buffer.Advance(0);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(1));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void EnsureCapacity_Growth_KeepsContentAndReturnsOldBlock()
    {
        using var buffer = new ByteBuffer(_pool);
        byte[] pattern = new byte[100];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)(i * 7);
        }

        buffer.Write(pattern);
        int before = buffer.Capacity;
        buffer.EnsureCapacity(200_000);

        Assert.True(buffer.Capacity >= 200_000);
        Assert.True(buffer.Capacity > before);
        Assert.Equal(pattern, buffer.WrittenSpan.ToArray());
        Assert.Equal(1, _pool.Outstanding);
        buffer.EnsureCapacity(10);
        Assert.True(buffer.Capacity >= 200_000);
    }

    [Fact]
    public void Write_ManySmallAppends_GrowsAndKeepsEveryByte()
    {
        using var buffer = new ByteBuffer(_pool);
        var expected = new byte[70_000];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i % 251);
            buffer.Write([expected[i]]);
        }

        Assert.Equal(expected.Length, buffer.Length);
        Assert.True(buffer.WrittenSpan.SequenceEqual(expected));
        Assert.Equal(1, _pool.Outstanding);
    }

    [Fact]
    public void WrittenSpanMutable_EditsInPlace()
    {
        using var buffer = new ByteBuffer(_pool);
        buffer.Write("hello"u8);

        buffer.WrittenSpanMutable[0] = (byte)'j';

        Assert.Equal("jello", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void GetMemory_Throws()
    {
        using var buffer = new ByteBuffer(_pool);

        Assert.Throws<InvalidOperationException>(() => buffer.GetMemory());
        Assert.Throws<InvalidOperationException>(() => buffer.GetMemory(16));
    }

    [Fact]
    public void Dispose_ReturnsBlockToPool()
    {
        var buffer = new ByteBuffer(_pool);
        buffer.Write(new byte[1000]);
        Assert.Equal(1, _pool.Outstanding);

        buffer.Dispose();

        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, buffer.Capacity);
        buffer.Dispose();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void DefaultPool_IsShared()
    {
        using var buffer = new ByteBuffer();

        buffer.Write("shared"u8);

        Assert.Equal("shared", Encoding.ASCII.GetString(buffer.WrittenSpan));
        Assert.Equal(0, _pool.Outstanding);
    }
}
