using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// A sorted set as the writer's batch sees it: point reads of scores, and writes that keep both orders (member →
/// score, and score | member) in step. Scratch buffers are the writer thread's own.
/// </summary>
internal static class ZSetStore
{
    /// <summary>Redis 7.0's zset-max-listpack-entries.</summary>
    public const long MaxListpackEntries = 128;

    /// <summary>Redis 7.0's zset-max-listpack-value.</summary>
    public const int MaxListpackValue = 64;

    [ThreadStatic]
    private static ByteBuffer? t_suffix;

    [ThreadStatic]
    private static ByteBuffer? t_value;

    /// <summary>The encoding after a member of <paramref name="memberLength"/> bytes is added and the set holds <paramref name="count"/>.</summary>
    public static CollectionEncoding Encoding(CollectionEncoding current, long count, int memberLength)
        => current == CollectionEncoding.Table || count > MaxListpackEntries || memberLength > MaxListpackValue
            ? CollectionEncoding.Table
            : CollectionEncoding.Compact;

    /// <summary>Reads <paramref name="member"/>'s score; false when it is not in the set.</summary>
    public static bool TryGetScore(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, out double score)
    {
        ByteBuffer value = t_value ??= new ByteBuffer();
        if (ctx.TryGetMember(KeySpace.ZSet, db, key, version, ZSetKeys.Member(Suffix(), member), value) && value.Length == 8)
        {
            score = ZSetKeys.ReadScoreValue(value.WrittenSpan);
            return true;
        }

        score = 0;
        return false;
    }

    /// <summary>
    /// Writes <paramref name="member"/> with <paramref name="score"/> (the spans must not point into the batch). In a
    /// set Redis would keep as a listpack, -0 is stored as 0: Redis writes a listpack's scores as text, and its
    /// text for -0 is "0".
    /// </summary>
    public static void Put(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, double score, CollectionEncoding encoding)
    {
        if (score == 0 && encoding == CollectionEncoding.Compact)
        {
            score = 0.0;
        }

        Span<byte> value = stackalloc byte[8];
        ZSetKeys.WriteScoreValue(value, score);
        ctx.PutMember(KeySpace.ZSet, db, key, version, ZSetKeys.Member(Suffix(), member), value);
        ReadOnlySpan<byte> entry = ZSetKeys.Score(Suffix(), score, member);
        ctx.PutMember(KeySpace.ZSet, db, key, version, entry, value);
        ctx.ZSetEdges.Inserted(version, entry);
    }

    /// <summary>
    /// The lowest (<paramref name="top"/>: highest) entries of the set, the last of them
    /// <paramref name="member"/> with <paramref name="score"/>, were removed: later walks of the batch start past them.
    /// </summary>
    public static void PoppedThrough(ApplyContext ctx, ulong version, ReadOnlySpan<byte> member, double score, bool top)
        => ctx.ZSetEdges.Popped(version, ZSetKeys.Score(Suffix(), score, member), top);

    /// <summary>Deletes <paramref name="member"/>, whose score is <paramref name="score"/>, from both orders.</summary>
    public static void Remove(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, double score)
    {
        ctx.DeleteMember(KeySpace.ZSet, db, key, version, ZSetKeys.Member(Suffix(), member));
        ctx.DeleteMember(KeySpace.ZSet, db, key, version, ZSetKeys.Score(Suffix(), score, member));
    }

    /// <summary>Changes an existing member's score from <paramref name="old"/> to <paramref name="score"/>.</summary>
    public static void Rescore(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, double old, double score, CollectionEncoding encoding)
    {
        ctx.DeleteMember(KeySpace.ZSet, db, key, version, ZSetKeys.Score(Suffix(), old, member));
        Put(ctx, db, key, version, member, score, encoding);
    }

    private static ByteBuffer Suffix() => t_suffix ??= new ByteBuffer();
}

/// <summary>The score order of a sorted set in the writer's batch.</summary>
internal readonly ref struct BatchZSet(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version) : IZSetView
{
    private readonly ReadOnlySpan<byte> _key = key;

    [ThreadStatic]
    private static ByteBuffer? t_group;

    /// <inheritdoc/>
    public MemberCursor OpenScores(ReadOnlySpan<byte> from) => ctx.OpenMembers(KeySpace.ZSet, db, _key, version, ctx.ZSetEdges.Floor(version, from));

    /// <inheritdoc/>
    public ZReverseCursor OpenScoresReverse(ReadOnlySpan<byte> before)
        => new(ctx.OpenEngineCursor(KeySpace.ZSet), ctx.Writes, KeySpace.ZSet, KeyCodec.Data(t_group ??= new ByteBuffer(), db, _key, version, default), ctx.ZSetEdges.Ceiling(version, before));
}

/// <summary>Keeps the pairs of a walk (copied) for a command that writes after it.</summary>
internal readonly struct ListSink(ZEntryList list) : IZSink
{
    /// <inheritdoc/>
    public bool Add(ReadOnlySpan<byte> member, double score)
    {
        list.Add(member, score);
        return true;
    }
}
