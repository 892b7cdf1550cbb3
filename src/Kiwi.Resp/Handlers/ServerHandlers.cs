using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;

namespace Kiwi.Resp.Handlers;

/// <summary>Server commands: INFO, TIME, FLUSHDB, FLUSHALL, CONFIG, COMMAND, SHUTDOWN.</summary>
internal static partial class ServerHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        t.Add(new("info", -1, CommandFlags.None, 0, 0, 0, Info));
        t.Add(new("time", 1, CommandFlags.Fast, 0, 0, 0, Time));
        t.Add(new("flushdb", -1, CommandFlags.Write, 0, 0, 0, static (ref CommandContext ctx) => Flush(ref ctx, all: false)));
        t.Add(new("flushall", -1, CommandFlags.Write, 0, 0, 0, static (ref CommandContext ctx) => Flush(ref ctx, all: true)));
        t.Add(new("config", -2, CommandFlags.Admin, 0, 0, 0, Config));
        t.Add(new("command", -1, CommandFlags.Connection, 0, 0, 0, Command));
        t.Add(new("shutdown", -1, CommandFlags.Admin | CommandFlags.NoAuth, 0, 0, 0, Shutdown));
        RegisterAdmin(t);
    }

    private static void Info(ref CommandContext ctx)
    {
        var sections = new List<string>();
        for (int i = 1; i < ctx.Count; i++)
        {
            sections.Add(Encoding.UTF8.GetString(ctx[i]));
        }

        ctx.Writer.WriteVerbatim(Encoding.UTF8.GetBytes(ServerInfo.Build(ctx.Server, sections, ctx.Cancellation)));
    }

    private static void Time(ref CommandContext ctx)
    {
        long micros = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        Span<byte> text = stackalloc byte[RedisNumbers.MaxInt64Length];
        ctx.Writer.WriteArrayHeader(2);
        ctx.Writer.WriteBulk(text[..RedisNumbers.Format(micros / 1_000_000, text)]);
        ctx.Writer.WriteBulk(text[..RedisNumbers.Format(micros % 1_000_000, text)]);
    }

    private static void Flush(ref CommandContext ctx, bool all)
    {
        if (ctx.Count > 2 || (ctx.Count == 2 && !ArgParser.Is(ctx[1], "ASYNC"u8) && !ArgParser.Is(ctx[1], "SYNC"u8)))
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Submit(KeyEntries.Flush(ctx.Target, all));
    }

    private static void Shutdown(ref CommandContext ctx)
    {
        for (int i = 1; i < ctx.Count; i++)
        {
            ReadOnlySpan<byte> opt = ctx[i];
            if (!(ArgParser.Is(opt, "NOSAVE"u8) || ArgParser.Is(opt, "SAVE"u8) || ArgParser.Is(opt, "NOW"u8) || ArgParser.Is(opt, "FORCE"u8) || ArgParser.Is(opt, "ABORT"u8)))
            {
                ctx.SyntaxError();
                return;
            }
        }

        if (!ctx.Session.Authenticated)
        {
            ctx.Error("NOAUTH Authentication required."u8);
            return;
        }

        // Like Redis, no reply: the connection closes as the server stops (writes already in flight finish).
        ctx.Session.CloseRequested = true;
        ctx.Server.ShutdownRequested?.Invoke();
    }

    private static void Command(ref CommandContext ctx)
    {
        if (ctx.Count == 1)
        {
            ctx.Writer.WriteArrayHeader(CommandTable.All.Count);
            foreach (CommandSpec spec in CommandTable.All)
            {
                WriteCommandInfo(ref ctx, spec);
            }

            return;
        }

        ReadOnlySpan<byte> sub = ctx[1];
        if (ArgParser.Is(sub, "COUNT"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "command", "count"))
            {
                ctx.Writer.WriteInteger(CommandTable.All.Count);
            }
        }
        else if (ArgParser.Is(sub, "GETKEYS"u8))
        {
            if (Subcommands.Arity(ref ctx, -4, "command", "getkeys"))
            {
                GetKeys(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "HELP"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "command", "help"))
            {
                Subcommands.Help(ref ctx, "COMMAND", s_commandHelp);
            }
        }
        else if (ArgParser.Is(sub, "INFO"u8))
        {
            if (ctx.Count == 2)
            {
                ctx.Writer.WriteArrayHeader(CommandTable.All.Count);
                foreach (CommandSpec spec in CommandTable.All)
                {
                    WriteCommandInfo(ref ctx, spec);
                }

                return;
            }

            ctx.Writer.WriteArrayHeader(ctx.Count - 2);
            for (int i = 2; i < ctx.Count; i++)
            {
                CommandSpec? spec = CommandTable.Find(ctx[i]);
                if (spec is null)
                {
                    // Redis's addReplyNull: "$-1" in RESP2, not a null array.
                    ctx.Writer.WriteNull();
                }
                else
                {
                    WriteCommandInfo(ref ctx, spec);
                }
            }
        }
        else if (ArgParser.Is(sub, "DOCS"u8))
        {
            var specs = new List<CommandSpec>();
            for (int i = 2; i < ctx.Count; i++)
            {
                if (CommandTable.Find(ctx[i]) is CommandSpec spec)
                {
                    specs.Add(spec);
                }
            }

            if (ctx.Count == 2)
            {
                specs.AddRange(CommandTable.All);
            }

            ctx.Writer.WriteMapHeader(specs.Count);
            foreach (CommandSpec spec in specs)
            {
                ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes(spec.Name));
                ctx.Writer.WriteMapHeader(2);
                ctx.Writer.WriteBulk("summary"u8);
                ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes($"The {spec.Name.ToUpperInvariant()} command."));
                ctx.Writer.WriteBulk("group"u8);
                ctx.Writer.WriteBulk(spec.IsWrite || (spec.Flags & CommandFlags.ReadOnly) != 0 ? "keyspace"u8 : "server"u8);
            }
        }
        else if (ArgParser.Is(sub, "LIST"u8))
        {
            ctx.Writer.WriteArrayHeader(CommandTable.All.Count);
            foreach (CommandSpec spec in CommandTable.All)
            {
                ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes(spec.Name));
            }
        }
        else
        {
            Subcommands.Unknown(ref ctx, "COMMAND");
        }
    }

    /// <summary>COMMAND INFO's 10-element entry: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands.</summary>
    private static void WriteCommandInfo(ref CommandContext ctx, CommandSpec spec)
    {
        ctx.Writer.WriteArrayHeader(10);
        ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes(spec.Name));
        ctx.Writer.WriteInteger(spec.Arity);
        var flags = new List<string>();
        if (spec.IsWrite)
        {
            flags.Add("write");
        }

        if ((spec.Flags & CommandFlags.ReadOnly) != 0)
        {
            flags.Add("readonly");
        }

        if ((spec.Flags & CommandFlags.Admin) != 0)
        {
            flags.Add("admin");
        }

        if ((spec.Flags & CommandFlags.Fast) != 0)
        {
            flags.Add("fast");
        }

        if ((spec.Flags & CommandFlags.NoAuth) != 0)
        {
            flags.Add("no_auth");
        }

        if ((spec.Flags & CommandFlags.Blocking) != 0)
        {
            flags.Add("blocking");
        }

        ctx.Writer.WriteSetHeader(flags.Count);
        foreach (string flag in flags)
        {
            ctx.Writer.WriteSimpleString(Encoding.ASCII.GetBytes(flag));
        }

        ctx.Writer.WriteInteger(spec.FirstKey);
        ctx.Writer.WriteInteger(spec.LastKey);
        ctx.Writer.WriteInteger(spec.Step);
        ctx.Writer.WriteSetHeader(0);
        ctx.Writer.WriteSetHeader(0);
        ctx.Writer.WriteArrayHeader(0);
        ctx.Writer.WriteArrayHeader(0);
    }
}
