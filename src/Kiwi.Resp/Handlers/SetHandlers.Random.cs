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

        if (!ArgParser.TryInt64(ctx[2], out long count))
        {
            ctx.NotInteger();
            return;
        }

        if (count == long.MinValue)
        {
            ctx.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"u8);
            return;
        }

        if (!Find(ref ctx, out ulong setVersion, out long setSize, RespReplies.EmptyArray))
        {
            return;
        }

        if (count == 0)
        {
            ctx.Writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        // Redis would try to build a reply of that many elements; one this large cannot be sent.
        if (count < -int.MaxValue)
        {
            ctx.Error("ERR value is out of range"u8);
            return;
        }

        RandomMembers.WriteMany(ref ctx, KeySpace.Set, setVersion, setSize, count, withValues: false);
    }
}
