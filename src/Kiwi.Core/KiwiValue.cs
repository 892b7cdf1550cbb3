using System.Text;
using Kiwi.Native.Memory;
using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core;

/// <summary>
/// A value returned by <see cref="KiwiDb"/> in pooled memory, or null (Redis nil). Dispose it exactly once,
/// after the last use of <see cref="Span"/>; the memory goes back to the pool.
/// </summary>
public readonly struct KiwiValue : IDisposable
{
    private static readonly DefaultObjectPool<ByteBuffer> s_buffers = new(new BufferPolicy(), maximumRetained: 4096);

    private readonly ByteBuffer? _buffer;

    private KiwiValue(ByteBuffer buffer) => _buffer = buffer;

    /// <summary>The nil value.</summary>
    public static KiwiValue Null => default;

    /// <summary>True for nil (no such key).</summary>
    public bool IsNull => _buffer is null;

    /// <summary>The bytes (empty for nil).</summary>
    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.WrittenSpan;

    /// <summary>Length in bytes (0 for nil).</summary>
    public int Length => _buffer?.Length ?? 0;

    /// <summary>The value decoded as UTF-8, or null for nil (allocates: a convenience, not a hot path).</summary>
    public override string? ToString() => _buffer is null ? null : Encoding.UTF8.GetString(_buffer.WrittenSpan);

    /// <summary>Returns the memory to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            s_buffers.Return(_buffer);
        }
    }

    internal static KiwiValue Copy(ReadOnlySpan<byte> bytes)
    {
        ByteBuffer buffer = s_buffers.Get();
        buffer.Set(bytes);
        return new KiwiValue(buffer);
    }

    internal static ByteBuffer RentBuffer() => s_buffers.Get();

    internal static KiwiValue Own(ByteBuffer buffer) => new(buffer);

    internal static void ReturnBuffer(ByteBuffer buffer) => s_buffers.Return(buffer);

    private sealed class BufferPolicy : PooledObjectPolicy<ByteBuffer>
    {
        public override ByteBuffer Create() => new();

        public override bool Return(ByteBuffer obj)
        {
            obj.Clear();
            return true;
        }
    }
}
