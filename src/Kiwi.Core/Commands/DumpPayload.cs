using System.Buffers.Binary;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands;

/// <summary>
/// The serialized value of DUMP and RESTORE: Kiwi.Fast's own format, not Redis's RDB (a payload from one cannot be
/// restored into the other). Persisted by clients (they keep DUMP output and RESTORE it later), so append-only and
/// pinned by a fixed-byte test:
/// <code>
/// payload := magic "KD" | version:u8 (=1) | type:u8 | recordLen:u32 LE | record | members:u32 LE
///            | (memberLen:u32 LE | member | valueLen:u32 LE | value){members} | crc64:u64 LE
/// </code>
/// <c>record</c> is the key's meta record (<see cref="MetaValue"/>) with its expiry and version zeroed (RESTORE
/// takes the expiry from its arguments and gives the collection a new version); the members are the collection's
/// records in its key space exactly as stored under that version (a sorted set's two orders, a list's seqs), so one
/// format serves every type. <c>crc64</c> is CRC-64/XZ (ECMA-182, reflected) of every byte before it.
/// </summary>
internal static class DumpPayload
{
    /// <summary>The format version written by this code.</summary>
    public const byte Version = 1;

    private const int HeaderSize = 8;
    private const int TrailerSize = 8;

    /// <summary>Starts a payload for <paramref name="record"/> (a live meta record) in <paramref name="output"/>.</summary>
    public static void Begin(ByteBuffer output, ReadOnlySpan<byte> record)
    {
        output.Clear();
        Span<byte> header = output.GetSpan(HeaderSize);
        header[0] = (byte)'K';
        header[1] = (byte)'D';
        header[2] = Version;
        header[3] = (byte)MetaValue.Type(record);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)record.Length);
        output.Advance(HeaderSize);
        int start = output.Length;
        output.Write(record);
        Span<byte> written = output.WrittenSpanMutable[start..];
        MetaValue.SetExpireAt(written, 0);
        if (MetaValue.IsCollection(written))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(written[9..], 0);
        }

        WriteUInt32(output, 0);
    }

    /// <summary>Appends one member record (its key within the collection's group, and its value).</summary>
    public static void AddMember(ByteBuffer output, int countOffset, ReadOnlySpan<byte> member, ReadOnlySpan<byte> value)
    {
        WriteUInt32(output, (uint)member.Length);
        output.Write(member);
        WriteUInt32(output, (uint)value.Length);
        output.Write(value);
        Span<byte> count = output.WrittenSpanMutable.Slice(countOffset, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(count, BinaryPrimitives.ReadUInt32LittleEndian(count) + 1);
    }

    /// <summary>Where the member count of a payload started by <see cref="Begin"/> for <paramref name="record"/> is.</summary>
    public static int CountOffset(ReadOnlySpan<byte> record) => HeaderSize + record.Length;

    /// <summary>Ends the payload with its checksum.</summary>
    public static void End(ByteBuffer output)
    {
        ulong crc = Crc64.Compute(output.WrittenSpan);
        Span<byte> trailer = output.GetSpan(TrailerSize);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, crc);
        output.Advance(TrailerSize);
    }

    /// <summary>Redis's check of a payload's version and checksum (verifyDumpPayload).</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderSize + TrailerSize || payload[0] != (byte)'K' || payload[1] != (byte)'D' || payload[2] != Version)
        {
            return false;
        }

        ReadOnlySpan<byte> body = payload[..^TrailerSize];
        return Crc64.Compute(body) == BinaryPrimitives.ReadUInt64LittleEndian(payload[^TrailerSize..]);
    }

    /// <summary>
    /// True when a payload whose checksum holds is also well formed (Redis's "Bad data format" otherwise): a known
    /// type, a record of that type, members only for a collection, and lengths that end exactly at the checksum.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> payload)
    {
        var reader = new Reader(payload);
        if (!reader.IsValid)
        {
            return false;
        }

        ReadOnlySpan<byte> record = reader.Record;
        KeyType type = MetaValue.Type(record);
        bool collection = MetaValue.IsCollection(record);
        if (type != (KeyType)payload[3] || type is not (KeyType.String or KeyType.Hash or KeyType.Set or KeyType.ZSet or KeyType.List)
            || (collection && type == KeyType.String) || (!collection && reader.MemberCount != 0))
        {
            return false;
        }

        while (reader.TryNext(out _, out _))
        {
        }

        return reader.IsValid && reader.AtEnd;
    }

    private static void WriteUInt32(ByteBuffer output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    /// <summary>Reads a payload's parts (checksum already verified).</summary>
    public ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _body;
        private int _position;
        private uint _left;

        /// <summary>Starts reading <paramref name="payload"/>.</summary>
        public Reader(ReadOnlySpan<byte> payload)
        {
            IsValid = false;
            if (payload.Length < HeaderSize + TrailerSize)
            {
                return;
            }

            _body = payload[..^TrailerSize];
            uint recordLength = BinaryPrimitives.ReadUInt32LittleEndian(_body[4..]);
            if (recordLength > (uint)(_body.Length - HeaderSize - 4))
            {
                return;
            }

            Record = _body.Slice(HeaderSize, (int)recordLength);
            _position = HeaderSize + (int)recordLength;
            _left = BinaryPrimitives.ReadUInt32LittleEndian(_body[_position..]);
            MemberCount = _left;
            _position += 4;
            IsValid = true;
        }

        /// <summary>False once a length ran past the end.</summary>
        public bool IsValid { get; private set; }

        /// <summary>The meta record (expiry and version zero).</summary>
        public ReadOnlySpan<byte> Record { get; }

        /// <summary>How many member records follow.</summary>
        public uint MemberCount { get; }

        /// <summary>True when every member was read and nothing is left before the checksum.</summary>
        public readonly bool AtEnd => _left == 0 && _position == _body.Length;

        /// <summary>The next member record; false after the last (or on a malformed length).</summary>
        public bool TryNext(out ReadOnlySpan<byte> member, out ReadOnlySpan<byte> value)
        {
            member = default;
            value = default;
            if (_left == 0 || !IsValid)
            {
                return false;
            }

            if (!TryTake(out member) || !TryTake(out value))
            {
                IsValid = false;
                return false;
            }

            _left--;
            return true;
        }

        private bool TryTake(out ReadOnlySpan<byte> part)
        {
            part = default;
            if (_body.Length - _position < 4)
            {
                return false;
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_body[_position..]);
            if (length > (uint)(_body.Length - _position - 4))
            {
                return false;
            }

            part = _body.Slice(_position + 4, (int)length);
            _position += 4 + (int)length;
            return true;
        }
    }
}
