using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>HRANDFIELD key [count [WITHVALUES]] (a read: its random choice is this node's own).</content>
internal static partial class HashHandlers
{
    private static void RandField(ref CommandContext ctx)
    {
        if (ctx.Count == 2)
        {
            if (!Find(ref ctx, out ulong version, out long size, Null(ref ctx)))
            {
                return;
            }

            RandomMembers.WriteOne(ref ctx, KeySpace.Hash, version, size);
            return;
        }

        if (!RandomMembers.TryParseCount(ref ctx, out long count))
        {
            return;
        }

        bool withValues = false;
        if (ctx.Count > 4 || (ctx.Count == 4 && !ArgParser.Is(ctx[3], "WITHVALUES"u8)))
        {
            ctx.SyntaxError();
            return;
        }

        if (ctx.Count == 4)
        {
            withValues = true;
            if (count < -long.MaxValue / 2 || count > long.MaxValue / 2)
            {
                ctx.Error("ERR value is out of range"u8);
                return;
            }
        }

        if (!Find(ref ctx, out ulong hashVersion, out long hashSize, RespReplies.EmptyArray))
        {
            return;
        }

        RandomMembers.WriteMany(ref ctx, KeySpace.Hash, hashVersion, hashSize, count, withValues);
    }
}
