using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>Set commands over RESP: writes go through their encoders (<see cref="SetEntries"/>) to the writer (<see cref="SetWrites"/>).</summary>
internal static partial class SetHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
        t.Add(new("sadd", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Add(ctx.Target, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("srem", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Remove(ctx.Target, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("spop", -2, W, 1, 1, 1, Pop));
        t.Add(new("smove", 4, W, 1, 2, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Move(ctx.Target, ctx[1], ctx[2], ctx[3]))));
        t.Add(new("sinterstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Store(ctx.Target, SetOperation.Inter, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("sunionstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Store(ctx.Target, SetOperation.Union, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("sdiffstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => ctx.Submit(SetEntries.Store(ctx.Target, SetOperation.Diff, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("scard", 2, R, 1, 1, 1, Card));
        t.Add(new("sismember", 3, R, 1, 1, 1, IsMember));
        t.Add(new("smismember", -3, R, 1, 1, 1, MIsMember));
        t.Add(new("smembers", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Members));
        t.Add(new("srandmember", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, RandMember));
        t.Add(new("sinter", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Inter)));
        t.Add(new("sunion", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Union)));
        t.Add(new("sdiff", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Diff)));
        t.Add(new("sintercard", -3, CommandFlags.ReadOnly | CommandFlags.BatchRead, 0, 0, 0, InterCard));
        t.Add(new("sscan", -3, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Scan));
    }

    private static void Pop(ref CommandContext ctx)
    {
        if (ctx.Count > 3)
        {
            ctx.SyntaxError();
            return;
        }

        long? count = null;
        if (ctx.Count == 3)
        {
            if (!ArgParser.TryInt64(ctx[2], out long parsed))
            {
                ctx.Error("ERR value is out of range, must be positive"u8);
                return;
            }

            count = parsed;
        }

        ctx.Submit(SetEntries.Pop(ctx.Target, ctx[1], count));
    }
}
