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
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead;
        t.Add(new("del", -2, W, 1, -1, 1, Del));
        t.Add(new("unlink", -2, W | CommandFlags.Fast, 1, -1, 1, Unlink));
        t.Add(new("exists", -2, R, 1, -1, 1, Exists));
        t.Add(new("touch", -2, R, 1, -1, 1, Exists));
        t.Add(new("expire", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.Expire)));
        t.Add(new("pexpire", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.PExpire)));
        t.Add(new("expireat", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.ExpireAt)));
        t.Add(new("pexpireat", -3, W | CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => Expire(ref ctx, ExpireCommand.PExpireAt)));
        t.Add(new("ttl", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(Ttl(ref ctx, milliseconds: false))));
        t.Add(new("pttl", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(Ttl(ref ctx, milliseconds: true))));
        t.Add(new("expiretime", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ExpireTime(ref ctx, milliseconds: false))));
        t.Add(new("pexpiretime", 2, R, 1, 1, 1, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ExpireTime(ref ctx, milliseconds: true))));
        t.Add(new("persist", 2, W | CommandFlags.Fast, 1, 1, 1, Persist));
        t.Add(new("type", 2, R, 1, 1, 1, Type));
        RegisterMore(t);
        RegisterDump(t);
    }

    private static void Del(ref CommandContext ctx) => ctx.Submit(KeyEntries.Del(ctx.Target, ctx.ArgsFrom(1)));

    private static void Unlink(ref CommandContext ctx) => ctx.Submit(KeyEntries.Unlink(ctx.Target, ctx.ArgsFrom(1)));

    private static void Exists(ref CommandContext ctx)
    {
        long now = ctx.NowMs;
        int db = ctx.ReadDb;
        long count = 0;
        if (ctx.Count == 2)
        {
            count = ctx.Lookup(ctx[1]) == KeyType.None ? 0 : 1;
        }
        else
        {
            // Several keys: one view, so the count never includes part of one write.
            StorageSnapshot view = ctx.View;
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

    // TTL/PTTL: -2 no key, -1 no expiry, else the time left (seconds rounded as Redis does, or ms).
    private static long Ttl(ref CommandContext ctx, bool milliseconds)
    {
        long at = ExpireAt(ref ctx);
        if (at < 0)
        {
            return at;
        }

        long ttl = Math.Max(0, at - ctx.NowMs);
        return milliseconds ? ttl : (ttl + 500) / 1000;
    }

    // EXPIRETIME/PEXPIRETIME: Redis shares TTL's rounding here, (ms + 500) / 1000.
    private static long ExpireTime(ref CommandContext ctx, bool milliseconds)
    {
        long at = ExpireAt(ref ctx);
        return at < 0 || milliseconds ? at : (at + 500) / 1000;
    }

    private static long ExpireAt(ref CommandContext ctx)
    {
        if (ctx.Lookup(ctx[1]) == KeyType.None)
        {
            return -2;
        }

        long at = MetaValue.ExpireAt(ReadPath.Record);
        ReadPath.Release();
        return at == 0 ? -1 : at;
    }

    private static void Persist(ref CommandContext ctx) => ctx.Submit(KeyEntries.Persist(ctx.Target, ctx[1]));

    private static void Type(ref CommandContext ctx)
    {
        KeyType type = ctx.Lookup(ctx[1]);
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
