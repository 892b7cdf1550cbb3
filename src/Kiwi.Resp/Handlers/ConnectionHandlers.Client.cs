using System.Globalization;
using System.Text;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>CLIENT subcommands.</content>
internal static partial class ConnectionHandlers
{
    private static void Client(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> sub = ctx[1];
        ClientSession session = ctx.Session;
        if (ArgParser.Is(sub, "ID"u8) && ctx.Count == 2)
        {
            ctx.Writer.WriteInteger(session.Id);
        }
        else if (ArgParser.Is(sub, "SETNAME"u8) && ctx.Count == 3)
        {
            string name = Encoding.UTF8.GetString(ctx[2]);
            if (!ClientHandlersValidName(name))
            {
                ctx.Error("ERR Client names cannot contain spaces, newlines or special characters."u8);
                return;
            }

            session.Name = name.Length == 0 ? null : name;
            ctx.Writer.WriteOk();
        }
        else if (ArgParser.Is(sub, "GETNAME"u8) && ctx.Count == 2)
        {
            if (session.Name is null)
            {
                ctx.Writer.WriteNull();
            }
            else
            {
                ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(session.Name));
            }
        }
        else if (ArgParser.Is(sub, "SETINFO"u8) && ctx.Count == 4)
        {
            string value = Encoding.UTF8.GetString(ctx[3]);
            if (ArgParser.Is(ctx[2], "LIB-NAME"u8))
            {
                session.LibName = value;
            }
            else if (ArgParser.Is(ctx[2], "LIB-VER"u8))
            {
                session.LibVersion = value;
            }
            else
            {
                ctx.Error($"ERR Unrecognized option '{CommandErrors.Latin(ctx[2])}'");
                return;
            }

            ctx.Writer.WriteOk();
        }
        else if (ArgParser.Is(sub, "INFO"u8) && ctx.Count == 2)
        {
            ctx.Writer.WriteVerbatim(Encoding.UTF8.GetBytes(session.Describe() + "\n"));
        }
        else if (ArgParser.Is(sub, "LIST"u8))
        {
            var text = new StringBuilder();
            foreach (ClientSession client in ctx.Server.Clients.Values)
            {
                text.Append(client.Describe()).Append('\n');
            }

            ctx.Writer.WriteVerbatim(Encoding.UTF8.GetBytes(text.ToString()));
        }
        else if (ArgParser.Is(sub, "UNBLOCK"u8) && ctx.Count is 3 or 4)
        {
            ClientUnblock(ref ctx);
        }
        else if (ArgParser.Is(sub, "KILL"u8) && ctx.Count >= 3)
        {
            ClientKill(ref ctx);
        }
        else if ((ArgParser.Is(sub, "NO-EVICT"u8) || ArgParser.Is(sub, "NO-TOUCH"u8)) && ctx.Count == 3)
        {
            ctx.Writer.WriteOk();
        }
        else
        {
            ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{CommandErrors.Latin(sub)}'. Try CLIENT HELP.");
        }
    }

    private static void ClientKill(ref CommandContext ctx)
    {
        if (ctx.Count == 3)
        {
            // Old form: CLIENT KILL addr:port → OK or an error.
            string address = Encoding.UTF8.GetString(ctx[2]);
            foreach (ClientSession client in ctx.Server.Clients.Values)
            {
                if (client.RemoteAddress == address)
                {
                    client.Kill();
                    ctx.Writer.WriteOk();
                    return;
                }
            }

            ctx.Error("ERR No such client"u8);
            return;
        }

        long? id = null;
        string? addr = null;
        bool skipMe = true;
        for (int i = 2; i + 1 < ctx.Count; i += 2)
        {
            string value = Encoding.UTF8.GetString(ctx[i + 1]);
            if (ArgParser.Is(ctx[i], "ID"u8))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
                {
                    ctx.Error("ERR client-id should be greater than 0"u8);
                    return;
                }

                id = parsed;
            }
            else if (ArgParser.Is(ctx[i], "ADDR"u8))
            {
                addr = value;
            }
            else if (ArgParser.Is(ctx[i], "SKIPME"u8))
            {
                skipMe = !value.Equals("no", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        // CLIENT KILL <filter> <value> ...: the filters come in pairs, so the whole command has an even count.
        if ((ctx.Count & 1) != 0)
        {
            ctx.SyntaxError();
            return;
        }

        long killed = 0;
        foreach (ClientSession client in ctx.Server.Clients.Values)
        {
            if ((id is null || client.Id == id) && (addr is null || client.RemoteAddress == addr) && !(skipMe && client == ctx.Session))
            {
                client.Kill();
                killed++;
            }
        }

        ctx.Writer.WriteInteger(killed);
    }
}
