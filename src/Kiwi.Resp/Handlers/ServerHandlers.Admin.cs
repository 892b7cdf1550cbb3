using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>SAVE, BGSAVE, LASTSAVE, ROLE, WAIT, SLOWLOG and LOLWUT.</content>
internal static partial class ServerHandlers
{
    private static readonly string[] s_slowlogHelp =
    [
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    ];

    private static void RegisterAdmin(List<CommandSpec> t)
    {
        t.Add(new("save", 1, CommandFlags.Admin, 0, 0, 0, Save));
        t.Add(new("bgsave", -1, CommandFlags.Admin, 0, 0, 0, BgSave));
        t.Add(new("lastsave", 1, CommandFlags.Fast, 0, 0, 0, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ctx.Server.Saves.LastSaveUnix)));
        t.Add(new("role", 1, CommandFlags.Fast, 0, 0, 0, ReplicationInfo.WriteRole));
        t.Add(new("wait", 3, CommandFlags.None, 0, 0, 0, Wait));
        t.Add(new("slowlog", -2, CommandFlags.Admin, 0, 0, 0, Slowlog));
        t.Add(new("lolwut", -1, CommandFlags.ReadOnly | CommandFlags.Fast, 0, 0, 0, Lolwut));
        t.Add(new("memory", -2, CommandFlags.None, 0, 0, 0, Memory));
    }

    private static void Save(ref CommandContext ctx)
    {
        if (ctx.Server.Saves.Save() is { } error)
        {
            ctx.Error(error);
            return;
        }

        ctx.Writer.WriteOk();
    }

    private static void BgSave(ref CommandContext ctx)
    {
        if (ctx.Count > 2 || (ctx.Count == 2 && !ArgParser.Is(ctx[1], "SCHEDULE"u8)))
        {
            ctx.SyntaxError();
            return;
        }

        if (ctx.Server.Saves.StartBackground() is { } error)
        {
            ctx.Error(error);
            return;
        }

        ctx.Writer.WriteSimpleString("Background saving started"u8);
    }

    // Redis 7.0's order: the count, then the timeout. The count is answered at once (see
    // ReplicationInfo.Acknowledged), never waited for.
    private static void Wait(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[1], out _))
        {
            ctx.NotInteger();
            return;
        }

        if (!ArgParser.TryInt64(ctx[2], out long timeout))
        {
            ctx.Error("ERR timeout is not an integer or out of range"u8);
            return;
        }

        if (timeout < 0)
        {
            ctx.Error("ERR timeout is negative"u8);
            return;
        }

        ctx.Writer.WriteInteger(ReplicationInfo.Acknowledged(ctx.Db));
    }

    private static readonly SubcommandTable s_slowlog = new("slowlog", s_slowlogHelp,
    [
        new("GET", -2, SlowlogGet),
        new("LEN", 2, static (ref CommandContext ctx) => ctx.Writer.WriteInteger(ctx.Server.SlowLog.Count)),
        new("RESET", 2, static (ref CommandContext ctx) =>
        {
            ctx.Server.SlowLog.Reset();
            ctx.Writer.WriteOk();
        }),
    ]);

    private static void Slowlog(ref CommandContext ctx) => s_slowlog.Dispatch(ref ctx);

    private static void SlowlogGet(ref CommandContext ctx)
    {
        if (ctx.Count > 3)
        {
            ctx.Error("ERR wrong number of arguments for 'slowlog|get' command"u8);
            return;
        }

        long count = 10;
        if (ctx.Count == 3 && (!ArgParser.TryInt64(ctx[2], out count) || count < -1))
        {
            ctx.Error("ERR count should be greater than or equal to -1"u8);
            return;
        }

        ctx.Server.SlowLog.Write(ctx.Writer, count);
    }

    private static void Lolwut(ref CommandContext ctx)
    {
        if (ctx.Count != 1 && !(ctx.Count == 3 && ArgParser.Is(ctx[1], "VERSION"u8) && ArgParser.TryInt64(ctx[2], out _)))
        {
            // Redis ignores what it does not understand after VERSION n; anything else is a syntax error here.
            if (!(ctx.Count >= 3 && ArgParser.Is(ctx[1], "VERSION"u8)))
            {
                ctx.SyntaxError();
                return;
            }
        }

        string art =
            "      ,~~.\n" +
            "     (  9 )-_,\n" +
            "(\\___ )=='-'\n" +
            " \\ .   ) )\n" +
            "  \\ `-' /\n" +
            "   `~j-'\n" +
            "     \"=:\n\n" +
            "Kiwi.Fast. Redis ver. " + System.Text.Encoding.ASCII.GetString(ServerInfo.RedisVersion) + "\n";
        ctx.Writer.WriteVerbatim(System.Text.Encoding.ASCII.GetBytes(art));
    }
}
