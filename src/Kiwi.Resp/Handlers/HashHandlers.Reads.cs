using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>Hash reads, answered at once from committed state.</content>
internal static partial class HashHandlers
{
    [ThreadStatic]
    private static ByteBuffer? t_reply;

    private enum HashParts : byte
    {
        Fields = 1,
        Values = 2,
        Both = 3,
    }

    /// <summary>Loads the hash: false when a reply was written (missing key → <paramref name="missing"/>, or WRONGTYPE).</summary>
    private static bool Find(ref CommandContext ctx, out ulong version, out long count, scoped ReadOnlySpan<byte> missing)
        => CollectionLookup.Find(ref ctx, KeyType.Hash, out version, out count, missing);

    private static ReadOnlySpan<byte> Null(scoped ref CommandContext ctx) => ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullBulk;

    private static void Get(ref CommandContext ctx)
    {
        if (!Find(ref ctx, out ulong version, out _, Null(ref ctx)))
        {
            return;
        }

        if (CollectionReads.TryGetMember(ctx.View, KeySpace.Hash, ctx.ReadDb, ctx[1], version, ctx[2], out ReadOnlySpan<byte> value))
        {
            ctx.Writer.WriteBulk(value);
            CollectionReads.Release();
        }
        else
        {
            ctx.Writer.WriteNull();
        }
    }

    private static void MGet(ref CommandContext ctx)
    {
        KeyType type = CollectionReads.Lookup(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, out ulong version, out _);
        if (type != KeyType.None && type != KeyType.Hash)
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
            return;
        }

        ctx.Writer.WriteArrayHeader(ctx.Count - 2);
        for (int i = 2; i < ctx.Count; i++)
        {
            if (type == KeyType.Hash && CollectionReads.TryGetMember(ctx.View, KeySpace.Hash, ctx.ReadDb, ctx[1], version, ctx[i], out ReadOnlySpan<byte> value))
            {
                ctx.Writer.WriteBulk(value);
            }
            else
            {
                ctx.Writer.WriteNull();
            }
        }

        CollectionReads.Release();
    }

    private static void Exists(ref CommandContext ctx)
    {
        if (Find(ref ctx, out ulong version, out _, RespReplies.Zero))
        {
            bool found = CollectionReads.TryGetMember(ctx.View, KeySpace.Hash, ctx.ReadDb, ctx[1], version, ctx[2], out _);
            ctx.Writer.WriteInteger(found ? 1 : 0);
        }
    }

    private static void Len(ref CommandContext ctx)
    {
        if (Find(ref ctx, out _, out long count, RespReplies.Zero))
        {
            ctx.Writer.WriteInteger(count);
        }
    }

    private static void StrLen(ref CommandContext ctx)
    {
        if (Find(ref ctx, out ulong version, out _, RespReplies.Zero))
        {
            bool found = CollectionReads.TryGetMember(ctx.View, KeySpace.Hash, ctx.ReadDb, ctx[1], version, ctx[2], out ReadOnlySpan<byte> value);
            ctx.Writer.WriteInteger(found ? value.Length : 0);
            CollectionReads.Release();
        }
    }

    // The elements are gathered first and counted as they are walked, so the header always matches them, then
    // copied to the connection.
    private static void GetAll(ref CommandContext ctx, HashParts parts)
    {
        if (!Find(ref ctx, out ulong version, out _, parts == HashParts.Both && ctx.Writer.IsResp3 ? "%0\r\n"u8 : RespReplies.EmptyArray))
        {
            return;
        }

        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var elements = new RespWriter(body, ctx.Writer.Version);
        int count = 0;
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Hash, ctx.ReadDb, ctx[1], version))
        {
            for (; cursor.Valid; cursor.Next())
            {
                if ((parts & HashParts.Fields) != 0)
                {
                    elements.WriteBulk(cursor.Member);
                }

                if ((parts & HashParts.Values) != 0)
                {
                    elements.WriteBulk(cursor.Value);
                }

                count++;
            }
        }

        if (parts == HashParts.Both)
        {
            ctx.Writer.WriteMapHeader(count);
        }
        else
        {
            ctx.Writer.WriteArrayHeader(count);
        }

        ctx.Writer.WriteRaw(body.WrittenSpan);
        body.Clear();
    }

    private static void Scan(ref CommandContext ctx) => CollectionScan.Run(ref ctx, KeyType.Hash, withValues: true);
}
