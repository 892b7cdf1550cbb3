using Kiwi.Core.Apply;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>Sorted-set point reads and counts, answered at once from committed state.</content>
internal static partial class ZSetHandlers
{
    /// <summary>Loads the sorted set at <c>ctx[1]</c>: false when a reply was written (missing → <paramref name="missing"/>, or WRONGTYPE).</summary>
    private static bool Find(ref CommandContext ctx, out ulong version, out long count, scoped ReadOnlySpan<byte> missing)
        => CollectionLookup.Find(ref ctx, KeyType.ZSet, out version, out count, missing);

    private static ReadOnlySpan<byte> Nil(scoped ref CommandContext ctx) => ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullBulk;

    private static void Card(ref CommandContext ctx)
    {
        if (Find(ref ctx, out _, out long count, RespReplies.Zero))
        {
            ctx.Writer.WriteInteger(count);
        }
    }

    private static void Score(ref CommandContext ctx)
    {
        if (!Find(ref ctx, out ulong version, out _, Nil(ref ctx)))
        {
            return;
        }

        if (ZSetReads.TryGetScore(ctx.View, ctx.ReadDb, ctx[1], version, ctx[2], out double score))
        {
            ZScore.Write(ctx.Writer, score);
        }
        else
        {
            ctx.Writer.WriteNull();
        }
    }

    private static void MScore(ref CommandContext ctx)
    {
        KeyType type = CollectionReads.Lookup(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, out ulong version, out _);
        if (type != KeyType.None && type != KeyType.ZSet)
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
            return;
        }

        ctx.Writer.WriteArrayHeader(ctx.Count - 2);
        for (int i = 2; i < ctx.Count; i++)
        {
            if (type == KeyType.ZSet && ZSetReads.TryGetScore(ctx.View, ctx.ReadDb, ctx[1], version, ctx[i], out double score))
            {
                ZScore.Write(ctx.Writer, score);
            }
            else
            {
                ctx.Writer.WriteNull();
            }
        }
    }

    private static void Rank(ref CommandContext ctx, bool reverse)
    {
        if (!Find(ref ctx, out ulong version, out long count, Nil(ref ctx)))
        {
            return;
        }

        long rank = ZSetReads.Rank(ctx.View, ctx.ReadDb, ctx[1], version, count, ctx[2]);
        if (rank < 0)
        {
            ctx.Writer.WriteNull();
            return;
        }

        ctx.Writer.WriteInteger(reverse ? count - 1 - rank : rank);
    }

    private static void Count(ref CommandContext ctx)
    {
        if (!ZScoreRange.TryParse(ctx[2], ctx[3], out ZScoreRange range))
        {
            ctx.Error("ERR min or max is not a float"u8);
            return;
        }

        if (!Find(ref ctx, out ulong version, out _, RespReplies.Zero))
        {
            return;
        }

        var view = new CommittedZSet(ctx.View, ctx.ReadDb, ctx[1], version);
        var sink = default(CountSink);
        ZSetWalk.ByScore(ref view, range, false, 0, -1, ref sink);
        ctx.Writer.WriteInteger(sink.Count);
    }

    private static void LexCount(ref CommandContext ctx)
    {
        if (!ZLexRange.TryParse(ctx[2], ctx[3], out ZLexRange range))
        {
            ctx.Error("ERR min or max not valid string range item"u8);
            return;
        }

        if (!Find(ref ctx, out ulong version, out _, RespReplies.Zero))
        {
            return;
        }

        var view = new CommittedZSet(ctx.View, ctx.ReadDb, ctx[1], version);
        var sink = default(CountSink);
        ZSetWalk.ByLex(ref view, range, false, 0, -1, ref sink);
        ctx.Writer.WriteInteger(sink.Count);
    }
}
