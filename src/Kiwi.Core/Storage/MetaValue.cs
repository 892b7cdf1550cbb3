using System.Buffers.Binary;

namespace Kiwi.Core.Storage;

/// <summary>
/// The meta record of a key. Persisted format (version 1): <c>type:u8 | expireAt:i64 LE | payload</c>,
/// expireAt in unix milliseconds, 0 when the key does not expire. For strings the payload is the value.
/// </summary>
public static class MetaValue
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 9;

    /// <summary>Writes a header into the first <see cref="HeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, KeyType type, long expireAtMs)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], expireAtMs);
    }

    /// <summary>The type byte (None when the record is malformed).</summary>
    public static KeyType Type(ReadOnlySpan<byte> record) => record.Length >= HeaderSize ? (KeyType)record[0] : KeyType.None;

    /// <summary>The expiry in unix milliseconds, 0 for none.</summary>
    public static long ExpireAt(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[1..]);

    /// <summary>The payload after the header.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> record) => record[HeaderSize..];

    /// <summary>Redis's rule: a key with an expiry is gone once the clock is past it.</summary>
    public static bool IsExpired(long expireAtMs, long nowMs) => expireAtMs != 0 && nowMs > expireAtMs;
}
