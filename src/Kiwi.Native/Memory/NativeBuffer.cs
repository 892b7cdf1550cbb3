namespace Kiwi.Native.Memory;

/// <summary>
/// A block of unmanaged memory rented from a <see cref="NativeBufferPool"/>. The pointer never leaves this
/// assembly; callers see it as a <see cref="Span{T}"/>. Return it with <see cref="NativeBufferPool.Return"/>.
/// </summary>
public readonly unsafe struct NativeBuffer
{
    internal readonly byte* Pointer;

    /// <summary>Usable size of the block in bytes.</summary>
    public readonly int Capacity;

    /// <summary>Index of the pool size class the block came from, or -1 for an oversized block.</summary>
    internal readonly int SizeClass;

    internal NativeBuffer(byte* pointer, int capacity, int sizeClass)
    {
        Pointer = pointer;
        Capacity = capacity;
        SizeClass = sizeClass;
    }

    /// <summary>True when this value holds no block (the default value).</summary>
    public bool IsEmpty => Pointer == null;

    /// <summary>The whole block.</summary>
    public Span<byte> Span => new(Pointer, Capacity);

    /// <summary>The first <paramref name="length"/> bytes of the block.</summary>
    public Span<byte> Slice(int start, int length)
    {
        if ((uint)start > (uint)Capacity || (uint)length > (uint)(Capacity - start))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        }

        return new Span<byte>(Pointer + start, length);
    }
}
