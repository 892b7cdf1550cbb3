using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>Writes every collection type shares.</summary>
internal static class CollectionWrites
{
    /// <summary>
    /// HDEL / SREM key member [member ...]: removes the members that are there and replies how many; a missing key
    /// replies 0, another type WRONGTYPE; the last member gone deletes the key.
    /// </summary>
    public static void RemoveMembers(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply, KeyType type)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!TryOpenForRemoval(ctx, cmd.Db, key, type, reply))
        {
            return;
        }

        KeySpace space = ApplyContext.SpaceOf(type);
        ulong version = ctx.CurrentVersion;
        long count = ctx.CurrentCount;
        long expireAt = ctx.CurrentExpireAt;
        CollectionEncoding encoding = ctx.CurrentEncoding;
        long removed = 0;
        for (int i = 1; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> member = cmd.NextArg();
            if (ctx.ContainsMember(space, cmd.Db, key, version, member))
            {
                ctx.DeleteMember(space, cmd.Db, key, version, member);
                removed++;
            }
        }

        if (removed > 0)
        {
            ctx.PutCollection(cmd.Db, key, type, expireAt, version, count - removed, encoding);
            ctx.NoteWrite(type == KeyType.Hash ? KeyspaceEventClasses.Hash : KeyspaceEventClasses.Set, type == KeyType.Hash ? "hdel"u8 : "srem"u8, cmd.Db, key, count - removed);
        }

        reply.ReplyInteger(removed);
    }

    /// <summary>
    /// Loads <paramref name="key"/> for a command that removes from a collection of <paramref name="type"/>: false
    /// when there is nothing to do, after replying 0 (no key) or WRONGTYPE (another type).
    /// </summary>
    public static bool TryOpenForRemoval(ApplyContext ctx, int db, ReadOnlySpan<byte> key, KeyType type, ApplyRequest reply)
    {
        KeyType found = ctx.Read(db, key);
        if (found == type)
        {
            return true;
        }

        if (found == KeyType.None)
        {
            reply.ReplyInteger(0);
        }
        else
        {
            reply.ReplyError(KiwiError.WrongType);
        }

        return false;
    }
}
