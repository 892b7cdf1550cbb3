using System.Buffers;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Bits;
using Kiwi.Core.Resp;
using LcsAlgorithm = Kiwi.Core.Commands.Bits.Lcs;

namespace Kiwi.Resp.Handlers;

/// <content>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN], as Redis 7.0's lcsCommand.</content>
internal static partial class BitHandlers
{
    private static void Lcs(ref CommandContext ctx)
    {
        // Redis checks the types before it parses the options.
        if (!LcsInput.TryLoad(ctx.View, ctx.ReadDb, ctx[1], ctx[2], ctx.NowMs, out LcsInput input))
        {
            ctx.Error(LcsAlgorithm.WrongTypeError);
            return;
        }

        using (input)
        {
            bool getLength = false, getIndexes = false, withMatchLength = false;
            long minMatchLength = 0;
            for (int j = 3; j < ctx.Count; j++)
            {
                ReadOnlySpan<byte> opt = ctx[j];
                if (ArgParser.Is(opt, "IDX"u8))
                {
                    getIndexes = true;
                }
                else if (ArgParser.Is(opt, "LEN"u8))
                {
                    getLength = true;
                }
                else if (ArgParser.Is(opt, "WITHMATCHLEN"u8))
                {
                    withMatchLength = true;
                }
                else if (ArgParser.Is(opt, "MINMATCHLEN"u8) && j + 1 < ctx.Count)
                {
                    if (!ArgParser.TryInt64(ctx[++j], out minMatchLength))
                    {
                        ctx.NotInteger();
                        return;
                    }

                    minMatchLength = Math.Max(minMatchLength, 0);
                }
                else
                {
                    ctx.SyntaxError();
                    return;
                }
            }

            if (getIndexes && getLength)
            {
                ctx.Error(LcsAlgorithm.LenAndIdxError);
                return;
            }

            ReplyLcs(ctx.Writer, input.A, input.B, getLength, getIndexes, withMatchLength, minMatchLength);
        }
    }

    private static void ReplyLcs(RespWriter writer, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool getLength, bool getIndexes, bool withMatchLength, long minMatchLength)
    {
        if (!LcsAlgorithm.Fits(a.Length, b.Length))
        {
            writer.WriteError(System.Text.Encoding.ASCII.GetBytes(LcsAlgorithm.TooLargeError));
            return;
        }

        if (getLength)
        {
            writer.WriteInteger(LcsAlgorithm.Length(a, b));
            return;
        }

        if (!getIndexes)
        {
            byte[] text = ArrayPool<byte>.Shared.Rent(Math.Min(a.Length, b.Length) + 1);
            int length = LcsAlgorithm.Solve(a, b, 0, text, null, wantText: true);
            writer.WriteBulk(text.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(text);
            return;
        }

        var matches = new List<LcsMatch>();
        int total = LcsAlgorithm.Solve(a, b, minMatchLength, default, matches, wantText: false);
        writer.WriteMapHeader(2);
        writer.WriteBulk("matches"u8);
        writer.WriteArrayHeader(matches.Count);
        foreach (LcsMatch match in matches)
        {
            writer.WriteArrayHeader(withMatchLength ? 3 : 2);
            writer.WriteArrayHeader(2);
            writer.WriteInteger(match.AStart);
            writer.WriteInteger(match.AEnd);
            writer.WriteArrayHeader(2);
            writer.WriteInteger(match.BStart);
            writer.WriteInteger(match.BEnd);
            if (withMatchLength)
            {
                writer.WriteInteger(match.Length);
            }
        }

        writer.WriteBulk("len"u8);
        writer.WriteInteger(total);
    }
}
