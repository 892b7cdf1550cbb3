using System.Buffers;
using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Raft;

/// <summary>
/// The payload of one Raft log entry: many client entries proposed together (the way etcd and TiKV batch
/// proposals), each applied with its own reply.
/// Layout: <c>version:u8 | count:u16 | proposal:u64 | (length:u32 | client entry){count}</c>, little endian; a
/// client entry is a <see cref="Commands.CommandFormat"/> entry, copied as is.
/// </summary>
internal static class BatchEntry
{
    public const byte Version = 1;
    public const int HeaderSize = 1 + 2 + 8;

    /// <summary>Most client entries in one log entry.</summary>
    public const int MaxCount = ushort.MaxValue;

    /// <summary>Starts a payload in <paramref name="buffer"/> (replacing its content).</summary>
    public static void Begin(ByteBuffer buffer, ulong proposal, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        buffer.Clear();
        Span<byte> header = buffer.GetSpan(HeaderSize);
        header[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(header[1..], (ushort)count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[3..], proposal);
        buffer.Advance(HeaderSize);
    }

    /// <summary>Appends one client entry.</summary>
    public static void Add(ByteBuffer buffer, ReadOnlySpan<byte> entry)
    {
        Span<byte> length = buffer.GetSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)entry.Length);
        buffer.Advance(4);
        buffer.Write(entry);
    }

    /// <summary>Reads the header; false when the payload is not a batch entry of this version.</summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, out int count, out ulong proposal)
    {
        count = 0;
        proposal = 0;
        if (!reader.TryRead(out byte version) || version != Version
            || !reader.TryReadLittleEndian(out short n)
            || !reader.TryReadLittleEndian(out long id))
        {
            return false;
        }

        count = (ushort)n;
        proposal = (ulong)id;
        return true;
    }

    /// <summary>Copies the next client entry into <paramref name="destination"/>; false when the payload is cut.</summary>
    public static bool TryReadEntry(ref SequenceReader<byte> reader, ByteBuffer destination)
    {
        if (!reader.TryReadLittleEndian(out int length) || length < 0 || reader.Remaining < length)
        {
            return false;
        }

        destination.Clear();
        ReadOnlySequence<byte> entry = reader.UnreadSequence.Slice(0, length);
        foreach (ReadOnlyMemory<byte> segment in entry)
        {
            destination.Write(segment.Span);
        }

        reader.Advance(length);
        return true;
    }
}
