using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>The key-space commands the writer applies: DEL, EXPIRE family, PERSIST, expiry sweeps.</summary>
internal static partial class KeyWrites
{
    public static void Del(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        long deleted = 0;
        for (int i = 0; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> key = cmd.NextArg();
            if (ctx.Read(cmd.Db, key) != KeyType.None)
            {
                ctx.Delete(cmd.Db, key);
                ctx.DropMembers(cmd.Db, key, ctx.Current.WrittenSpan);
                ctx.Events.Note(KeyspaceEventClasses.Generic, "del"u8, cmd.Db, key);
                deleted++;
            }
        }

        reply.ReplyInteger(deleted);
    }

    public static void Expire(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        var flags = (ExpireFlags)cmd.Flags;
        long when = cmd.N1;
        if ((flags & ExpireFlags.Relative) != 0)
        {
            // Queued in a transaction: from EXEC's clock; a negative time is in the past and deletes the key.
            when = when >= 0 ? EntryTarget.ResolveRelative(ctx.Now, when) : ctx.Now + when;
            flags &= ~ExpireFlags.Relative;
        }

        if (ctx.Read(cmd.Db, key) == KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        long current = ctx.CurrentExpireAt;
        bool refused = flags switch
        {
            ExpireFlags.Nx => current != 0,
            ExpireFlags.Xx => current == 0,
            // No expiry counts as an infinite one.
            ExpireFlags.Gt => current == 0 || when <= current,
            ExpireFlags.Lt => current != 0 && when >= current,
            ExpireFlags.Xx | ExpireFlags.Gt => current == 0 || when <= current,
            ExpireFlags.Xx | ExpireFlags.Lt => current == 0 || when >= current,
            _ => false,
        };
        if (refused)
        {
            reply.ReplyInteger(0);
            return;
        }

        if (when <= ctx.Now)
        {
            ctx.Delete(cmd.Db, key);
            ctx.DropMembers(cmd.Db, key, ctx.Current.WrittenSpan);
            ctx.Events.Note(KeyspaceEventClasses.Generic, "del"u8, cmd.Db, key);
        }
        else
        {
            ctx.RewriteExpiry(cmd.Db, key, when);
            ctx.Events.Note(KeyspaceEventClasses.Generic, "expire"u8, cmd.Db, key);
        }

        reply.ReplyInteger(1);
    }

    public static void Persist(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (ctx.Read(cmd.Db, key) == KeyType.None || ctx.CurrentExpireAt == 0)
        {
            reply.ReplyInteger(0);
            return;
        }

        ctx.RewriteExpiry(cmd.Db, key, 0);
        ctx.Events.Note(KeyspaceEventClasses.Generic, "persist"u8, cmd.Db, key);
        reply.ReplyInteger(1);
    }

    /// <summary>Drops one expiry index entry and, when the key still expires at that time and it has passed, the key.</summary>
    public static void ExpireSweep(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        long when = cmd.N1;
        ctx.DeleteExpiryIndex(cmd.Db, key, when);
        if (ctx.ReadRaw(cmd.Db, key) != KeyType.None && ctx.CurrentExpireAt == when && MetaValue.IsExpired(when, ctx.Now))
        {
            ctx.Delete(cmd.Db, key);
            ctx.DropMembers(cmd.Db, key, ctx.Current.WrittenSpan);
            ctx.Events.Note(KeyspaceEventClasses.Expired, "expired"u8, cmd.Db, key);
            reply.ReplyInteger(1);
            return;
        }

        reply.ReplyInteger(0);
    }
}
