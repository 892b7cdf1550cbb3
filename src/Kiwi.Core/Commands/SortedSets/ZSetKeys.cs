using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// How a sorted set's two orders live in <see cref="Storage.KeySpace.ZSet"/>, both under the collection's member
/// group (<c>db | len(key) | key | version</c>, see <see cref="Storage.KeyCodec.Data"/>). Persisted format (version
/// 1), covered by fixed-byte tests:
/// <list type="bullet">
/// <item>by member: <c>group | 0x00 | member</c> → <c>score:f64 LE</c></item>
/// <item>by score: <c>group | 0x01 | sortable(score):u64 BE | member</c> → <c>score:f64 LE</c></item>
/// </list>
/// The score order's key holds -0 as 0 (Redis orders them as equal, ties by member); its value keeps the exact score.
/// Both orders share the group prefix, so everything that works on whole groups (the O(1) delete and its
/// background cleanup, the inline drop, RENAME/COPY/MOVE's copy) covers both without knowing about sorted sets.
/// </summary>
internal static class ZSetKeys
{
    /// <summary>The tag of the member → score order.</summary>
    public const byte MemberTag = 0x00;

    /// <summary>The tag of the score order.</summary>
    public const byte ScoreTag = 0x01;

    /// <summary>Bytes of a score-order suffix before the member.</summary>
    public const int ScorePrefix = 9;

    /// <summary>Writes <c>0x00 | member</c> into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<byte> Member(ByteBuffer buffer, ReadOnlySpan<byte> member)
    {
        buffer.Clear();
        Span<byte> span = buffer.GetSpan(1 + member.Length);
        span[0] = MemberTag;
        member.CopyTo(span[1..]);
        buffer.Advance(1 + member.Length);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes <c>0x01 | sortable(score) | member</c> into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<byte> Score(ByteBuffer buffer, double score, ReadOnlySpan<byte> member)
    {
        buffer.Clear();
        Span<byte> span = buffer.GetSpan(ScorePrefix + member.Length);
        span[0] = ScoreTag;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], Sortable(score));
        member.CopyTo(span[ScorePrefix..]);
        buffer.Advance(ScorePrefix + member.Length);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes a member record's value (the score) into <paramref name="destination"/> (8 bytes).</summary>
    public static void WriteScoreValue(Span<byte> destination, double score) => BinaryPrimitives.WriteDoubleLittleEndian(destination, score);

    /// <summary>Reads a member record's value.</summary>
    public static double ReadScoreValue(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadDoubleLittleEndian(value);

    /// <summary>True when a group suffix is a score-order entry.</summary>
    public static bool IsScoreEntry(ReadOnlySpan<byte> suffix) => suffix.Length >= ScorePrefix && suffix[0] == ScoreTag;

    /// <summary>The exact score of a score-order entry (its value), -0 included.</summary>
    public static double ExactScore(ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> value) => value.Length == 8 ? ReadScoreValue(value) : ScoreOf(suffix);

    /// <summary>The score of a score-order suffix (-0 reads as 0).</summary>
    public static double ScoreOf(ReadOnlySpan<byte> suffix) => FromSortable(BinaryPrimitives.ReadUInt64BigEndian(suffix[1..]));

    /// <summary>The member of a score-order suffix.</summary>
    public static ReadOnlySpan<byte> MemberOfScoreEntry(ReadOnlySpan<byte> suffix) => suffix[ScorePrefix..];

    /// <summary>
    /// Maps a double to an unsigned integer whose big-endian bytes sort as the doubles do (-inf first, +inf last).
    /// -0 is stored as 0: Redis compares them equal and orders equal scores by member.
    /// </summary>
    public static ulong Sortable(double score)
    {
        long bits = BitConverter.DoubleToInt64Bits(score == 0 ? 0.0 : score);
        return bits < 0 ? ~(ulong)bits : (ulong)bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The inverse of <see cref="Sortable"/>.</summary>
    public static double FromSortable(ulong sortable)
        => BitConverter.Int64BitsToDouble((sortable & 0x8000_0000_0000_0000UL) != 0 ? (long)(sortable & 0x7FFF_FFFF_FFFF_FFFFUL) : (long)~sortable);
}
