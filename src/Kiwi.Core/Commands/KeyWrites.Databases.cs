using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <content>MOVE and SWAPDB.</content>
internal static partial class KeyWrites
{
    /// <summary>
    /// MOVE key db (Redis's moveCommand): 0 when the key is absent here or present there; else the key, its members
    /// and its expiry go to the other database.
    /// </summary>
    public static void Move(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        int targetDb = ctx.Databases.WriterPhysical((int)cmd.N1);
        if (ctx.Read(cmd.Db, key) == KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        // The reads below replace Current: keep the source's record.
        using var record = new Kiwi.Native.Memory.ByteBuffer();
        record.Set(ctx.Current.WrittenSpan);
        if (ctx.Read(targetDb, key) != KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        ctx.Build.Set(record.WrittenSpan);
        PutCopy(ctx, cmd.Db, key, targetDb, key);
        ctx.Delete(cmd.Db, key);
        ctx.DropMembers(cmd.Db, key, record.WrittenSpan);
        ctx.Events.Note(PubSub.KeyspaceEventClasses.Generic, "move_from"u8, cmd.Db, key);
        ctx.Events.Note(PubSub.KeyspaceEventClasses.Generic, "move_to"u8, targetDb, key);
        reply.ReplyInteger(1);
    }

    /// <summary>SWAPDB a b: the two logical databases trade physical ids (O(1)); blocked clients look again.</summary>
    public static void SwapDb(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        int first = (int)cmd.N1;
        int second = (int)cmd.N2;
        if (first != second)
        {
            ctx.WatchesSwapped(ctx.Databases.WriterPhysical(first), ctx.Databases.WriterPhysical(second));
            ctx.Databases.Swap(first, second);
            ctx.WakeAllBlocked = true;
        }

        reply.ReplyOk();
    }
}
