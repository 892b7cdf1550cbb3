using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Lists;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <content>
/// Blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP): arguments checked as Redis does, then the session parks
/// the client on a <see cref="ListBlockedPop"/> until an attempt is served, the timeout passes, CLIENT UNBLOCK, or
/// the client goes.
/// </content>
internal static partial class ListHandlers
{
    private static void RegisterBlocking(List<CommandSpec> t)
    {
        const CommandFlags B = CommandFlags.Write | CommandFlags.Blocking;
        t.Add(new("blpop", -3, B, 1, -2, 1, static (ref CommandContext ctx) => BlockingPop(ref ctx, right: false)));
        t.Add(new("brpop", -3, B, 1, -2, 1, static (ref CommandContext ctx) => BlockingPop(ref ctx, right: true)));
        t.Add(new("blmove", 6, B, 1, 2, 1, BlockingMove));
        t.Add(new("brpoplpush", 4, B, 1, 2, 1, static (ref CommandContext ctx) => BlockingMove(ref ctx, 3, fromRight: true, toRight: false)));
        t.Add(new("blmpop", -5, B, 0, 0, 0, BlockingMultiPop));
    }

    private static void BlockingPop(ref CommandContext ctx, bool right)
    {
        if (!TryTimeout(ref ctx, ctx.Count - 1, out long timeoutMs))
        {
            return;
        }

        ReadOnlyMemory<byte>[] keys = CopyArgs(ref ctx, 1, ctx.Count - 2);
        Block(ref ctx, ListBlockedPop.Pop(Detached(ref ctx), keys, right, single: true, 1), timeoutMs, nullArray: true);
    }

    private static void BlockingMove(ref CommandContext ctx)
    {
        if (!TryEnd(ctx[3], out bool fromRight) || !TryEnd(ctx[4], out bool toRight))
        {
            ctx.SyntaxError();
            return;
        }

        BlockingMove(ref ctx, 5, fromRight, toRight);
    }

    private static void BlockingMove(ref CommandContext ctx, int timeoutAt, bool fromRight, bool toRight)
    {
        if (TryTimeout(ref ctx, timeoutAt, out long timeoutMs))
        {
            var pop = ListBlockedPop.Move(Detached(ref ctx), ctx[1].ToArray(), ctx[2].ToArray(), fromRight, toRight);
            Block(ref ctx, pop, timeoutMs, nullArray: false);
        }
    }

    private static void BlockingMultiPop(ref CommandContext ctx)
    {
        if (TryTimeout(ref ctx, 1, out long timeoutMs) && ParseMultiPop(ref ctx, 2, out int keyCount, out bool right, out long count))
        {
            ReadOnlyMemory<byte>[] keys = CopyArgs(ref ctx, 3, keyCount);
            Block(ref ctx, ListBlockedPop.Pop(Detached(ref ctx), keys, right, single: false, count), timeoutMs, nullArray: true);
        }
    }

    internal static void Block(ref CommandContext ctx, Kiwi.Core.Blocking.BlockedWait pop, long timeoutMs, bool nullArray)
    {
        if (ctx.Session.Queueing)
        {
            // Inside MULTI: the non-blocking form, once (Redis never blocks inside a transaction).
            ctx.Submit(pop.EncodeOnce(ctx.Target));
            return;
        }

        ctx.Session.Block(pop, timeoutMs, nullArray ? (ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullArray) : (ctx.Writer.IsResp3 ? RespReplies.Null : RespReplies.NullBulk), ctx.Spec);
    }

    // The attempts are applied when submitted (not at the end of the session's read) and complete off the writer thread.
    internal static EntryTarget Detached(ref CommandContext ctx) => new(ctx.Db, ctx.Session.Database, ctx.Session.Protocol, session: false);

    internal static ReadOnlyMemory<byte>[] CopyArgs(ref CommandContext ctx, int first, int count)
    {
        var keys = new ReadOnlyMemory<byte>[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = ctx[first + i].ToArray();
        }

        return keys;
    }

    /// <summary>
    /// Redis's blocking timeout (getTimeoutFromObjectOrReply, seconds): a long double, times 1000, rounded up to a
    /// long long (so inf and 1e100 become negative, and a positive fraction of a millisecond is one); 0 = forever.
    /// </summary>
    internal static bool TryTimeout(ref CommandContext ctx, int at, out long timeoutMs)
    {
        timeoutMs = 0;
        if (!LongDouble.TryParse(ctx[at], out LongDouble parsed))
        {
            ctx.Error("ERR timeout is not a float or out of range"u8);
            return false;
        }

        double ms = Math.Ceiling(parsed.ToDouble() * 1000.0);
        timeoutMs = ms is < 9.2233720368547758E18 and >= -9.2233720368547758E18 ? (long)ms : long.MinValue;
        if (timeoutMs < 0)
        {
            ctx.Error("ERR timeout is negative"u8);
            return false;
        }

        if (timeoutMs > long.MaxValue - ctx.Db.NowMs())
        {
            ctx.Error("ERR timeout is out of range"u8);
            return false;
        }

        return true;
    }
}
