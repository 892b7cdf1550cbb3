using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>Set commands over RESP: writes are checked here and applied by the writer (<see cref="SetWrites"/>).</summary>
internal static partial class SetHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("sadd", -3, W, 1, 1, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SAdd, 0)));
        t.Add(new("srem", -3, W, 1, 1, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SRem, 0)));
        t.Add(new("spop", -2, W, 1, 1, 1, Pop));
        t.Add(new("smove", 4, W, 1, 2, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SMove, 0)));
        t.Add(new("sinterstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SStore, (byte)SetOperation.Inter)));
        t.Add(new("sunionstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SStore, (byte)SetOperation.Union)));
        t.Add(new("sdiffstore", -3, CommandFlags.Write, 1, -1, 1, static (ref CommandContext ctx) => SubmitAll(ref ctx, OpCode.SStore, (byte)SetOperation.Diff)));
        t.Add(new("scard", 2, R, 1, 1, 1, Card));
        t.Add(new("sismember", 3, R, 1, 1, 1, IsMember));
        t.Add(new("smismember", -3, R, 1, 1, 1, MIsMember));
        t.Add(new("smembers", 2, CommandFlags.ReadOnly, 1, 1, 1, Members));
        t.Add(new("srandmember", -2, CommandFlags.ReadOnly, 1, 1, 1, RandMember));
        t.Add(new("sinter", -2, CommandFlags.ReadOnly, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Inter)));
        t.Add(new("sunion", -2, CommandFlags.ReadOnly, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Union)));
        t.Add(new("sdiff", -2, CommandFlags.ReadOnly, 1, -1, 1, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Diff)));
        t.Add(new("sintercard", -3, CommandFlags.ReadOnly, 0, 0, 0, InterCard));
        t.Add(new("sscan", -3, CommandFlags.ReadOnly, 1, 1, 1, Scan));
    }

    private static void SubmitAll(ref CommandContext ctx, OpCode op, byte flags)
    {
        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, op, flags, ctx.Session.Database, ctx.Count - 1);
        for (int i = 1; i < ctx.Count; i++)
        {
            CommandFormat.AddArg(request.Payload, ctx[i]);
        }

        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    // The seed is drawn here, at proposal, so the writer's choice is the same on every replica.
    private static void Pop(ref CommandContext ctx)
    {
        if (ctx.Count > 3)
        {
            ctx.SyntaxError();
            return;
        }

        long count = 0;
        if (ctx.Count == 3 && (!ArgParser.TryInt64(ctx[2], out count) || count < 0))
        {
            ctx.Error("ERR value is out of range, must be positive"u8);
            return;
        }

        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, OpCode.SPop, (byte)(ctx.Count == 3 ? 1 : 0), ctx.Session.Database, 1, count, Random.Shared.NextInt64());
        CommandFormat.AddArg(request.Payload, ctx[1]);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }
}
