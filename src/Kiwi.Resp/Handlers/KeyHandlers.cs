using Kiwi.Core;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <summary>Key-space commands over RESP.</summary>
internal static partial class KeyHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("del", -2, W, 1, -1, 1, Del));
        t.Add(new("unlink", -2, W | CommandFlags.Fast, 1, -1, 1, Unlink));
        t.Add(new("exists", -2, R, 1, -1, 1, Exists));
        t.Add(new("touch", -2, R, 1, -1, 1, Exists));
        t.Add(new("expire", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.Expire)));
        t.Add(new("pexpire", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.PExpire)));
        t.Add(new("expireat", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.ExpireAt)));
        t.Add(new("pexpireat", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.PExpireAt)));
        t.Add(new("ttl", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ReadPath.Ttl(ctx.Db.Engine, ctx.ReadDb, ctx[1], ctx.Db.NowMs(), milliseconds: false))));
        t.Add(new("pttl", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ReadPath.Ttl(ctx.Db.Engine, ctx.ReadDb, ctx[1], ctx.Db.NowMs(), milliseconds: true))));
        t.Add(new("expiretime", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ReadPath.ExpireTime(ctx.Db.Engine, ctx.ReadDb, ctx[1], ctx.Db.NowMs(), milliseconds: false))));
        t.Add(new("pexpiretime", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ReadPath.ExpireTime(ctx.Db.Engine, ctx.ReadDb, ctx[1], ctx.Db.NowMs(), milliseconds: true))));
        t.Add(new("persist", 2, W | CommandFlags.Fast, 1, 1, 1, Persist));
        t.Add(new("type", 2, R, 1, 1, 1, Type));
        RegisterMore(t);
    }

    private static void Del(ref CommandContext ctx) => ctx.Submit(KeyEntries.Del(ctx.Target, ctx.ArgsFrom(1)));

    private static void Unlink(ref CommandContext ctx) => ctx.Submit(KeyEntries.Unlink(ctx.Target, ctx.ArgsFrom(1)));

    private static void Exists(ref CommandContext ctx)
    {
        long now = ctx.Db.NowMs();
        int db = ctx.ReadDb;
        long count = 0;
        if (ctx.Count == 2)
        {
            count = ReadPath.Lookup(ctx.Db.Engine, db, ctx[1], now) == KeyType.None ? 0 : 1;
        }
        else
        {
            // Several keys: one view, so the count never includes part of one write.
            using StorageSnapshot view = ctx.Db.Engine.OpenSnapshot();
            for (int i = 1; i < ctx.Count; i++)
            {
                if (ReadPath.Lookup(view, db, ctx[i], now) != KeyType.None)
                {
                    count++;
                }
            }
        }

        ReadPath.Release();
        ctx.Writer.WriteInteger(count);
    }

    private static void Expire(ref CommandContext ctx, ExpireCommand command)
    {
        ExpireCondition condition = ExpireCondition.None;
        for (int i = 3; i < ctx.Count; i++)
        {
            ReadOnlySpan<byte> opt = ctx[i];
            if (ArgParser.Is(opt, "NX"u8))
            {
                condition |= ExpireCondition.Nx;
            }
            else if (ArgParser.Is(opt, "XX"u8))
            {
                condition |= ExpireCondition.Xx;
            }
            else if (ArgParser.Is(opt, "GT"u8))
            {
                condition |= ExpireCondition.Gt;
            }
            else if (ArgParser.Is(opt, "LT"u8))
            {
                condition |= ExpireCondition.Lt;
            }
            else
            {
                ctx.Error($"ERR Unsupported option {CommandErrors.Latin(opt)}");
                return;
            }
        }

        // Redis validates the options before the number.
        ReadOnlySpan<byte> conflict = KeyEntries.CheckCondition(condition);
        if (!conflict.IsEmpty)
        {
            ctx.Error(conflict);
            return;
        }

        if (!ArgParser.TryInt64(ctx[2], out long when))
        {
            ctx.NotInteger();
            return;
        }

        ctx.Submit(KeyEntries.Expire(ctx.Target, ctx[1], when, condition, command));
    }

    private static void Persist(ref CommandContext ctx) => ctx.Submit(KeyEntries.Persist(ctx.Target, ctx[1]));

    private static void Type(ref CommandContext ctx)
    {
        KeyType type = ReadPath.Lookup(ctx.Db.Engine, ctx.ReadDb, ctx[1], ctx.Db.NowMs());
        ReadPath.Release();
        ctx.Writer.WriteSimpleString(TypeName(type));
    }

    /// <summary>TYPE's names.</summary>
    public static ReadOnlySpan<byte> TypeName(KeyType type) => type switch
    {
        KeyType.String => "string"u8,
        KeyType.Hash => "hash"u8,
        KeyType.List => "list"u8,
        KeyType.Set => "set"u8,
        KeyType.ZSet => "zset"u8,
        _ => "none"u8,
    };
}
