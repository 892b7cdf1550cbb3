using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Lists;

/// <content>
/// LMOVE (RPOPLPUSH, BLMOVE) and the multi-key pop behind LMPOP, BLPOP, BRPOP and BLMPOP. A blocked client's
/// retry (<see cref="ListFlags.Retry"/>) runs the same code; a null reply tells it to wait again.
/// </content>
internal static partial class ListWrites
{
    /// <summary>LMOVE source destination: flags say which end of each; replies the element moved, or nil.</summary>
    public static void Move(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ListFlags)cmd.Flags;
        ReadOnlySpan<byte> source = cmd.NextArg();
        ReadOnlySpan<byte> destination = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, source, out ListState from);
        if (found == KeyType.None || (found != KeyType.List && (flags & ListFlags.Retry) != 0))
        {
            reply.ReplyNull();
            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        KeyType destinationType = ctx.Read(cmd.Db, destination);
        if (destinationType is not (KeyType.None or KeyType.List))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        // The element is written to the reply, and pushed from the reply's copy: the reply is not in the batch.
        int mark = reply.ReplyBuffer.Length;
        PopOne(ctx, cmd.Db, source, ref from, (flags & ListFlags.Right) != 0, reply.Writer);
        ctx.PutList(cmd.Db, source, from);
        ReadOnlySpan<byte> bulk = reply.ReplyBuffer.WrittenSpan[mark..];
        ReadOnlySpan<byte> element = BulkPayload(bulk);
        ctx.ReadList(cmd.Db, destination, out ListState to);
        PushOne(ctx, cmd.Db, destination, ref to, element, (flags & ListFlags.ToRight) != 0);
        ctx.PutList(cmd.Db, destination, to);

        // Redis's order: the push, then the pop, then the source's removal when it was its last element.
        ctx.Events.Note(KeyspaceEventClasses.List, (flags & ListFlags.ToRight) != 0 ? "rpush"u8 : "lpush"u8, cmd.Db, destination);
        ctx.NoteWrite(KeyspaceEventClasses.List, (flags & ListFlags.Right) != 0 ? "rpop"u8 : "lpop"u8, cmd.Db, source, source.SequenceEqual(destination) ? to.Count : from.Count);
    }

    /// <summary>
    /// LMPOP numkeys key... LEFT|RIGHT [COUNT n] and BLPOP/BRPOP: pops from the first key holding a list (N1 =
    /// count) and replies <c>[key, [elements]]</c> (or <c>[key, element]</c> with <see cref="ListFlags.SingleReply"/>);
    /// a null array when every key is empty.
    /// </summary>
    public static void MultiPop(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var flags = (ListFlags)cmd.Flags;
        bool right = (flags & ListFlags.Right) != 0;
        for (int i = 0; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> key = cmd.NextArg();
            KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
            if (found == KeyType.None || (found != KeyType.List && (flags & ListFlags.Retry) != 0))
            {
                continue;
            }

            if (found != KeyType.List)
            {
                reply.ReplyError(KiwiError.WrongType);
                return;
            }

            RespWriter writer = reply.Writer;
            writer.WriteArrayHeader(2);
            writer.WriteBulk(key);
            if ((flags & ListFlags.SingleReply) != 0)
            {
                PopOne(ctx, cmd.Db, key, ref list, right, writer);
            }
            else
            {
                long count = Math.Min(Math.Max(cmd.N1, 1), list.Count);
                writer.WriteArrayHeader((int)count);
                PopMany(ctx, cmd.Db, key, ref list, right, count, writer);
            }

            ctx.PutList(cmd.Db, key, list);
            ctx.NoteWrite(KeyspaceEventClasses.List, right ? "rpop"u8 : "lpop"u8, cmd.Db, key, list.Count);
            return;
        }

        reply.Writer.WriteNullArray();
    }

    // The payload of a bulk reply "$len\r\n<bytes>\r\n" (empty for anything else).
    private static ReadOnlySpan<byte> BulkPayload(ReadOnlySpan<byte> bulk)
    {
        int position = 0;
        return RespValue.TryRead(bulk, ref position, out RespValue value) && value.Type == RespType.Bulk ? value.Text : default;
    }
}
