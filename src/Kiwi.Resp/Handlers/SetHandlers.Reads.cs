using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>Set reads, answered at once from committed state.</content>
internal static partial class SetHandlers
{
    [ThreadStatic]
    private static ByteBuffer? t_reply;

    /// <summary>Loads the set at <c>ctx[1]</c>: false when a reply was written (missing → <paramref name="missing"/>, or WRONGTYPE).</summary>
    private static bool Find(ref CommandContext ctx, out ulong version, out long count, scoped ReadOnlySpan<byte> missing)
        => CollectionLookup.Find(ref ctx, KeyType.Set, out version, out count, missing);

    private static ReadOnlySpan<byte> EmptySet(scoped ref CommandContext ctx) => ctx.Writer.IsResp3 ? "~0\r\n"u8 : RespReplies.EmptyArray;

    private static bool Contains(ref CommandContext ctx, ulong version, ReadOnlySpan<byte> member)
        => CollectionReads.TryGetMember(ctx.View, KeySpace.Set, ctx.ReadDb, ctx[1], version, member, out _);

    private static void Card(ref CommandContext ctx)
    {
        if (Find(ref ctx, out _, out long count, RespReplies.Zero))
        {
            ctx.Writer.WriteInteger(count);
        }
    }

    private static void IsMember(ref CommandContext ctx)
    {
        if (Find(ref ctx, out ulong version, out _, RespReplies.Zero))
        {
            ctx.Writer.WriteInteger(Contains(ref ctx, version, ctx[2]) ? 1 : 0);
        }
    }

    private static void MIsMember(ref CommandContext ctx)
    {
        KeyType type = CollectionReads.Lookup(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, out ulong version, out _);
        if (type != KeyType.None && type != KeyType.Set)
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
            return;
        }

        ctx.Writer.WriteArrayHeader(ctx.Count - 2);
        for (int i = 2; i < ctx.Count; i++)
        {
            ctx.Writer.WriteInteger(type == KeyType.Set && Contains(ref ctx, version, ctx[i]) ? 1 : 0);
        }
    }

    // The members are gathered and counted first, so the header always matches them.
    private static void Members(ref CommandContext ctx)
    {
        if (!Find(ref ctx, out ulong version, out _, EmptySet(ref ctx)))
        {
            return;
        }

        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var elements = new RespWriter(body, ctx.Writer.Version);
        int count = 0;
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, KeySpace.Set, ctx.ReadDb, ctx[1], version))
        {
            for (; cursor.Valid; cursor.Next())
            {
                elements.WriteBulk(cursor.Member);
                count++;
            }
        }

        ctx.Writer.WriteSetHeader(count);
        ctx.Writer.WriteRaw(body.WrittenSpan);
        body.Clear();
    }

    private static void Scan(ref CommandContext ctx) => CollectionScan.Run(ref ctx, KeyType.Set, withValues: false);
}
