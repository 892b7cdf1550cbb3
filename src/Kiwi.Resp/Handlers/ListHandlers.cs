using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Lists;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// List commands over RESP: writes go through their encoders (<see cref="ListEntries"/>) to the writer
/// (<see cref="ListWrites"/>), reads answer from committed state, blocking pops wait in <see cref="ListHandlers"/>'s
/// blocking part.
/// </summary>
internal static partial class ListHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
        t.Add(new("lpush", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ListEntries.Push(ctx.Target, right: false, onlyExisting: false, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("rpush", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ListEntries.Push(ctx.Target, right: true, onlyExisting: false, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("lpushx", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ListEntries.Push(ctx.Target, right: false, onlyExisting: true, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("rpushx", -3, W, 1, 1, 1, static (ref CommandContext ctx) => ctx.Submit(ListEntries.Push(ctx.Target, right: true, onlyExisting: true, ctx[1], ctx.ArgsFrom(2)))));
        t.Add(new("lpop", -2, W, 1, 1, 1, static (ref CommandContext ctx) => Pop(ref ctx, right: false)));
        t.Add(new("rpop", -2, W, 1, 1, 1, static (ref CommandContext ctx) => Pop(ref ctx, right: true)));
        t.Add(new("lset", 4, CommandFlags.Write, 1, 1, 1, Set));
        t.Add(new("ltrim", 4, CommandFlags.Write, 1, 1, 1, Trim));
        t.Add(new("lrem", 4, CommandFlags.Write, 1, 1, 1, Remove));
        t.Add(new("linsert", 5, CommandFlags.Write, 1, 1, 1, Insert));
        t.Add(new("lmove", 5, CommandFlags.Write, 1, 2, 1, Move));
        t.Add(new("rpoplpush", 3, CommandFlags.Write, 1, 2, 1, static (ref CommandContext ctx) => ctx.Submit(ListEntries.Move(ctx.Target, ctx[1], ctx[2], fromRight: true, toRight: false))));
        t.Add(new("lmpop", -4, CommandFlags.Write, 0, 0, 0, MultiPop));
        t.Add(new("llen", 2, R, 1, 1, 1, Length));
        t.Add(new("lindex", 3, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Index));
        t.Add(new("lrange", 4, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Range));
        t.Add(new("lpos", -3, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Position));
        RegisterBlocking(t);
    }

    private static void Pop(ref CommandContext ctx, bool right)
    {
        if (ctx.Count > 3)
        {
            ctx.Error(right ? "ERR wrong number of arguments for 'rpop' command"u8 : "ERR wrong number of arguments for 'lpop' command"u8);
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

        ctx.Submit(ListEntries.Pop(ctx.Target, right, ctx[1], count));
    }

    private static void Set(ref CommandContext ctx)
        => ctx.Submit(ListEntries.Set(ctx.Target, ctx[1], ArgParser.TryInt64(ctx[2], out long index) ? index : null, ctx[3]));

    private static void Trim(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long start) || !ArgParser.TryInt64(ctx[3], out long stop))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(ListEntries.Trim(ctx.Target, ctx[1], start, stop));
    }

    private static void Remove(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long count))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(ListEntries.Remove(ctx.Target, ctx[1], count, ctx[3]));
    }

    private static void Insert(ref CommandContext ctx)
    {
        bool after = ArgParser.Is(ctx[2], "AFTER"u8);
        if (!after && !ArgParser.Is(ctx[2], "BEFORE"u8))
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Submit(ListEntries.Insert(ctx.Target, ctx[1], after, ctx[3], ctx[4]));
    }

    private static void Move(ref CommandContext ctx)
    {
        if (!TryEnd(ctx[3], out bool fromRight) || !TryEnd(ctx[4], out bool toRight))
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Submit(ListEntries.Move(ctx.Target, ctx[1], ctx[2], fromRight, toRight));
    }

    private static void MultiPop(ref CommandContext ctx)
    {
        if (ParseMultiPop(ref ctx, 1, out int keys, out bool right, out long count))
        {
            ctx.Submit(ListEntries.MultiPop(ctx.Target, new RespArgRange(ctx.Args, 2, keys), right, count, single: false));
        }
    }

    /// <summary>LEFT → false, RIGHT → true; false when it is neither.</summary>
    internal static bool TryEnd(ReadOnlySpan<byte> arg, out bool right)
    {
        right = ArgParser.Is(arg, "RIGHT"u8);
        return right || ArgParser.Is(arg, "LEFT"u8);
    }

    /// <summary>
    /// LMPOP's and BLMPOP's arguments from <c>numkeys</c> (at <paramref name="at"/>) on, with Redis's checks in its
    /// order: numkeys, the end, then COUNT. False when an error was replied.
    /// </summary>
    internal static bool ParseMultiPop(ref CommandContext ctx, int at, out int keys, out bool right, out long count)
    {
        keys = 0;
        right = false;
        count = 1;
        if (!ArgParser.TryInt64(ctx[at], out long numKeys) || numKeys < 1)
        {
            ctx.Error("ERR numkeys should be greater than 0"u8);
            return false;
        }

        long where = at + numKeys + 1;
        if (where >= ctx.Count || !TryEnd(ctx[(int)where], out right))
        {
            ctx.SyntaxError();
            return false;
        }

        bool counted = false;
        for (int i = (int)where + 1; i < ctx.Count; i++)
        {
            if (!counted && ArgParser.Is(ctx[i], "COUNT"u8) && i + 1 < ctx.Count)
            {
                i++;
                if (!ArgParser.TryInt64(ctx[i], out count) || count < 1)
                {
                    ctx.Error("ERR count should be greater than 0"u8);
                    return false;
                }

                counted = true;
                continue;
            }

            ctx.SyntaxError();
            return false;
        }

        keys = (int)numKeys;
        return true;
    }
}
