using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>SRANDMEMBER key [count] (a read: its random choice is this node's own).</content>
internal static partial class SetHandlers
{
    private static void RandMember(ref CommandContext ctx)
    {
        if (ctx.Count > 3)
        {
            ctx.SyntaxError();
            return;
        }

        if (ctx.Count == 2)
        {
            if (!Find(ref ctx, out ulong version, out long size, ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullBulk))
            {
                return;
            }

            RandomMembers.WriteOne(ref ctx, KeySpace.Set, version, size);
            return;
        }

        if (!RandomMembers.TryParseCount(ref ctx, out long count))
        {
            return;
        }

        if (!Find(ref ctx, out ulong setVersion, out long setSize, RespReplies.EmptyArray))
        {
            return;
        }

        RandomMembers.WriteMany(ref ctx, KeySpace.Set, setVersion, setSize, count, withValues: false);
    }
}
