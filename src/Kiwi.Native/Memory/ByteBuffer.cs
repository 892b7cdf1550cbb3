using System.Buffers;
using System.Runtime.CompilerServices;

namespace Kiwi.Native.Memory;

/// <summary>
/// A growable byte buffer over pooled unmanaged memory. Reused across operations (call <see cref="Clear"/>);
/// <see cref="Dispose"/> returns its block to the pool. Not thread-safe.
/// </summary>
public sealed class ByteBuffer : IBufferWriter<byte>, IDisposable
{
    /// <summary>Blocks above this size are given back on <see cref="Clear"/> so one huge value does not stay pinned.</summary>
    public const int RetainLimit = 64 * 1024;

    private readonly NativeBufferPool _pool;
    private NativeBuffer _block;
    private int _length;
    private ByteBufferMemory? _memory;

    /// <summary>Creates an empty buffer that rents from <paramref name="pool"/> (the shared pool when null).</summary>
    public ByteBuffer(NativeBufferPool? pool = null) => _pool = pool ?? NativeBufferPool.Shared;

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>Current capacity of the underlying block.</summary>
    public int Capacity => _block.Capacity;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _block.IsEmpty ? default : _block.Slice(0, _length);

    /// <summary>The bytes written so far, writable (for in-place edits such as SETRANGE).</summary>
    public Span<byte> WrittenSpanMutable => _block.IsEmpty ? default : _block.Slice(0, _length);

    /// <summary>The bytes written so far as memory (for sequences); valid until the buffer changes size or is disposed.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _length == 0 ? default : (_memory ??= new ByteBufferMemory(this)).Memory[.._length];

    /// <summary>The whole current block.</summary>
    internal Span<byte> CapacitySpan => _block.IsEmpty ? default : _block.Span;

    /// <summary>Drops the first <paramref name="count"/> bytes, moving the rest to the front.</summary>
    public void RemovePrefix(int count)
    {
        if ((uint)count > (uint)_length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        }

        if (count == 0)
        {
            return;
        }

        Span<byte> written = _block.Slice(0, _length);
        written[count..].CopyTo(written);
        _length -= count;
    }

    /// <summary>Forgets the content; gives back a block larger than <see cref="RetainLimit"/>.</summary>
    public void Clear()
    {
        _length = 0;
        if (_block.Capacity > RetainLimit)
        {
            _pool.Return(_block);
            _block = default;
        }
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> bytes in total, keeping the content.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _block.Capacity)
        {
            Grow(capacity);
        }
    }

    /// <summary>Sets the written length to <paramref name="length"/> (growing, and zero-filling new bytes).</summary>
    public void SetLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        EnsureCapacity(length);
        if (length > _length)
        {
            _block.Slice(_length, length - _length).Clear();
        }

        _length = length;
    }

    /// <summary>Appends <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        EnsureCapacity(checked(_length + data.Length));
        data.CopyTo(_block.Slice(_length, data.Length));
        _length += data.Length;
    }

    /// <summary>Replaces the content with <paramref name="data"/>.</summary>
    public void Set(ReadOnlySpan<byte> data)
    {
        _length = 0;
        Write(data);
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_block.Capacity - _length))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        }

        _length += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowHelper.ThrowInvalidOperation("ByteBuffer is unmanaged memory: use GetSpan.");
        return default;
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(checked(_length + Math.Max(sizeHint, 1)));
        return _block.Slice(_length, _block.Capacity - _length);
    }

    /// <summary>Returns the block to the pool.</summary>
    public void Dispose()
    {
        _pool.Return(_block);
        _block = default;
        _length = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int capacity)
    {
        int size = Math.Max(capacity, Math.Min(Array.MaxLength, Math.Max(256, _block.Capacity * 2)));
        NativeBuffer next = _pool.Rent(size);
        if (_length > 0)
        {
            _block.Slice(0, _length).CopyTo(next.Span);
        }

        _pool.Return(_block);
        _block = next;
    }
}
