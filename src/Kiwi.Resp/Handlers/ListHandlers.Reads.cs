using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>List reads, answered at once from committed state through the command's read view.</content>
internal static partial class ListHandlers
{
    /// <summary>Loads the list at <c>ctx[1]</c>: false when a reply was written (missing → <paramref name="missing"/>, or WRONGTYPE).</summary>
    private static bool Find(ref CommandContext ctx, out ListState list, scoped ReadOnlySpan<byte> missing)
    {
        KeyType found = ListReads.Lookup(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, out list);
        if (found == KeyType.List)
        {
            return true;
        }

        if (found == KeyType.None)
        {
            ctx.Writer.WriteRaw(missing);
        }
        else
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
        }

        return false;
    }

    private static ReadOnlySpan<byte> Null(scoped ref CommandContext ctx) => ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullBulk;

    private static void Length(ref CommandContext ctx)
    {
        if (Find(ref ctx, out ListState list, RespReplies.Zero))
        {
            ctx.Writer.WriteInteger(list.Count);
        }
    }

    // Redis looks the key up before it parses the index.
    private static void Index(ref CommandContext ctx)
    {
        if (!Find(ref ctx, out ListState list, Null(ref ctx)))
        {
            return;
        }

        if (!ArgParser.TryInt64(ctx[2], out long index))
        {
            ctx.NotInteger();
            return;
        }

        index = index < 0 ? list.Count + index : index;
        if (index < 0 || index >= list.Count
            || !ListReads.TryGetElement(ctx.View, ctx.ReadDb, ctx[1], list.Version, list.SeqAt(index), out ReadOnlySpan<byte> value))
        {
            ctx.Writer.WriteNull();
            return;
        }

        ctx.Writer.WriteBulk(value);
        CollectionReads.Release();
    }

    private static void Range(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long start) || !ArgParser.TryInt64(ctx[3], out long stop))
        {
            ctx.NotInteger();
            return;
        }

        if (!Find(ref ctx, out ListState list, RespReplies.EmptyArray))
        {
            return;
        }

        if (!ListReads.Range(list.Count, start, stop, out long first, out long count))
        {
            ctx.Writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        RespWriter writer = ctx.Writer;
        writer.WriteArrayHeader((int)count);
        long written = 0;
        using (MemberCursor cursor = ListReads.OpenElements(ctx.View, ctx.ReadDb, ctx[1], list.Version, list.SeqAt(first)))
        {
            for (; cursor.Valid && written < count; cursor.Next(), written++)
            {
                writer.WriteBulk(cursor.Value);
            }
        }

        // Never expected (the meta record counts the elements); keeps the reply well formed.
        for (; written < count; written++)
        {
            writer.WriteNull();
        }
    }

    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len], with Redis's checks and its arithmetic on rank.
    private static void Position(ref CommandContext ctx)
    {
        long rank = 1;
        long count = -1;
        long maxLength = 0;
        for (int i = 3; i < ctx.Count; i++)
        {
            bool more = i + 1 < ctx.Count;
            if (more && ArgParser.Is(ctx[i], "RANK"u8))
            {
                if (!ArgParser.TryInt64(ctx[++i], out rank))
                {
                    ctx.NotInteger();
                    return;
                }

                if (rank == 0)
                {
                    ctx.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"u8);
                    return;
                }
            }
            else if (more && ArgParser.Is(ctx[i], "COUNT"u8))
            {
                if (!ArgParser.TryInt64(ctx[++i], out count) || count < 0)
                {
                    ctx.Error("ERR COUNT can't be negative"u8);
                    return;
                }
            }
            else if (more && ArgParser.Is(ctx[i], "MAXLEN"u8))
            {
                if (!ArgParser.TryInt64(ctx[++i], out maxLength) || maxLength < 0)
                {
                    ctx.Error("ERR MAXLEN can't be negative"u8);
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        bool fromTail = rank < 0;
        if (fromTail)
        {
            // As in Redis: -LONG_MIN stays negative, which every match count reaches.
            rank = unchecked(-rank);
        }

        if (!Find(ref ctx, out ListState list, count != -1 ? RespReplies.EmptyArray : Null(ref ctx)))
        {
            return;
        }

        FindPositions(ref ctx, list, rank, count, maxLength, fromTail);
    }
}
