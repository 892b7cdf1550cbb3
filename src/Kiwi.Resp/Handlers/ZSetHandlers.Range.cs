using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>ZRANGE and its older forms over committed state (see <see cref="ZSetWalk"/> for the costs).</content>
internal static partial class ZSetHandlers
{
    [ThreadStatic]
    private static ByteBuffer? t_reply;

    private static void Range(ref CommandContext ctx, ZRangeKind? kind, bool? reverse)
    {
        ReadOnlySpan<byte> error = ZRangeOptions.Parse(ctx.ArgsFrom(1), 1, kind, reverse, store: false, out ZRangeOptions options);
        if (!error.IsEmpty)
        {
            ctx.Error(error);
            return;
        }

        if (!Find(ref ctx, out ulong version, out long size, RespReplies.EmptyArray))
        {
            return;
        }

        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var sink = new ReplySink(new RespWriter(body, ctx.Writer.Version), options.WithScores);
        var view = new CommittedZSet(ctx.View, ctx.ReadDb, ctx[1], version);
        switch (options.Kind)
        {
            case ZRangeKind.Rank:
                if (ZSetWrites.TryRanks(options.Start, options.Stop, size, out long first, out long last))
                {
                    ZSetWalk.ByRank(ref view, first, last, options.Reverse, size, ref sink);
                }

                break;
            case ZRangeKind.Score:
                ZScoreRange.TryParse(options.Min, options.Max, out ZScoreRange scores);
                ZSetWalk.ByScore(ref view, scores, options.Reverse, options.Offset, options.Limit, ref sink);
                break;
            default:
                ZLexRange.TryParse(options.Min, options.Max, out ZLexRange lex);
                ZSetWalk.ByLex(ref view, lex, options.Reverse, options.Offset, options.Limit, ref sink);
                break;
        }

        WriteArray(ref ctx, body, sink.Count, options.WithScores);
    }

    /// <summary>The array of a range or algebra result: RESP2 flat (member, score, ...), RESP3 [member, score] pairs.</summary>
    private static void WriteArray(ref CommandContext ctx, ByteBuffer body, int count, bool withScores)
    {
        ctx.Writer.WriteArrayHeader(withScores && !ctx.Writer.IsResp3 ? count * 2 : count);
        ctx.Writer.WriteRaw(body.WrittenSpan);
        body.Clear();
    }

    /// <summary>Writes each pair of a result into the reply body.</summary>
    private struct ReplySink(RespWriter writer, bool withScores) : IZSink
    {
        public int Count { get; private set; }

        public bool Add(ReadOnlySpan<byte> member, double score)
        {
            if (withScores && writer.IsResp3)
            {
                writer.WriteArrayHeader(2);
            }

            writer.WriteBulk(member);
            if (withScores)
            {
                ZScore.Write(writer, score);
            }

            Count++;
            return true;
        }
    }
}
