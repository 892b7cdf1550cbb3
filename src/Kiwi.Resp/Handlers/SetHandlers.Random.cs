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

            long target = Random.Shared.NextInt64(size);
            using MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Set, ctx.Session.Database, ctx[1], version);
            for (long i = 0; i < target && cursor.Valid; i++)
            {
                cursor.Next();
            }

            if (cursor.Valid)
            {
                ctx.Writer.WriteBulk(cursor.Member);
            }
            else
            {
                ctx.Writer.WriteNull();
            }

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

        // Gather the set once (a snapshot of its members), then pick: distinct members for a positive count,
        // independent draws for a negative one.
        var members = new List<byte[]>((int)Math.Min(setSize, 1 << 16));
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Set, ctx.Session.Database, ctx[1], setVersion))
        {
            for (; cursor.Valid; cursor.Next())
            {
                members.Add(cursor.Member.ToArray());
            }
        }

        int n = members.Count;
        if (n == 0)
        {
            ctx.Writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        int picks = count > 0 ? (int)Math.Min(count, n) : (int)-count;
        ctx.Writer.WriteArrayHeader(picks);
        if (count > 0)
        {
            byte[][] order = [.. members];
            Random.Shared.Shuffle(order);
            for (int i = 0; i < picks; i++)
            {
                ctx.Writer.WriteBulk(order[i]);
            }

            return;
        }

        for (int i = 0; i < picks; i++)
        {
            ctx.Writer.WriteBulk(members[Random.Shared.Next(n)]);
        }
    }
}
