using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.SortedSets;

/// <content>ZPOPMIN, ZPOPMAX, ZMPOP and ZREMRANGEBY*: the pairs are found by a walk first, then removed.</content>
internal static partial class ZSetWrites
{
    /// <summary>Normalizes Redis ranks (negative from the end); false when the range is empty.</summary>
    public static bool TryRanks(long start, long end, long size, out long first, out long last)
    {
        if (start < 0)
        {
            start += size;
        }

        if (end < 0)
        {
            end += size;
        }

        if (start < 0)
        {
            start = 0;
        }

        first = start;
        last = Math.Min(end, size - 1);
        return start <= end && start < size;
    }

    /// <summary>ZPOPMIN/ZPOPMAX key, or the keys of ZMPOP and the blocking pops' attempts (the first non-empty one is popped).</summary>
    public static void Pop(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ZPopFlags)cmd.Flags;
        bool multi = (flags & ZPopFlags.Multi) != 0;
        long wanted = cmd.N1;
        RespWriter writer = reply.Writer;
        ReadOnlySpan<byte> key = default;
        KeyType type = KeyType.None;
        bool retry = (flags & ZPopFlags.Retry) != 0;
        for (int i = 0; i < cmd.ArgCount; i++)
        {
            key = cmd.NextArg();
            type = ctx.Read(cmd.Db, key);
            if (type == KeyType.ZSet || (type != KeyType.None && !retry))
            {
                break;
            }

            type = KeyType.None;
        }

        if (type != KeyType.ZSet)
        {
            if (type != KeyType.None)
            {
                writer.WriteError(KiwiError.WrongType);
            }
            else if (multi)
            {
                writer.WriteNullArray();
            }
            else
            {
                writer.WriteArrayHeader(0);
            }

            return;
        }

        if (wanted == 0)
        {
            writer.WriteArrayHeader(0);
            return;
        }

        ulong version = ctx.CurrentVersion;
        long size = ctx.CurrentCount;
        long expireAt = ctx.CurrentExpireAt;
        CollectionEncoding encoding = ctx.CurrentEncoding;
        long count = Math.Min(wanted < 0 ? 1 : wanted, size);
        ZEntryList popped = ctx.Popped;
        popped.Clear();
        var view = new BatchZSet(ctx, cmd.Db, key, version);
        var sink = new ListSink(popped);
        ZSetWalk.ByRank(ref view, 0, count - 1, (flags & ZPopFlags.Max) != 0, size, ref sink);

        bool nested = multi || (writer.IsResp3 && wanted >= 0);
        if ((flags & ZPopFlags.SingleReply) != 0)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulk(key);
            writer.WriteBulk(popped.Member(0));
            ZScore.Write(writer, popped.Score(0));
            ZSetStore.Remove(ctx, cmd.Db, key, version, popped.Member(0), popped.Score(0));
            ZSetStore.PoppedThrough(ctx, version, popped.Member(0), popped.Score(0), (flags & ZPopFlags.Max) != 0);
            ctx.PutCollection(cmd.Db, key, KeyType.ZSet, expireAt, version, size - 1, encoding);
            ctx.NoteWrite(KeyspaceEventClasses.SortedSet, (flags & ZPopFlags.Max) != 0 ? "zpopmax"u8 : "zpopmin"u8, cmd.Db, key, size - 1);
            return;
        }

        if (multi)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulk(key);
        }

        writer.WriteArrayHeader(nested ? popped.Count : popped.Count * 2);
        for (int i = 0; i < popped.Count; i++)
        {
            if (nested)
            {
                writer.WriteArrayHeader(2);
            }

            writer.WriteBulk(popped.Member(i));
            ZScore.Write(writer, popped.Score(i));
            ZSetStore.Remove(ctx, cmd.Db, key, version, popped.Member(i), popped.Score(i));
        }

        int last = popped.Count - 1;
        ZSetStore.PoppedThrough(ctx, version, popped.Member(last), popped.Score(last), (flags & ZPopFlags.Max) != 0);
        ctx.PutCollection(cmd.Db, key, KeyType.ZSet, expireAt, version, size - popped.Count, encoding);
        ctx.NoteWrite(KeyspaceEventClasses.SortedSet, (flags & ZPopFlags.Max) != 0 ? "zpopmax"u8 : "zpopmin"u8, cmd.Db, key, size - popped.Count);
    }

    /// <summary>ZREMRANGEBYRANK/SCORE/LEX key min max (checked at proposal, parsed again here).</summary>
    public static void RemoveRange(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> min = cmd.NextArg();
        ReadOnlySpan<byte> max = cmd.NextArg();
        if (!CollectionWrites.TryOpenForRemoval(ctx, cmd.Db, key, KeyType.ZSet, reply))
        {
            return;
        }

        ulong version = ctx.CurrentVersion;
        long size = ctx.CurrentCount;
        long expireAt = ctx.CurrentExpireAt;
        CollectionEncoding encoding = ctx.CurrentEncoding;
        using var found = new ZEntryList();
        var view = new BatchZSet(ctx, cmd.Db, key, version);
        var sink = new ListSink(found);
        switch ((ZRangeKind)cmd.Flags)
        {
            case ZRangeKind.Rank:
                RedisNumbers.TryParseInt64(min, out long start);
                RedisNumbers.TryParseInt64(max, out long end);
                if (TryRanks(start, end, size, out long first, out long last))
                {
                    ZSetWalk.ByRank(ref view, first, last, false, size, ref sink);
                }

                break;
            case ZRangeKind.Score:
                ZScoreRange.TryParse(min, max, out ZScoreRange scores);
                ZSetWalk.ByScore(ref view, scores, false, 0, -1, ref sink);
                break;
            default:
                ZLexRange.TryParse(min, max, out ZLexRange lex);
                ZSetWalk.ByLex(ref view, lex, false, 0, -1, ref sink);
                break;
        }

        for (int i = 0; i < found.Count; i++)
        {
            ZSetStore.Remove(ctx, cmd.Db, key, version, found.Member(i), found.Score(i));
        }

        if (found.Count > 0)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.ZSet, expireAt, version, size - found.Count, encoding);
            var kind = (ZRangeKind)cmd.Flags;
            ctx.NoteWrite(KeyspaceEventClasses.SortedSet, kind == ZRangeKind.Rank ? "zremrangebyrank"u8 : kind == ZRangeKind.Score ? "zremrangebyscore"u8 : "zremrangebylex"u8, cmd.Db, key, size - found.Count);
        }

        reply.ReplyInteger(found.Count);
    }
}
