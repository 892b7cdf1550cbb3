using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>Redis 7.0's default conversion limits (hash-max-listpack-entries/value, set-max-intset-entries).</summary>
internal static class CollectionEncodings
{
    /// <summary>A hash with more fields is a hashtable.</summary>
    public const long HashMaxEntries = 128;

    /// <summary>A hash with a longer field or value is a hashtable.</summary>
    public const int HashMaxValue = 64;

    /// <summary>An integer set with more members is a hashtable.</summary>
    public const long SetMaxIntset = 512;

    /// <summary>A hash's encoding after a field of <paramref name="fieldLength"/> and a value of <paramref name="valueLength"/> bytes are written and it holds <paramref name="count"/> fields.</summary>
    public static CollectionEncoding Hash(CollectionEncoding current, long count, int fieldLength, int valueLength)
        => current == CollectionEncoding.Table || count > HashMaxEntries || fieldLength > HashMaxValue || valueLength > HashMaxValue
            ? CollectionEncoding.Table
            : CollectionEncoding.Compact;

    /// <summary>A set's encoding after <paramref name="member"/> is added and it holds <paramref name="count"/> members.</summary>
    public static CollectionEncoding Set(CollectionEncoding current, long count, ReadOnlySpan<byte> member)
        => current == CollectionEncoding.Table || count > SetMaxIntset || !RedisNumbers.TryParseInt64(member, out _)
            ? CollectionEncoding.Table
            : CollectionEncoding.Compact;
}
