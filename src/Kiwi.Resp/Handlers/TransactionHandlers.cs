using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Transactions;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH, UNWATCH with Redis 7.0's replies and errors. The commands between MULTI and EXEC are
/// queued by the session (<see cref="ClientSession"/>'s transaction part); EXEC submits them as one entry.
/// </summary>
internal static class TransactionHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags F = CommandFlags.NotQueued | CommandFlags.Fast;
        t.Add(new("multi", 1, F, 0, 0, 0, Multi));
        t.Add(new("exec", 1, CommandFlags.NotQueued | CommandFlags.Write, 0, 0, 0, Exec));
        t.Add(new("discard", 1, F, 0, 0, 0, Discard));
        t.Add(new("watch", -2, F | CommandFlags.Write, 1, -1, 1, Watch));
        t.Add(new("unwatch", 1, CommandFlags.Fast, 0, 0, 0, Unwatch));
    }

    private static void Multi(ref CommandContext ctx)
    {
        if (ctx.Session.InMulti)
        {
            // Not queued and does not fail the transaction (Redis runs MULTI itself, which only complains).
            ctx.Error("ERR MULTI calls can not be nested"u8);
            return;
        }

        ctx.Session.BeginTransaction();
        ctx.Writer.WriteSimpleString("OK"u8);
    }

    private static void Exec(ref CommandContext ctx)
    {
        if (!ctx.Session.InMulti)
        {
            // WATCHed keys stay watched, as in Redis.
            ctx.Error("ERR EXEC without MULTI"u8);
            return;
        }

        ApplyRequest? request = ctx.Session.TakeTransaction(ctx.Target);
        if (request is null)
        {
            ctx.Session.UnwatchAll();
            ctx.Error("EXECABORT Transaction discarded because of previous errors."u8);
            return;
        }

        ctx.Submit(EncodedEntry.Ready(request));
    }

    private static void Discard(ref CommandContext ctx)
    {
        if (!ctx.Session.InMulti)
        {
            ctx.Error("ERR DISCARD without MULTI"u8);
            return;
        }

        ctx.Session.DiscardTransaction();
        Unwatch(ref ctx);
    }

    private static void Watch(ref CommandContext ctx)
    {
        if (ctx.Session.InMulti)
        {
            ctx.Error("ERR WATCH inside MULTI is not allowed"u8);
            return;
        }

        ctx.Submit(TransactionEntries.Watch(ctx.Target, ctx.Session.WatchToken(), ctx.ArgsFrom(1)));
    }

    private static void Unwatch(ref CommandContext ctx)
    {
        if (ctx.Session.Queueing)
        {
            // Queued: Redis runs it after EXEC checked the watched keys, so it only answers OK there.
            ctx.Writer.WriteSimpleString("OK"u8);
            return;
        }

        if (ctx.Session.TakeUnwatch(ctx.Target) is { } request)
        {
            // The writer drops the token and answers OK, in order with this client's other replies.
            ctx.Submit(EncodedEntry.Ready(request));
            return;
        }

        ctx.Writer.WriteSimpleString("OK"u8);
    }
}
