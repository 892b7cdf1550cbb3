using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Lists;

/// <summary>
/// The list commands the writer applies (<see cref="ApplyContext.ReadList"/>): pushes and pops at either end
/// touch one element record each and the meta record, whatever the list's length.
/// </summary>
internal static partial class ListWrites
{
    /// <summary>LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...]: replies the new length.</summary>
    public static void Push(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ListFlags)cmd.Flags;
        ReadOnlySpan<byte> key = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None && (flags & ListFlags.OnlyExisting) != 0)
        {
            reply.ReplyInteger(0);
            return;
        }

        if (found is not (KeyType.None or KeyType.List))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        bool right = (flags & ListFlags.Right) != 0;
        for (int i = 1; i < cmd.ArgCount; i++)
        {
            PushOne(ctx, cmd.Db, key, ref list, cmd.NextArg(), right);
        }

        ctx.PutList(cmd.Db, key, list);
        ctx.Events.Note(KeyspaceEventClasses.List, right ? "rpush"u8 : "lpush"u8, cmd.Db, key);
        reply.ReplyInteger(list.Count);
    }

    /// <summary>LPOP/RPOP key [count]: a bulk (or nil) without a count, an array (or a null array) with one.</summary>
    public static void Pop(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ListFlags)cmd.Flags;
        bool withCount = (flags & ListFlags.WithCount) != 0;
        ReadOnlySpan<byte> key = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None)
        {
            if (withCount)
            {
                reply.Writer.WriteNullArray();
            }
            else
            {
                reply.ReplyNull();
            }

            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        if (!withCount)
        {
            PopOne(ctx, cmd.Db, key, ref list, (flags & ListFlags.Right) != 0, reply.Writer);
            ctx.PutList(cmd.Db, key, list);
            ctx.NoteWrite(KeyspaceEventClasses.List, (flags & ListFlags.Right) != 0 ? "rpop"u8 : "lpop"u8, cmd.Db, key, list.Count);
            return;
        }

        long count = Math.Min(cmd.N1, list.Count);
        reply.Writer.WriteArrayHeader((int)count);
        PopMany(ctx, cmd.Db, key, ref list, (flags & ListFlags.Right) != 0, count, reply.Writer);
        if (count > 0)
        {
            ctx.PutList(cmd.Db, key, list);
            ctx.NoteWrite(KeyspaceEventClasses.List, (flags & ListFlags.Right) != 0 ? "rpop"u8 : "lpop"u8, cmd.Db, key, list.Count);
        }
    }

    /// <summary>LSET key index element (N1 = index).</summary>
    public static void Set(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> element = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None)
        {
            reply.ReplyErrorText("ERR no such key");
            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        if ((cmd.Flags & (byte)ListFlags.BadIndex) != 0)
        {
            reply.ReplyErrorText("ERR value is not an integer or out of range");
            return;
        }

        long index = cmd.N1 < 0 ? list.Count + cmd.N1 : cmd.N1;
        if (index < 0 || index >= list.Count)
        {
            reply.ReplyErrorText("ERR index out of range");
            return;
        }

        ctx.PutElement(cmd.Db, key, list.Version, list.SeqAt(index), element);
        ctx.PutList(cmd.Db, key, list);
        ctx.Events.Note(KeyspaceEventClasses.List, "lset"u8, cmd.Db, key);
        reply.ReplyOk();
    }

    /// <summary>LTRIM key start stop (N1, N2): deletes what lies outside the range, O(elements removed).</summary>
    public static void Trim(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None)
        {
            reply.ReplyOk();
            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long length = list.Count;
        long start = cmd.N1 < 0 ? length + cmd.N1 : cmd.N1;
        long end = cmd.N2 < 0 ? length + cmd.N2 : cmd.N2;
        start = Math.Max(start, 0);
        long left;
        long right;
        if (start > end || start >= length)
        {
            left = length;
            right = 0;
        }
        else
        {
            end = Math.Min(end, length - 1);
            left = start;
            right = length - end - 1;
        }

        if (left == length)
        {
            // Nothing stays: the key goes as DEL does, O(1) (a big list's elements are left to the cleanup).
            ctx.Delete(cmd.Db, key);
            ctx.DropMembers(cmd.Db, key, ctx.Current.WrittenSpan);
            ctx.NoteWrite(KeyspaceEventClasses.List, "ltrim"u8, cmd.Db, key, 0);
            reply.ReplyOk();
            return;
        }

        for (long i = 0; i < left; i++)
        {
            ctx.DeleteElement(cmd.Db, key, list.Version, list.Head++);
        }

        for (long i = 0; i < right; i++)
        {
            ctx.DeleteElement(cmd.Db, key, list.Version, --list.Tail);
        }

        if (left + right > 0)
        {
            ctx.PutList(cmd.Db, key, list);
        }

        ctx.Events.Note(KeyspaceEventClasses.List, "ltrim"u8, cmd.Db, key);
        reply.ReplyOk();
    }

    /// <summary>Adds <paramref name="element"/> at one end of <paramref name="list"/> (its meta record is the caller's to write).</summary>
    internal static void PushOne(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ref ListState list, ReadOnlySpan<byte> element, bool right)
    {
        if (right)
        {
            ctx.PutElement(db, key, list.Version, list.Tail++, element);
        }
        else
        {
            ctx.PutElement(db, key, list.Version, --list.Head, element);
        }
    }

    /// <summary>
    /// Removes one element from an end of a non-empty <paramref name="list"/> and writes it to <paramref name="writer"/>
    /// as a bulk (the meta record is the caller's to write).
    /// </summary>
    internal static void PopOne(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ref ListState list, bool right, RespWriter writer)
    {
        ulong seq = right ? list.Tail - 1 : list.Head;
        if (ctx.TryGetElement(db, key, list.Version, seq))
        {
            writer.WriteBulk(ctx.Element.WrittenSpan);
        }
        else
        {
            // Never expected (the meta record says the element is there); reply something a client can parse.
            writer.WriteNull();
        }

        ctx.DeleteElement(db, key, list.Version, seq);
        if (right)
        {
            list.Tail--;
        }
        else
        {
            list.Head++;
        }
    }

    /// <summary>Pops <paramref name="count"/> elements (at most the list's length) as bulks, in pop order.</summary>
    internal static void PopMany(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ref ListState list, bool right, long count, RespWriter writer)
    {
        for (long i = 0; i < count; i++)
        {
            PopOne(ctx, db, key, ref list, right, writer);
        }
    }
}
