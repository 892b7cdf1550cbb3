using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;

namespace Kiwi.Resp.Handlers;

/// <summary>Sorted-set commands over RESP: writes go through their encoders (<see cref="ZSetEntries"/>) to the writer (<see cref="ZSetWrites"/>).</summary>
internal static partial class ZSetHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
        const CommandFlags RS = CommandFlags.ReadOnly | CommandFlags.BatchRead;
        t.Add(new("zadd", -4, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.Add(ctx.Target, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("zincrby", 4, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.IncrBy(ctx.Target, ctx[1], ctx[2], ctx[3]))));
        t.Add(new("zrem", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.Remove(ctx.Target, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("zpopmin", -2, W, 1, 1, 1, static (ref CommandContext ctx) => Pop(ref ctx, max: false)));
        t.Add(new("zpopmax", -2, W, 1, 1, 1, static (ref CommandContext ctx) => Pop(ref ctx, max: true)));
        t.Add(new("zmpop", -4, CommandFlags.Write, 0, 0, 0, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.MultiPop(ctx.Target, ctx.ArgsFrom(1)))));
        t.Add(new("zremrangebyrank", 4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => RemoveRange(ref ctx, ZRangeKind.Rank)));
        t.Add(new("zremrangebyscore", 4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => RemoveRange(ref ctx, ZRangeKind.Score)));
        t.Add(new("zremrangebylex", 4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => RemoveRange(ref ctx, ZRangeKind.Lex)));
        t.Add(new("zrangestore", -5, CommandFlags.Write, 1, 2, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.RangeStore(ctx.Target, ctx.ArgsFrom(1)))));
        t.Add(new("zunionstore", -4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.Store(ctx.Target, SetOperation.Union, ctx.ArgsFrom(1), "ERR at least 1 input key is needed for 'zunionstore' command"u8))));
        t.Add(new("zinterstore", -4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.Store(ctx.Target, SetOperation.Inter, ctx.ArgsFrom(1), "ERR at least 1 input key is needed for 'zinterstore' command"u8))));
        t.Add(new("zdiffstore", -4, CommandFlags.Write, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ZSetEntries.Store(ctx.Target, SetOperation.Diff, ctx.ArgsFrom(1), "ERR at least 1 input key is needed for 'zdiffstore' command"u8))));
        t.Add(new("zcard", 2, R, 1, 1, 1, Card));
        t.Add(new("zscore", 3, R, 1, 1, 1, Score));
        t.Add(new("zmscore", -3, R, 1, 1, 1, MScore));
        t.Add(new("zrank", 3, R, 1, 1, 1, static (ref CommandContext ctx) => Rank(ref ctx, reverse: false)));
        t.Add(new("zrevrank", 3, R, 1, 1, 1, static (ref CommandContext ctx) => Rank(ref ctx, reverse: true)));
        t.Add(new("zcount", 4, R, 1, 1, 1, Count));
        t.Add(new("zlexcount", 4, R, 1, 1, 1, LexCount));
        t.Add(new("zrange", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, null, null)));
        t.Add(new("zrangebyscore", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, ZRangeKind.Score, false)));
        t.Add(new("zrevrangebyscore", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, ZRangeKind.Score, true)));
        t.Add(new("zrangebylex", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, ZRangeKind.Lex, false)));
        t.Add(new("zrevrangebylex", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, ZRangeKind.Lex, true)));
        t.Add(new("zrevrange", -4, RS, 1, 1, 1, static (ref CommandContext ctx) => Range(ref ctx, ZRangeKind.Rank, true)));
        t.Add(new("zrandmember", -2, RS, 1, 1, 1, RandMember));
        t.Add(new("zunion", -3, RS, 0, 0, 0, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Union, "ERR at least 1 input key is needed for 'zunion' command"u8)));
        t.Add(new("zinter", -3, RS, 0, 0, 0, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Inter, "ERR at least 1 input key is needed for 'zinter' command"u8)));
        t.Add(new("zdiff", -3, RS, 0, 0, 0, static (ref CommandContext ctx) => Combine(ref ctx, SetOperation.Diff, "ERR at least 1 input key is needed for 'zdiff' command"u8)));
        t.Add(new("zintercard", -3, RS, 0, 0, 0, InterCard));
        t.Add(new("zscan", -3, RS, 1, 1, 1, static (ref CommandContext ctx) => CollectionScan.Run(ref ctx, Kiwi.Core.Storage.KeyType.ZSet, withValues: true)));
        RegisterBlocking(t);
    }

    // ZPOPMIN/ZPOPMAX key [count]: a count of 0 replies an empty array once the key is found to be a sorted set or missing.
    private static void Pop(ref CommandContext ctx, bool max)
    {
        if (ctx.Count > 3)
        {
            ctx.SyntaxError();
            return;
        }

        long count = -1;
        if (ctx.Count == 3 && (!ArgParser.TryInt64(ctx[2], out count) || count < 0))
        {
            ctx.Error("ERR value is out of range, must be positive"u8);
            return;
        }

        ctx.Submit(ZSetEntries.Pop(ctx.Target, ctx[1], max, count));
    }

    private static void RemoveRange(ref CommandContext ctx, ZRangeKind kind)
        => ctx.Submit(ZSetEntries.RemoveRange(ctx.Target, kind, ctx[1], ctx[2], ctx[3]));
}
