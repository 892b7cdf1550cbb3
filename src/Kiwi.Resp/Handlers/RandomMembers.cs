using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// HRANDFIELD and SRANDMEMBER: random members of a collection, drawn by position and collected in one ordered
/// walk, so memory grows with the number of picks, not with the collection. The choice is this node's own (a
/// read). Distinct picks (a positive count) come in member order, repeated picks (a negative count) too.
/// </summary>
internal static class RandomMembers
{
    // Scratch for a random probe's prefix and seek key, per thread (the reads run on many).
    [ThreadStatic]
    private static ByteBuffer? t_prefix;
    [ThreadStatic]
    private static ByteBuffer? t_probe;

    /// <summary>One random member of a collection of <paramref name="size"/> members (a bulk string).</summary>
    public static void WriteOne(ref CommandContext ctx, KeySpace space, ulong version, long size)
    {
        using MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, space, ctx.ReadDb, ctx[1], version);
        bool probed = size > RandomProbe.MinMembers && space is KeySpace.Set or KeySpace.Hash;
        var random = new SplitMix64((long)(ulong)Random.Shared.NextInt64());
        if (!probed || !RandomProbe.TryPick(cursor, ref random, t_prefix ??= new ByteBuffer(), t_probe ??= new ByteBuffer()))
        {
            // A small collection (or one whose members all share their first 64 bytes): a walk to a random index.
            if (probed)
            {
                cursor.Restart(default);
            }

            long target = Random.Shared.NextInt64(size);
            for (long i = 0; i < target && cursor.Valid; i++)
            {
                cursor.Next();
            }
        }

        if (cursor.Valid)
        {
            ctx.Writer.WriteBulk(cursor.Member);
        }
        else
        {
            ctx.Writer.WriteNull();
        }
    }

    /// <summary>The count argument (<c>ctx[2]</c>) of HRANDFIELD and SRANDMEMBER, with Redis's errors; false when it replied one.</summary>
    public static bool TryParseCount(ref CommandContext ctx, out long count)
    {
        if (!ArgParser.TryInt64(ctx[2], out count))
        {
            ctx.NotInteger();
            return false;
        }

        if (count == long.MinValue)
        {
            ctx.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"u8);
            return false;
        }

        return true;
    }

    /// <summary>
    /// <paramref name="count"/> members: distinct ones (at most the whole collection) for a positive count, independent
    /// draws for a negative one, with their values after them (RESP3: as pairs) when <paramref name="withValues"/>.
    /// A count of 0 answers an empty array; one below what a reply can hold, an error.
    /// </summary>
    public static void WriteMany(ref CommandContext ctx, KeySpace space, ulong version, long size, long count, bool withValues)
    {
        if (count == 0)
        {
            ctx.Writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        // Redis would try to build a reply of that many elements; one this large cannot be sent.
        if (count < (withValues ? -int.MaxValue / 2 : -int.MaxValue))
        {
            ctx.Error("ERR value is out of range"u8);
            return;
        }

        int picks = (int)(count > 0 ? Math.Min(count, size) : -count);
        bool pairs = withValues && ctx.Writer.IsResp3;
        ctx.Writer.WriteArrayHeader(withValues && !pairs ? 2 * picks : picks);
        long[]? positions = count > 0 && picks == size ? null : Draw(size, picks, distinct: count > 0);
        int next = 0;
        long position = 0;
        using MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, space, ctx.ReadDb, ctx[1], version);
        for (; cursor.Valid && next < picks; cursor.Next(), position++)
        {
            // Every member when all of them are picked; else each drawn position, as many times as it was drawn.
            while (next < picks && (positions is null || positions[next] == position))
            {
                if (pairs)
                {
                    ctx.Writer.WriteArrayHeader(2);
                }

                ctx.Writer.WriteBulk(cursor.Member);
                if (withValues)
                {
                    ctx.Writer.WriteBulk(cursor.Value);
                }

                next++;
                if (positions is null)
                {
                    break;
                }
            }
        }
    }

    // Sorted positions in [0, size): distinct ones by Floyd's sampling, or independent draws.
    private static long[] Draw(long size, int picks, bool distinct)
    {
        var positions = new long[picks];
        if (!distinct)
        {
            for (int i = 0; i < picks; i++)
            {
                positions[i] = Random.Shared.NextInt64(size);
            }
        }
        else
        {
            var chosen = new HashSet<long>(picks);
            int filled = 0;
            for (long j = size - picks; j < size; j++)
            {
                long t = Random.Shared.NextInt64(j + 1);
                positions[filled++] = chosen.Add(t) ? t : j;
                if (positions[filled - 1] == j)
                {
                    chosen.Add(j);
                }
            }
        }

        Array.Sort(positions);
        return positions;
    }
}
