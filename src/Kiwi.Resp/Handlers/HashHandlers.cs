using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>Hash commands over RESP: writes are checked here and applied by the writer (<see cref="HashWrites"/>).</summary>
internal static partial class HashHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("hset", -4, W, 1, 1, 1, static (ref CommandContext ctx) => SubmitSet(ref ctx, HashSetFlags.None)));
        t.Add(new("hmset", -4, W, 1, 1, 1, static (ref CommandContext ctx) => SubmitSet(ref ctx, HashSetFlags.ReplyOk)));
        t.Add(new("hsetnx", 4, W, 1, 1, 1, static (ref CommandContext ctx) => SubmitSet(ref ctx, HashSetFlags.OnlyNew)));
        t.Add(new("hdel", -3, W, 1, 1, 1, Del));
        t.Add(new("hincrby", 4, W, 1, 1, 1, IncrBy));
        t.Add(new("hincrbyfloat", 4, W, 1, 1, 1, IncrByFloat));
        t.Add(new("hget", 3, R, 1, 1, 1, Get));
        t.Add(new("hmget", -3, R, 1, 1, 1, MGet));
        t.Add(new("hexists", 3, R, 1, 1, 1, Exists));
        t.Add(new("hlen", 2, R, 1, 1, 1, Len));
        t.Add(new("hstrlen", 3, R, 1, 1, 1, StrLen));
        t.Add(new("hkeys", 2, CommandFlags.ReadOnly, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Fields)));
        t.Add(new("hvals", 2, CommandFlags.ReadOnly, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Values)));
        t.Add(new("hgetall", 2, CommandFlags.ReadOnly, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Both)));
        t.Add(new("hrandfield", -2, CommandFlags.ReadOnly, 1, 1, 1, RandField));
        t.Add(new("hscan", -3, CommandFlags.ReadOnly, 1, 1, 1, Scan));
    }

    private static void SubmitSet(ref CommandContext ctx, HashSetFlags flags)
    {
        if ((ctx.Count & 1) != 0)
        {
            CommandErrors.WrongArity(ref ctx, CommandTable.Find(ctx[0])!);
            return;
        }

        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, OpCode.HSet, (byte)flags, ctx.Session.Database, ctx.Count - 1);
        AddArgs(ref ctx, request, 1);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    private static void Del(ref CommandContext ctx)
    {
        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, OpCode.HDel, 0, ctx.Session.Database, ctx.Count - 1);
        AddArgs(ref ctx, request, 1);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    private static void IncrBy(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[3], out long delta))
        {
            ctx.NotInteger();
            return;
        }

        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, OpCode.HIncrBy, 0, ctx.Session.Database, 2, delta);
        CommandFormat.AddArg(request.Payload, ctx[1]);
        CommandFormat.AddArg(request.Payload, ctx[2]);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    private static void IncrByFloat(ref CommandContext ctx)
    {
        if (!LongDouble.TryParse(ctx[3], out LongDouble increment))
        {
            ctx.Error("ERR value is not a valid float"u8);
            return;
        }

        if (!increment.IsFinite)
        {
            ctx.Error("ERR value is NaN or Infinity"u8);
            return;
        }

        ApplyRequest request = ctx.Begin();
        CommandFormat.AddCommand(request.Payload, OpCode.HIncrByFloat, 0, ctx.Session.Database, 3);
        AddArgs(ref ctx, request, 1);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    private static void AddArgs(ref CommandContext ctx, ApplyRequest request, int from)
    {
        for (int i = from; i < ctx.Count; i++)
        {
            CommandFormat.AddArg(request.Payload, ctx[i]);
        }
    }
}
