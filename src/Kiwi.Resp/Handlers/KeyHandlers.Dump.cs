using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>DUMP and RESTORE (the payload format: <see cref="DumpPayload"/>).</content>
internal static partial class KeyHandlers
{
    private static void RegisterDump(List<CommandSpec> t)
    {
        t.Add(new("dump", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, Dump));
        t.Add(new("restore", -4, CommandFlags.Write, 1, 1, 1, Restore));
    }

    private static void Dump(ref CommandContext ctx)
    {
        using var payload = new ByteBuffer();
        if (KeyDump.TryDump(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, payload))
        {
            ctx.Writer.WriteBulk(payload.WrittenSpan);
        }
        else
        {
            ctx.Writer.WriteNull();
        }
    }

    // Redis's restoreCommand: options first (syntax, IDLETIME, FREQ), then busy key, TTL and payload (in the writer).
    private static void Restore(ref CommandContext ctx)
    {
        bool replace = false;
        bool absoluteTtl = false;
        bool idleTime = false;
        bool frequency = false;
        for (int i = 4; i < ctx.Count; i++)
        {
            ReadOnlySpan<byte> opt = ctx[i];
            bool more = i + 1 < ctx.Count;
            if (ArgParser.Is(opt, "REPLACE"u8))
            {
                replace = true;
            }
            else if (ArgParser.Is(opt, "ABSTTL"u8))
            {
                absoluteTtl = true;
            }
            else if (ArgParser.Is(opt, "IDLETIME"u8) && more && !frequency)
            {
                if (!ArgParser.TryInt64(ctx[++i], out long idle))
                {
                    ctx.NotInteger();
                    return;
                }

                if (idle < 0)
                {
                    ctx.Error("ERR Invalid IDLETIME value, must be >= 0"u8);
                    return;
                }

                idleTime = true;
            }
            else if (ArgParser.Is(opt, "FREQ"u8) && more && !idleTime)
            {
                if (!ArgParser.TryInt64(ctx[++i], out long freq))
                {
                    ctx.NotInteger();
                    return;
                }

                if (freq is < 0 or > 255)
                {
                    ctx.Error("ERR Invalid FREQ value, must be >= 0 and <= 255"u8);
                    return;
                }

                frequency = true;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        ctx.Submit(KeyEntries.Restore(ctx.Target, ctx[1], ctx[2], ctx[3], replace, absoluteTtl));
    }
}
