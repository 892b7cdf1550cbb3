using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// String commands over RESP: reads answer at once; writes parse their arguments here and hand them to their
/// one encoder (<see cref="StringEntries"/>, shared with <see cref="KiwiDb"/>), which the writer then applies.
/// </summary>
internal static partial class StringHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
        t.Add(new("set", -3, W, 1, 1, 1, Set));
        t.Add(new("get", 2, R, 1, 1, 1, Get));
        t.Add(new("getset", 3, W | CommandFlags.Fast, 1, 1, 1, GetSet));
        t.Add(new("getdel", 2, W | CommandFlags.Fast, 1, 1, 1, GetDel));
        t.Add(new("getex", -2, W | CommandFlags.ReadWhenBare | CommandFlags.BatchRead | CommandFlags.Fast, 1, 1, 1, GetEx));
        t.Add(new("setnx", 3, W | CommandFlags.Fast, 1, 1, 1, SetNx));
        t.Add(new("setex", 4, W, 1, 1, 1, SetEx));
        t.Add(new("psetex", 4, W, 1, 1, 1, PSetEx));
        t.Add(new("mset", -3, W, 1, -1, 2, MSet));
        t.Add(new("msetnx", -3, W, 1, -1, 2, MSetNx));
        t.Add(new("mget", -2, R, 1, -1, 1, MGet));
        t.Add(new("append", 3, W | CommandFlags.Fast, 1, 1, 1, Append));
        t.Add(new("strlen", 2, R, 1, 1, 1, StrLen));
        t.Add(new("getrange", 4, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, GetRange));
        t.Add(new("substr", 4, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, GetRange));
        t.Add(new("setrange", 4, W, 1, 1, 1, SetRange));
        t.Add(new("incr", 2, W | CommandFlags.Fast, 1, 1, 1, Incr));
        t.Add(new("decr", 2, W | CommandFlags.Fast, 1, 1, 1, Decr));
        t.Add(new("incrby", 3, W | CommandFlags.Fast, 1, 1, 1, IncrBy));
        t.Add(new("decrby", 3, W | CommandFlags.Fast, 1, 1, 1, DecrBy));
        t.Add(new("incrbyfloat", 3, W | CommandFlags.Fast, 1, 1, 1, IncrByFloat));
    }

    private static void Get(ref CommandContext ctx)
    {
        KeyType type = ctx.Lookup(ctx[1]);
        if (type == KeyType.String)
        {
            ctx.Writer.WriteBulk(MetaValue.Payload(ReadPath.Record));
            ReadPath.Release();
        }
        else if (type == KeyType.None)
        {
            ctx.Writer.WriteNull();
        }
        else
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
        }
    }

    private static void MGet(ref CommandContext ctx)
    {
        long now = ctx.NowMs;
        int db = ctx.ReadDb;
        ctx.Writer.WriteArrayHeader(ctx.Count - 1);
        if (ctx.Count == 2)
        {
            // One record is read whole anyway: no view, and the read cache answers it.
            WriteStringOrNull(ref ctx, ctx.Lookup(ctx[1]));
        }
        else
        {
            // One view for every key, so the reply never holds half of an MSET.
            StorageSnapshot view = ctx.View;
            for (int i = 1; i < ctx.Count; i++)
            {
                WriteStringOrNull(ref ctx, ReadPath.Lookup(view, db, ctx[i], now));
            }
        }

        ReadPath.Release();
    }

    private static void WriteStringOrNull(ref CommandContext ctx, KeyType type)
    {
        if (type == KeyType.String)
        {
            ctx.Writer.WriteBulk(MetaValue.Payload(ReadPath.Record));
        }
        else
        {
            ctx.Writer.WriteNull();
        }
    }

    private static void StrLen(ref CommandContext ctx)
    {
        KeyType type = ctx.Lookup(ctx[1]);
        if (type == KeyType.String)
        {
            ctx.Writer.WriteInteger(MetaValue.Payload(ReadPath.Record).Length);
            ReadPath.Release();
        }
        else if (type == KeyType.None)
        {
            ctx.Writer.WriteInteger(0);
        }
        else
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
        }
    }

    private static void GetRange(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long start) || !ArgParser.TryInt64(ctx[3], out long end))
        {
            ctx.NotInteger();
            return;
        }

        KeyType type = ctx.Lookup(ctx[1]);
        if (type == KeyType.None)
        {
            ctx.Writer.WriteBulk(default);
            return;
        }

        if (type != KeyType.String)
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
            return;
        }

        ReadOnlySpan<byte> value = MetaValue.Payload(ReadPath.Record);
        (int offset, int length) = ReadPath.Range(value.Length, start, end);
        ctx.Writer.WriteBulk(value.Slice(offset, length));
        ReadPath.Release();
    }

    private static void GetSet(ref CommandContext ctx) => ctx.Submit(StringEntries.GetSet(ctx.Target, ctx[1], ctx[2]));

    private static void SetNx(ref CommandContext ctx) => ctx.Submit(StringEntries.SetNx(ctx.Target, ctx[1], ctx[2]));

    private static void SetEx(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long seconds))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(StringEntries.SetEx(ctx.Target, ctx[1], seconds, ctx[3]));
    }

    private static void PSetEx(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long milliseconds))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(StringEntries.PSetEx(ctx.Target, ctx[1], milliseconds, ctx[3]));
    }

    private static void GetDel(ref CommandContext ctx) => ctx.Submit(StringEntries.GetDel(ctx.Target, ctx[1]));

    private static void Append(ref CommandContext ctx) => ctx.Submit(StringEntries.Append(ctx.Target, ctx[1], ctx[2]));

    private static void SetRange(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long offset))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(StringEntries.SetRange(ctx.Target, ctx[1], offset, ctx[3]));
    }

    private static void Incr(ref CommandContext ctx) => ctx.Submit(StringEntries.IncrBy(ctx.Target, ctx[1], 1));

    private static void Decr(ref CommandContext ctx) => ctx.Submit(StringEntries.IncrBy(ctx.Target, ctx[1], -1));

    private static void IncrBy(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long increment))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(StringEntries.IncrBy(ctx.Target, ctx[1], increment));
    }

    private static void DecrBy(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long decrement))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(StringEntries.DecrBy(ctx.Target, ctx[1], decrement));
    }

    private static void MSet(ref CommandContext ctx) => ctx.Submit(StringEntries.MSet(ctx.Target, ctx.ArgsFrom(1)));

    private static void MSetNx(ref CommandContext ctx) => ctx.Submit(StringEntries.MSetNx(ctx.Target, ctx.ArgsFrom(1)));

    private static void IncrByFloat(ref CommandContext ctx) => ctx.Submit(StringEntries.IncrByFloat(ctx.Target, ctx[1], ctx[2]));
}
