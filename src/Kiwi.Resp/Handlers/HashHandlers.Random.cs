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

            long target = Random.Shared.NextInt64(size);
            using MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Hash, ctx.Session.Database, ctx[1], version);
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

        if (count == 0)
        {
            ctx.Writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        // Gather the hash once (a snapshot of its fields), then pick: distinct fields for a positive count,
        // independent draws for a negative one.
        var fields = new List<byte[]>((int)Math.Min(hashSize, 1 << 16));
        var values = new List<byte[]>(withValues ? fields.Capacity : 0);
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Hash, ctx.Session.Database, ctx[1], hashVersion))
        {
            for (; cursor.Valid; cursor.Next())
            {
                fields.Add(cursor.Member.ToArray());
                if (withValues)
                {
                    values.Add(cursor.Value.ToArray());
                }
            }
        }

        int n = fields.Count;
        long picks = count > 0 ? Math.Min(count, n) : -count;
        bool pairs = withValues && ctx.Writer.IsResp3;
        ctx.Writer.WriteArrayHeader(checked((int)(withValues && !pairs ? picks * 2 : picks)));
        int[]? order = null;
        if (count > 0)
        {
            order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            Random.Shared.Shuffle(order);
        }

        for (long i = 0; i < picks; i++)
        {
            int index = order is null ? Random.Shared.Next(n) : order[i];
            if (pairs)
            {
                ctx.Writer.WriteArrayHeader(2);
            }

            ctx.Writer.WriteBulk(fields[index]);
            if (withValues)
            {
                ctx.Writer.WriteBulk(values[index]);
            }
        }
    }
}
