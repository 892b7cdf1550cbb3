using System.Buffers;
using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Raft;

/// <summary>
/// The payload of one Raft log entry: many client entries proposed together (the way etcd and TiKV batch
/// proposals), each applied with its own reply. Persisted in the log: append only, every version stays readable.
/// <list type="bullet">
/// <item>Version 1: <c>1:u8 | count:u16 | proposal:u64 | (length:u32 | client entry){count}</c>.</item>
/// <item>Version 2 (written now): <c>2:u8 | count:u16 | proposal:u64 | (length:u32 | origin:u64 | seq:u64 |
/// client entry){count}</c>: each client entry carries its <see cref="WriteId"/>; <c>length</c> counts the client
/// entry only.</item>
/// </list>
/// Little endian; a client entry is a <see cref="Commands.CommandFormat"/> entry, copied as is.
/// </summary>
internal static class BatchEntry
{
    /// <summary>The version written.</summary>
    public const byte Version = 2;

    /// <summary>The first version (no write ids), still read.</summary>
    public const byte Version1 = 1;

    public const int HeaderSize = 1 + 2 + 8;

    /// <summary>Bytes in front of each client entry: its length, and from version 2 its id.</summary>
    public const int EntryHeaderSize = 4 + 8 + 8;

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

    /// <summary>Appends one client entry with its id.</summary>
    public static void Add(ByteBuffer buffer, WriteId id, ReadOnlySpan<byte> entry)
    {
        Span<byte> header = buffer.GetSpan(EntryHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)entry.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], id.Origin);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], id.Seq);
        buffer.Advance(EntryHeaderSize);
        buffer.Write(entry);
    }

    /// <summary>Reads the header; false when the payload is not a batch entry of a known version.</summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, out byte version, out int count, out ulong proposal)
    {
        count = 0;
        proposal = 0;
        if (!reader.TryRead(out version) || version is not (Version1 or Version)
            || !reader.TryReadLittleEndian(out short n)
            || !reader.TryReadLittleEndian(out long id))
        {
            return false;
        }

        count = (ushort)n;
        proposal = (ulong)id;
        return true;
    }

    /// <summary>
    /// Reads what precedes the next client entry: its length and id (<see cref="WriteId.None"/> in version 1);
    /// false when the payload is cut. Then <see cref="CopyEntry"/> or skip <paramref name="length"/> bytes.
    /// </summary>
    public static bool TryReadEntryHeader(ref SequenceReader<byte> reader, byte version, out int length, out WriteId id)
    {
        id = WriteId.None;
        if (!reader.TryReadLittleEndian(out length) || length < 0)
        {
            return false;
        }

        if (version != Version1)
        {
            if (!reader.TryReadLittleEndian(out long origin) || !reader.TryReadLittleEndian(out long seq))
            {
                return false;
            }

            id = new WriteId((ulong)origin, (ulong)seq);
        }

        return reader.Remaining >= length;
    }

    /// <summary>Copies the next <paramref name="length"/> bytes (a client entry) into <paramref name="destination"/>.</summary>
    public static void CopyEntry(ref SequenceReader<byte> reader, int length, ByteBuffer destination)
    {
        destination.Clear();
        ReadOnlySequence<byte> entry = reader.UnreadSequence.Slice(0, length);
        foreach (ReadOnlyMemory<byte> segment in entry)
        {
            destination.Write(segment.Span);
        }

        reader.Advance(length);
    }

    /// <summary>Copies the next client entry into <paramref name="destination"/>; false when the payload is cut.</summary>
    public static bool TryReadEntry(ref SequenceReader<byte> reader, byte version, ByteBuffer destination, out WriteId id)
    {
        if (!TryReadEntryHeader(ref reader, version, out int length, out id))
        {
            return false;
        }

        CopyEntry(ref reader, length, destination);
        return true;
    }
}
