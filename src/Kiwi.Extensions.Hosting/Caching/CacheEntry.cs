using System.Buffers.Binary;

namespace Kiwi.Extensions.Caching;

/// <summary>
/// A cache entry as stored: one string value, a header then the data. The header is a format byte (1), the
/// absolute expiry in unix milliseconds and the sliding window in milliseconds, both little-endian, 0 for none.
/// The key's own expiry (set with the value, moved by each read) enforces them; the header tells a read how far
/// to move it. Persisted: append-only, tested against fixed bytes.
/// </summary>
internal static class CacheEntry
{
    /// <summary>Bytes before the data.</summary>
    public const int HeaderLength = 17;

    private const byte Format = 1;

    /// <summary>Writes the header of an entry into the first <see cref="HeaderLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, long absoluteUnixMs, long slidingMs)
    {
        destination[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], absoluteUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[9..], slidingMs);
    }

    /// <summary>Reads the header of a stored entry.</summary>
    /// <exception cref="InvalidDataException">The value is not a cache entry (the key holds something else).</exception>
    public static (long AbsoluteUnixMs, long SlidingMs) ReadHeader(ReadOnlySpan<byte> entry)
    {
        if (entry.Length < HeaderLength || entry[0] != Format)
        {
            throw new InvalidDataException("the key does not hold a Kiwi distributed cache entry");
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(entry[1..]), BinaryPrimitives.ReadInt64LittleEndian(entry[9..]));
    }

    /// <summary>
    /// The key's expiry in unix milliseconds after a write or a read at <paramref name="nowMs"/>: the sliding window
    /// from now, never past the absolute expiry; 0 when neither is set (the key does not expire).
    /// </summary>
    public static long KeyExpiry(long nowMs, long absoluteUnixMs, long slidingMs)
    {
        if (slidingMs == 0)
        {
            return absoluteUnixMs;
        }

        long sliding = nowMs + slidingMs;
        return absoluteUnixMs != 0 ? Math.Min(sliding, absoluteUnixMs) : sliding;
    }
}
