using System.Buffers.Binary;

namespace Kiwi.Core.Storage;

/// <summary>
/// The meta record of a key. Persisted formats, covered by fixed-byte tests; the high nibble of the first byte
/// names the format, the low nibble the <see cref="KeyType"/>:
/// <list type="bullet">
/// <item>format 0 (strings, and collections written before format 1): <c>type:u8 | expireAt:i64 LE | payload</c>;
/// for strings the payload is the value.</item>
/// <item>format 1 (collections): <c>0x10|type:u8 | expireAt:i64 LE | version:u64 LE | count:u64 LE | encoding:u8 |
/// extra</c>; the
/// members live in the type's key space under <c>version</c> (see <see cref="KeyCodec.Data"/>), <c>count</c> is how
/// many there are, <c>encoding</c> the <see cref="CollectionEncoding"/> Redis would report, <c>extra</c> is
/// type-specific. A format-0 collection reads as version 0 with no members.</item>
/// </list>
/// expireAt is in unix milliseconds, 0 when the key does not expire; it sits at the same place in both formats.
/// </summary>
internal static class MetaValue
{
    /// <summary>Bytes before the payload of a format-0 record (a string's value).</summary>
    public const int HeaderSize = 9;

    /// <summary>Bytes of a format-1 (collection) record before its type-specific part.</summary>
    public const int CollectionHeaderSize = 26;

    /// <summary>The first byte's format bit of a collection record.</summary>
    public const byte CollectionFormat = 0x10;

    /// <summary>Writes a format-0 header into the first <see cref="HeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, KeyType type, long expireAtMs)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], expireAtMs);
    }

    /// <summary>Writes a format-1 collection header into the first <see cref="CollectionHeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public static void WriteCollectionHeader(Span<byte> destination, KeyType type, long expireAtMs, ulong version, long count, CollectionEncoding encoding)
    {
        destination[0] = (byte)(CollectionFormat | (byte)type);
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], expireAtMs);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[9..], version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[17..], count);
        destination[25] = (byte)encoding;
    }

    /// <summary>The type (None when the record is malformed).</summary>
    public static KeyType Type(ReadOnlySpan<byte> record) => record.Length >= HeaderSize ? (KeyType)(record[0] & 0x0F) : KeyType.None;

    /// <summary>True for a format-1 collection record.</summary>
    public static bool IsCollection(ReadOnlySpan<byte> record) => record.Length >= CollectionHeaderSize && (record[0] & 0xF0) == CollectionFormat;

    /// <summary>The expiry in unix milliseconds, 0 for none.</summary>
    public static long ExpireAt(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[1..]);

    /// <summary>Overwrites the expiry of <paramref name="record"/> in place (any format).</summary>
    public static void SetExpireAt(Span<byte> record, long expireAtMs) => BinaryPrimitives.WriteInt64LittleEndian(record[1..], expireAtMs);

    /// <summary>The version a collection's members are stored under (0 for a format-0 record).</summary>
    public static ulong Version(ReadOnlySpan<byte> record) => IsCollection(record) ? BinaryPrimitives.ReadUInt64LittleEndian(record[9..]) : 0;

    /// <summary>How many members a collection has (0 for a format-0 record).</summary>
    public static long Count(ReadOnlySpan<byte> record) => IsCollection(record) ? BinaryPrimitives.ReadInt64LittleEndian(record[17..]) : 0;

    /// <summary>The encoding Redis would report for a collection (<see cref="CollectionEncoding.Table"/> for a format-0 one).</summary>
    public static CollectionEncoding Encoding(ReadOnlySpan<byte> record) => IsCollection(record) ? (CollectionEncoding)record[25] : CollectionEncoding.Table;

    /// <summary>The payload after a format-0 header: a string's value.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> record) => record[HeaderSize..];

    /// <summary>The type-specific part after a collection header (empty for a format-0 record).</summary>
    public static ReadOnlySpan<byte> Extra(ReadOnlySpan<byte> record) => IsCollection(record) ? record[CollectionHeaderSize..] : default;

    /// <summary>Redis's rule: a key with an expiry is gone once the clock is past it.</summary>
    public static bool IsExpired(long expireAtMs, long nowMs) => expireAtMs != 0 && nowMs > expireAtMs;
}
