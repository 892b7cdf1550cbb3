using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// The sorted-set commands the writer applies (see <see cref="ZSetStore"/> for the two orders they keep). Each
/// checks the types of its keys before it writes anything.
/// </summary>
internal static partial class ZSetWrites
{
    /// <summary>"-ERR resulting score is not a number (NaN)".</summary>
    public static ReadOnlySpan<byte> NanError => "ERR resulting score is not a number (NaN)"u8;

    /// <summary>Runs one sorted-set command.</summary>
    public static void Dispatch(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        switch (cmd.Op)
        {
            case OpCode.ZAdd:
                Add(ctx, ref cmd, reply);
                break;
            case OpCode.ZRem:
                Remove(ctx, ref cmd, reply);
                break;
            case OpCode.ZPop:
                Pop(ctx, ref cmd, reply);
                break;
            case OpCode.ZRemRange:
                RemoveRange(ctx, ref cmd, reply);
                break;
            case OpCode.ZStore:
                Store(ctx, ref cmd, reply);
                break;
            default:
                RangeStore(ctx, ref cmd, reply);
                break;
        }
    }

    /// <summary>ZADD / ZINCRBY with Redis's zsetAdd rules for each pair.</summary>
    public static void Add(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ZAddFlags)cmd.Flags;
        bool incr = (flags & ZAddFlags.Incr) != 0;
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!ctx.OpenCollection(cmd.Db, key, KeyType.ZSet, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long added = 0;
        long updated = 0;
        long processed = 0;
        double last = 0;
        bool nan = false;
        bool exists = count > 0;
        if (exists || (flags & ZAddFlags.Xx) == 0)
        {
            for (int i = 1; i < cmd.ArgCount; i += 2)
            {
                double score = ZSetKeys.ReadScoreValue(cmd.NextArg());
                ReadOnlySpan<byte> member = cmd.NextArg();
                if (exists && ZSetStore.TryGetScore(ctx, cmd.Db, key, version, member, out double current))
                {
                    if ((flags & ZAddFlags.Nx) != 0)
                    {
                        continue;
                    }

                    if (incr)
                    {
                        score += current;
                        if (double.IsNaN(score))
                        {
                            nan = true;
                            break;
                        }
                    }

                    if (((flags & ZAddFlags.Lt) != 0 && score >= current) || ((flags & ZAddFlags.Gt) != 0 && score <= current))
                    {
                        continue;
                    }

                    processed++;
                    last = score;
                    if (score != current)
                    {
                        ZSetStore.Rescore(ctx, cmd.Db, key, version, member, current, score, encoding);
                        updated++;
                    }
                }
                else if ((flags & ZAddFlags.Xx) == 0)
                {
                    added++;
                    encoding = ZSetStore.Encoding(encoding, count + added, member.Length);
                    ZSetStore.Put(ctx, cmd.Db, key, version, member, score, encoding);
                    processed++;
                    last = score;
                    exists = true;
                }
            }
        }

        if (added > 0 || updated > 0)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.ZSet, expireAt, version, count + added, encoding);
            ctx.Events.Note(KeyspaceEventClasses.SortedSet, incr ? "zincr"u8 : "zadd"u8, cmd.Db, key);
        }

        if (nan)
        {
            reply.Writer.WriteError(NanError);
        }
        else if (incr)
        {
            if (processed > 0)
            {
                ZScore.Write(reply.Writer, last);
            }
            else
            {
                reply.ReplyNull();
            }
        }
        else
        {
            reply.ReplyInteger((flags & ZAddFlags.Ch) != 0 ? added + updated : added);
        }
    }

    /// <summary>ZREM key member [member ...].</summary>
    public static void Remove(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!CollectionWrites.TryOpenForRemoval(ctx, cmd.Db, key, KeyType.ZSet, reply))
        {
            return;
        }

        ulong version = ctx.CurrentVersion;
        long count = ctx.CurrentCount;
        long expireAt = ctx.CurrentExpireAt;
        CollectionEncoding encoding = ctx.CurrentEncoding;
        long removed = 0;
        for (int i = 1; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> member = cmd.NextArg();
            if (ZSetStore.TryGetScore(ctx, cmd.Db, key, version, member, out double score))
            {
                ZSetStore.Remove(ctx, cmd.Db, key, version, member, score);
                removed++;
            }
        }

        if (removed > 0)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.ZSet, expireAt, version, count - removed, encoding);
            ctx.NoteWrite(KeyspaceEventClasses.SortedSet, "zrem"u8, cmd.Db, key, count - removed);
        }

        reply.ReplyInteger(removed);
    }
}
