using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>Hash commands over RESP: writes go through their encoders (<see cref="HashEntries"/>) to the writer (<see cref="HashWrites"/>).</summary>
internal static partial class HashHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
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
        t.Add(new("hkeys", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Fields)));
        t.Add(new("hvals", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Values)));
        t.Add(new("hgetall", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, static (ref CommandContext ctx) => GetAll(ref ctx, HashParts.Both)));
        t.Add(new("hrandfield", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, RandField));
        t.Add(new("hscan", -3, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Scan));
    }

    private static void SubmitSet(ref CommandContext ctx, HashSetFlags flags)
        => ctx.Submit(HashEntries.Set(ctx.Target, ctx[1], ctx.ArgsFrom(2), flags));

    private static void Del(ref CommandContext ctx) => ctx.Submit(HashEntries.Delete(ctx.Target, ctx[1], ctx.ArgsFrom(2)));

    private static void IncrBy(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[3], out long increment))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(HashEntries.IncrBy(ctx.Target, ctx[1], ctx[2], increment));
    }

    private static void IncrByFloat(ref CommandContext ctx) => ctx.Submit(HashEntries.IncrByFloat(ctx.Target, ctx[1], ctx[2], ctx[3]));
}
