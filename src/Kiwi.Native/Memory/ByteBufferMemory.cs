using System.Buffers;

namespace Kiwi.Native.Memory;

/// <summary>
/// Exposes a <see cref="ByteBuffer"/>'s unmanaged block as <see cref="Memory{T}"/> (for APIs such as
/// <see cref="ReadOnlySequence{T}"/>). The memory is valid until the buffer grows, shrinks or is disposed.
/// </summary>
internal sealed unsafe class ByteBufferMemory(ByteBuffer owner) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => owner.CapacitySpan;

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        fixed (byte* p = owner.CapacitySpan)
        {
            // The block is unmanaged and never moves: the pointer stays valid without pinning.
            return new MemoryHandle(p + elementIndex);
        }
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
