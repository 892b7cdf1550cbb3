using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>
/// ZRANDMEMBER key [count [WITHSCORES]]: a read, so its random choice is this node's own. The members are read
/// in one walk (O(size)) and picked from there; one member of a big set is found by a random probe instead.
/// </content>
internal static partial class ZSetHandlers
{
    // Scratch for the random probe, per thread (the reads run on many).
    [ThreadStatic]
    private static ByteBuffer? t_probePrefix;
    [ThreadStatic]
    private static ByteBuffer? t_probeKey;

    // ZRANDMEMBER key of a big sorted set: one member record drawn by RandomProbe under the member tag.
    private static bool TryWriteProbed(ref CommandContext ctx, ulong version)
    {
        var random = new SplitMix64(Random.Shared.NextInt64());
        using MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.ZSet, ctx.ReadDb, ctx[1], version, [ZSetKeys.MemberTag]);
        if (!RandomProbe.TryPick(cursor, ref random, t_probePrefix ??= new ByteBuffer(), t_probeKey ??= new ByteBuffer(), [ZSetKeys.MemberTag]))
        {
            return false;
        }

        ctx.Writer.WriteBulk(cursor.Member[1..]);
        return true;
    }

    private static void RandMember(ref CommandContext ctx)
    {
        long count = 1;
        bool withScores = false;
        if (ctx.Count >= 3)
        {
            if (!ArgParser.TryInt64(ctx[2], out count))
            {
                ctx.NotInteger();
                return;
            }

            if (count == long.MinValue)
            {
                ctx.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"u8);
                return;
            }

            if (ctx.Count > 4 || (ctx.Count == 4 && !ArgParser.Is(ctx[3], "WITHSCORES"u8)))
            {
                ctx.SyntaxError();
                return;
            }

            withScores = ctx.Count == 4;
            if (withScores && (count < -long.MaxValue / 2 || count > long.MaxValue / 2))
            {
                ctx.Error("ERR value is out of range"u8);
                return;
            }
        }

        if (!Find(ref ctx, out ulong version, out long members, ctx.Count == 2 ? Nil(ref ctx) : RespReplies.EmptyArray))
        {
            return;
        }

        if (ctx.Count == 2 && members > RandomProbe.MinMembers && TryWriteProbed(ref ctx, version))
        {
            return;
        }

        using var all = new ZEntryList();
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.ZSet, ctx.ReadDb, ctx[1], version, [ZSetKeys.MemberTag]))
        {
            for (; cursor.Valid && cursor.Member[0] == ZSetKeys.MemberTag; cursor.Next())
            {
                all.Add(cursor.Member[1..], ZSetKeys.ReadScoreValue(cursor.Value));
            }
        }

        int size = all.Count;
        if (ctx.Count == 2)
        {
            ctx.Writer.WriteBulk(all.Member(Random.Shared.Next(size)));
            return;
        }

        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var sink = new ReplySink(new RespWriter(body, ctx.Writer.Version), withScores);
        if (count < 0)
        {
            // Repeats allowed: each pick independent.
            for (long i = 0; i < -count; i++)
            {
                int pick = Random.Shared.Next(size);
                sink.Add(all.Member(pick), all.Score(pick));
            }
        }
        else
        {
            // Distinct members: a partial Fisher-Yates shuffle of the indexes.
            int wanted = (int)Math.Min(count, size);
            int[] order = new int[size];
            for (int i = 0; i < size; i++)
            {
                order[i] = i;
            }

            for (int i = 0; i < wanted; i++)
            {
                int j = Random.Shared.Next(i, size);
                (order[i], order[j]) = (order[j], order[i]);
                sink.Add(all.Member(order[i]), all.Score(order[i]));
            }
        }

        WriteArray(ref ctx, body, sink.Count, withScores);
    }
}
