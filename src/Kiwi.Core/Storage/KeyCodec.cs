using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// Encodes storage keys. Persisted format (version 1), covered by fixed-byte tests:
/// <list type="bullet">
/// <item>meta key: <c>db:u16 BE | user key</c></item>
/// <item>data key: <c>db:u16 BE | len(key):u32 BE | key | version:u64 BE | member</c></item>
/// <item>expiry index key: <c>expireAt:u64 BE | db:u16 BE | user key</c></item>
/// </list>
/// Big-endian integers keep RocksDB's byte order equal to numeric order.
/// </summary>
internal static class KeyCodec
{
    /// <summary>Bytes before the user key in a meta key.</summary>
    public const int MetaPrefix = 2;

    /// <summary>Bytes before the user key in an expiry index key.</summary>
    public const int ExpirePrefix = 10;

    /// <summary>Writes the meta key of (<paramref name="db"/>, <paramref name="key"/>) into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<byte> Meta(ByteBuffer buffer, int db, ReadOnlySpan<byte> key)
    {
        buffer.Clear();
        Span<byte> span = buffer.GetSpan(MetaPrefix + key.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)db);
        key.CopyTo(span[MetaPrefix..]);
        buffer.Advance(MetaPrefix + key.Length);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes the data key of a collection member into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<byte> Data(ByteBuffer buffer, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member)
    {
        buffer.Clear();
        int length = 2 + 4 + key.Length + 8 + member.Length;
        Span<byte> span = buffer.GetSpan(length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)db);
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)key.Length);
        key.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[(6 + key.Length)..], version);
        member.CopyTo(span[(14 + key.Length)..]);
        buffer.Advance(length);
        return buffer.WrittenSpan;
    }

    /// <summary>Bytes of a data key's group prefix (<c>db | len(key) | key | version</c>) besides the user key.</summary>
    public const int GroupOverhead = 2 + 4 + 8;

    /// <summary>
    /// The length of the group prefix (<c>db | len(key) | key | version</c>) that starts <paramref name="dataKey"/>,
    /// or 0 when the bytes are not a data key.
    /// </summary>
    public static int GroupLength(ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length < GroupOverhead)
        {
            return 0;
        }

        uint keyLength = BinaryPrimitives.ReadUInt32BigEndian(dataKey[2..]);
        return keyLength <= (uint)(dataKey.Length - GroupOverhead) ? GroupOverhead + (int)keyLength : 0;
    }

    /// <summary>Splits a group prefix (see <see cref="GroupLength"/>) into its parts.</summary>
    public static void ReadGroup(ReadOnlySpan<byte> group, out int db, out ReadOnlySpan<byte> key, out ulong version)
    {
        db = BinaryPrimitives.ReadUInt16BigEndian(group);
        key = group[6..^8];
        version = BinaryPrimitives.ReadUInt64BigEndian(group[^8..]);
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> (as long as <paramref name="group"/>) the first key after every
    /// data key of the group: the group prefix with its version plus one (a big-endian increment with carry).
    /// </summary>
    public static void GroupEnd(ReadOnlySpan<byte> group, Span<byte> destination)
    {
        group.CopyTo(destination);
        for (int i = group.Length - 1; i >= 0; i--)
        {
            if (++destination[i] != 0)
            {
                return;
            }
        }
    }

    /// <summary>Writes the expiry index key of (<paramref name="db"/>, <paramref name="key"/>) expiring at <paramref name="expireAtMs"/>.</summary>
    public static ReadOnlySpan<byte> Expire(ByteBuffer buffer, long expireAtMs, int db, ReadOnlySpan<byte> key)
    {
        buffer.Clear();
        Span<byte> span = buffer.GetSpan(ExpirePrefix + key.Length);
        BinaryPrimitives.WriteUInt64BigEndian(span, (ulong)expireAtMs);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)db);
        key.CopyTo(span[ExpirePrefix..]);
        buffer.Advance(ExpirePrefix + key.Length);
        return buffer.WrittenSpan;
    }

    /// <summary>Splits an expiry index key into its parts.</summary>
    public static bool TryReadExpire(ReadOnlySpan<byte> indexKey, out long expireAtMs, out int db, out ReadOnlySpan<byte> key)
    {
        if (indexKey.Length < ExpirePrefix)
        {
            expireAtMs = 0;
            db = 0;
            key = default;
            return false;
        }

        expireAtMs = (long)BinaryPrimitives.ReadUInt64BigEndian(indexKey);
        db = BinaryPrimitives.ReadUInt16BigEndian(indexKey[8..]);
        key = indexKey[ExpirePrefix..];
        return true;
    }
}
