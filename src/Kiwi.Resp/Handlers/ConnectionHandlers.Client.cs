using System.Text;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>CLIENT subcommands (KILL and LIST filters: ConnectionHandlers.ClientKill.cs).</content>
internal static partial class ConnectionHandlers
{
    private static readonly string[] s_clientHelp =
    [
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <LIB-NAME|LIB-VER> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
    ];

    private static void Client(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> sub = ctx[1];
        ClientSession session = ctx.Session;
        if (ArgParser.Is(sub, "ID"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "id"))
            {
                ctx.Writer.WriteInteger(session.Id);
            }
        }
        else if (ArgParser.Is(sub, "SETNAME"u8))
        {
            if (Subcommands.Arity(ref ctx, 3, "client", "setname"))
            {
                ClientSetName(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "GETNAME"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "getname"))
            {
                WriteOptional(ref ctx, session.Name);
            }
        }
        else if (ArgParser.Is(sub, "SETINFO"u8))
        {
            if (Subcommands.Arity(ref ctx, 4, "client", "setinfo"))
            {
                ClientSetInfo(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "INFO"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "info"))
            {
                ctx.Writer.WriteVerbatim(Encoding.UTF8.GetBytes(session.Describe() + "\n"));
            }
        }
        else if (ArgParser.Is(sub, "LIST"u8))
        {
            ClientList(ref ctx);
        }
        else if (ArgParser.Is(sub, "UNBLOCK"u8))
        {
            if (Subcommands.Arity(ref ctx, -3, "client", "unblock"))
            {
                if (ctx.Count > 4)
                {
                    ctx.SyntaxError();
                    return;
                }

                ClientUnblock(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "KILL"u8))
        {
            if (Subcommands.Arity(ref ctx, -3, "client", "kill"))
            {
                ClientKill(ref ctx);
            }
        }
        else
        {
            ClientModes(ref ctx, sub);
        }
    }

    // The subcommands that set a mode of this client or the server: PAUSE, UNPAUSE, REPLY, NO-EVICT, NO-TOUCH, and
    // the tracking probes (tracking is not implemented: it reports off).
    private static void ClientModes(ref CommandContext ctx, ReadOnlySpan<byte> sub)
    {
        if (ArgParser.Is(sub, "PAUSE"u8))
        {
            if (Subcommands.Arity(ref ctx, -3, "client", "pause"))
            {
                ClientPause(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "UNPAUSE"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "unpause"))
            {
                ctx.Server.Pause.End();
                ctx.Writer.WriteOk();
            }
        }
        else if (ArgParser.Is(sub, "REPLY"u8))
        {
            if (Subcommands.Arity(ref ctx, 3, "client", "reply"))
            {
                ClientReply(ref ctx);
            }
        }
        else if (ArgParser.Is(sub, "NO-EVICT"u8) || ArgParser.Is(sub, "NO-TOUCH"u8))
        {
            // Nothing is evicted and access times are not tracked: both modes are accepted and change nothing.
            if (Subcommands.Arity(ref ctx, 3, "client", ArgParser.Is(sub, "NO-EVICT"u8) ? "no-evict" : "no-touch"))
            {
                if (ArgParser.Is(ctx[2], "ON"u8) || ArgParser.Is(ctx[2], "OFF"u8))
                {
                    ctx.Writer.WriteOk();
                }
                else
                {
                    ctx.SyntaxError();
                }
            }
        }
        else if (ArgParser.Is(sub, "TRACKINGINFO"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "trackinginfo"))
            {
                ctx.Writer.WriteMapHeader(3);
                ctx.Writer.WriteBulk("flags"u8);
                ctx.Writer.WriteSetHeader(1);
                ctx.Writer.WriteSimpleString("off"u8);
                ctx.Writer.WriteBulk("redirect"u8);
                ctx.Writer.WriteInteger(-1);
                ctx.Writer.WriteBulk("prefixes"u8);
                ctx.Writer.WriteArrayHeader(0);
            }
        }
        else if (ArgParser.Is(sub, "GETREDIR"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "getredir"))
            {
                ctx.Writer.WriteInteger(-1);
            }
        }
        else if (ArgParser.Is(sub, "HELP"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "client", "help"))
            {
                Subcommands.Help(ref ctx, "CLIENT", s_clientHelp);
            }
        }
        else
        {
            Subcommands.Unknown(ref ctx, "CLIENT");
        }
    }

    private static void ClientSetName(ref CommandContext ctx)
    {
        string name = Encoding.UTF8.GetString(ctx[2]);
        if (!ClientHandlersValidName(name))
        {
            ctx.Error("ERR Client names cannot contain spaces, newlines or special characters."u8);
            return;
        }

        ctx.Session.Name = name.Length == 0 ? null : name;
        ctx.Writer.WriteOk();
    }

    private static void ClientSetInfo(ref CommandContext ctx)
    {
        bool libName = ArgParser.Is(ctx[2], "LIB-NAME"u8);
        if (!libName && !ArgParser.Is(ctx[2], "LIB-VER"u8))
        {
            ctx.Error($"ERR Unrecognized option '{CommandErrors.Latin(ctx[2])}'");
            return;
        }

        string value = Encoding.UTF8.GetString(ctx[3]);
        if (!ClientHandlersValidName(value))
        {
            ctx.Error(libName
                ? "ERR lib-name cannot contain spaces, newlines or special characters."u8
                : "ERR lib-ver cannot contain spaces, newlines or special characters."u8);
            return;
        }

        if (libName)
        {
            ctx.Session.LibName = value.Length == 0 ? null : value;
        }
        else
        {
            ctx.Session.LibVersion = value.Length == 0 ? null : value;
        }

        ctx.Writer.WriteOk();
    }

    private static void ClientPause(ref CommandContext ctx)
    {
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

        bool all = true;
        if (ctx.Count == 4)
        {
            all = ArgParser.Is(ctx[3], "ALL"u8);
            if (!all && !ArgParser.Is(ctx[3], "WRITE"u8))
            {
                ctx.Error("ERR CLIENT PAUSE mode must be WRITE or ALL"u8);
                return;
            }
        }
        else if (ctx.Count > 4)
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Server.Pause.Pause(timeout, all);
        ctx.Writer.WriteOk();
    }

    private static void ClientReply(ref CommandContext ctx)
    {
        if (ArgParser.Is(ctx[2], "ON"u8))
        {
            ctx.Session.RepliesOn();
            ctx.Writer.WriteOk();
        }
        else if (ArgParser.Is(ctx[2], "OFF"u8))
        {
            ctx.Session.RepliesOff();
        }
        else if (ArgParser.Is(ctx[2], "SKIP"u8))
        {
            ctx.Session.SkipNextReply();
        }
        else
        {
            ctx.SyntaxError();
        }
    }

    private static void WriteOptional(ref CommandContext ctx, string? value)
    {
        if (value is null)
        {
            ctx.Writer.WriteNull();
        }
        else
        {
            ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(value));
        }
    }
}
