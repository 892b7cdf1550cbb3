using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>The string commands the writer applies. Each validates before it writes, so an error writes nothing.</summary>
internal static partial class StringWrites
{
    public static void Set(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> value = cmd.NextArg();
        var flags = (SetFlags)cmd.Flags;
        long expireAt = (flags & SetFlags.Expire) != 0 ? cmd.N1 : 0;
        if ((flags & SetFlags.RelativeExpire) != 0)
        {
            expireAt = EntryTarget.ResolveRelative(ctx.Now, expireAt);
        }

        if ((flags & (SetFlags.Nx | SetFlags.Xx | SetFlags.Get | SetFlags.KeepTtl)) != 0)
        {
            KeyType type = ctx.Read(cmd.Db, key);
            bool exists = type != KeyType.None;
            if ((flags & SetFlags.Get) != 0)
            {
                if (exists && type != KeyType.String)
                {
                    reply.ReplyError(KiwiError.WrongType);
                    return;
                }

                if (exists)
                {
                    reply.ReplyBulk(ctx.CurrentPayload);
                }
                else
                {
                    // SET ... GET and GETSET read the old value as Redis's GET does: a miss is a keymiss.
                    ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, cmd.Db, key);
                    reply.ReplyNull();
                }
            }

            if (((flags & SetFlags.Nx) != 0 && exists) || ((flags & SetFlags.Xx) != 0 && !exists))
            {
                if ((flags & SetFlags.ReplyInteger) != 0)
                {
                    reply.ReplyInteger(0);
                }
                else if ((flags & SetFlags.Get) == 0)
                {
                    reply.ReplyNull();
                }

                return;
            }

            if ((flags & SetFlags.KeepTtl) != 0 && exists)
            {
                expireAt = ctx.CurrentExpireAt;
            }
        }

        if (expireAt != 0 && expireAt <= ctx.Now)
        {
            // Redis: a SET whose expiry is already in the past leaves no key behind.
            ctx.Delete(cmd.Db, key);
        }
        else
        {
            ctx.PutString(cmd.Db, key, value, expireAt);
        }

        ctx.Events.Note(KeyspaceEventClasses.String, "set"u8, cmd.Db, key);
        if (expireAt != 0)
        {
            ctx.Events.Note(KeyspaceEventClasses.Generic, "expire"u8, cmd.Db, key);
        }

        if ((flags & SetFlags.ReplyInteger) != 0)
        {
            reply.ReplyInteger(1);
        }
        else if ((flags & SetFlags.Get) == 0)
        {
            reply.ReplyOk();
        }
    }

    public static void GetDel(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!ReadString(ctx, cmd.Db, key, reply))
        {
            return;
        }

        reply.ReplyBulk(ctx.CurrentPayload);
        ctx.Delete(cmd.Db, key);
        ctx.Events.Note(KeyspaceEventClasses.Generic, "del"u8, cmd.Db, key);
    }

    public static void GetEx(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!ReadString(ctx, cmd.Db, key, reply))
        {
            return;
        }

        var flags = (GetExFlags)cmd.Flags;
        if ((flags & (GetExFlags.InvalidExpire | GetExFlags.NotInteger)) != 0)
        {
            reply.ReplyError((flags & GetExFlags.NotInteger) != 0 ? KiwiError.NotInteger : KiwiError.InvalidExpireGetEx);
            return;
        }

        reply.ReplyBulk(ctx.CurrentPayload);
        if ((flags & GetExFlags.Expire) != 0)
        {
            long at = (flags & GetExFlags.RelativeExpire) != 0 ? EntryTarget.ResolveRelative(ctx.Now, cmd.N1) : cmd.N1;
            if (at <= ctx.Now)
            {
                ctx.Delete(cmd.Db, key);
                ctx.Events.Note(KeyspaceEventClasses.Generic, "del"u8, cmd.Db, key);
            }
            else
            {
                ctx.RewriteExpiry(cmd.Db, key, at);
                ctx.Events.Note(KeyspaceEventClasses.Generic, "expire"u8, cmd.Db, key);
            }
        }
        else if ((flags & GetExFlags.Persist) != 0 && ctx.CurrentExpireAt != 0)
        {
            ctx.RewriteExpiry(cmd.Db, key, 0);
            ctx.Events.Note(KeyspaceEventClasses.Generic, "persist"u8, cmd.Db, key);
        }
    }

    public static void MSet(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        PutPairs(ctx, ref cmd);
        reply.ReplyOk();
    }

    private static void PutPairs(ApplyContext ctx, ref CommandView cmd)
    {
        for (int i = 0; i + 1 < cmd.ArgCount; i += 2)
        {
            ReadOnlySpan<byte> key = cmd.NextArg();
            ctx.PutString(cmd.Db, key, cmd.NextArg(), 0);
            ctx.Events.Note(KeyspaceEventClasses.String, "set"u8, cmd.Db, key);
        }
    }

    public static void MSetNx(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        CommandView probe = cmd;
        for (int i = 0; i + 1 < probe.ArgCount; i += 2)
        {
            ReadOnlySpan<byte> key = probe.NextArg();
            probe.NextArg();
            if (ctx.Read(cmd.Db, key) != KeyType.None)
            {
                reply.ReplyInteger(0);
                return;
            }
        }

        PutPairs(ctx, ref cmd);
        reply.ReplyInteger(1);
    }

    public static void Append(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> tail = cmd.NextArg();
        if (!ReadStringOrMissing(ctx, cmd.Db, key, reply, out bool exists))
        {
            return;
        }

        if (!exists)
        {
            ctx.PutString(cmd.Db, key, tail, 0);
            ctx.Events.Note(KeyspaceEventClasses.String, "append"u8, cmd.Db, key);
            reply.ReplyInteger(tail.Length);
            return;
        }

        ReadOnlySpan<byte> head = ctx.CurrentPayload;
        long total = (long)head.Length + tail.Length;
        if (total > Limits.MaxStringLength)
        {
            reply.ReplyError(KiwiError.StringTooLong);
            return;
        }

        Span<byte> target = ctx.ReserveString(cmd.Db, key, (int)total, ctx.CurrentExpireAt);
        head.CopyTo(target);
        tail.CopyTo(target[head.Length..]);
        ctx.Events.Note(KeyspaceEventClasses.String, "append"u8, cmd.Db, key);
        reply.ReplyInteger(total);
    }

    public static void SetRange(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> value = cmd.NextArg();
        long offset = cmd.N1;
        if (!ReadStringOrMissing(ctx, cmd.Db, key, reply, out bool exists))
        {
            return;
        }

        ReadOnlySpan<byte> head = exists ? ctx.CurrentPayload : default;
        if (value.Length == 0)
        {
            reply.ReplyInteger(head.Length);
            return;
        }

        if (offset < 0 || offset > Limits.MaxStringLength - value.Length)
        {
            reply.ReplyError(KiwiError.StringTooLong);
            return;
        }

        int length = (int)Math.Max(head.Length, offset + value.Length);
        long expireAt = exists ? ctx.CurrentExpireAt : 0;
        Span<byte> target = ctx.ReserveString(cmd.Db, key, length, expireAt);
        head.CopyTo(target);
        target[head.Length..].Clear();
        value.CopyTo(target[(int)offset..]);
        ctx.Events.Note(KeyspaceEventClasses.String, "setrange"u8, cmd.Db, key);
        reply.ReplyInteger(length);
    }

    public static void IncrBy(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        long delta = cmd.N1;
        if (!ReadStringOrMissing(ctx, cmd.Db, key, reply, out bool exists))
        {
            return;
        }

        long current = 0;
        if (exists && !RedisNumbers.TryParseInt64(ctx.CurrentPayload, out current))
        {
            reply.ReplyError(KiwiError.NotInteger);
            return;
        }

        long expireAt = exists ? ctx.CurrentExpireAt : 0;

        if ((delta < 0 && current < long.MinValue - delta) || (delta > 0 && current > long.MaxValue - delta))
        {
            reply.ReplyError(KiwiError.Overflow);
            return;
        }

        long result = current + delta;
        Span<byte> text = stackalloc byte[RedisNumbers.MaxInt64Length];
        int written = RedisNumbers.Format(result, text);
        ctx.PutString(cmd.Db, key, text[..written], expireAt);
        ctx.Events.Note(KeyspaceEventClasses.String, "incrby"u8, cmd.Db, key);
        reply.ReplyInteger(result);
    }

    /// <summary>
    /// Loads the key for a command that creates a missing string: true with <paramref name="exists"/> for a
    /// string or no key; false (WRONGTYPE replied) for another type.
    /// </summary>
    private static bool ReadStringOrMissing(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ApplyRequest reply, out bool exists)
    {
        KeyType type = ctx.Read(db, key);
        exists = type != KeyType.None;
        if (exists && type != KeyType.String)
        {
            reply.ReplyError(KiwiError.WrongType);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Loads a string for GETDEL/GETEX; replies null (a key miss, as Redis's lookupKeyRead notes it) or WRONGTYPE and
    /// returns false otherwise.
    /// </summary>
    private static bool ReadString(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ApplyRequest reply)
    {
        KeyType type = ctx.Read(db, key);
        if (type == KeyType.None)
        {
            ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, db, key);
            reply.ReplyNull();
            return false;
        }

        if (type != KeyType.String)
        {
            reply.ReplyError(KiwiError.WrongType);
            return false;
        }

        return true;
    }
}
