using System.Text;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>CLIENT KILL and CLIENT LIST with their filters, in Redis 7.0's order of checks.</content>
internal static partial class ConnectionHandlers
{
    /// <summary>Redis's client types (getClientTypeByName); every client here is a normal one (no replicas, no
    /// pub/sub sessions yet).</summary>
    private enum ClientType
    {
        Unknown,
        Normal,
        Replica,
        Master,
        PubSub,
    }

    private static ClientType ParseClientType(ReadOnlySpan<byte> name)
        => ArgParser.Is(name, "NORMAL"u8) ? ClientType.Normal
            : ArgParser.Is(name, "SLAVE"u8) || ArgParser.Is(name, "REPLICA"u8) ? ClientType.Replica
            : ArgParser.Is(name, "MASTER"u8) ? ClientType.Master
            : ArgParser.Is(name, "PUBSUB"u8) ? ClientType.PubSub
            : ClientType.Unknown;

    private static bool IsOfType(ClientSession client, ClientType type) => type == ClientType.Normal;

    private static void ClientList(ref CommandContext ctx)
    {
        ClientType type = ClientType.Unknown;
        HashSet<long>? ids = null;
        if (ctx.Count == 4 && ArgParser.Is(ctx[2], "TYPE"u8))
        {
            type = ParseClientType(ctx[3]);
            if (type == ClientType.Unknown)
            {
                ctx.Error($"ERR Unknown client type '{CommandErrors.Latin(ctx[3])}'");
                return;
            }
        }
        else if (ctx.Count > 3 && ArgParser.Is(ctx[2], "ID"u8))
        {
            ids = [];
            for (int i = 3; i < ctx.Count; i++)
            {
                if (!ArgParser.TryInt64(ctx[i], out long id))
                {
                    ctx.Error("ERR Invalid client ID"u8);
                    return;
                }

                ids.Add(id);
            }
        }
        else if (ctx.Count != 2)
        {
            ctx.SyntaxError();
            return;
        }

        var clients = new List<ClientSession>(ctx.Server.Clients.Values);
        clients.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var text = new StringBuilder();
        foreach (ClientSession client in clients)
        {
            if ((type == ClientType.Unknown || IsOfType(client, type)) && (ids is null || ids.Contains(client.Id)))
            {
                text.Append(client.Describe()).Append('\n');
            }
        }

        ctx.Writer.WriteVerbatim(Encoding.UTF8.GetBytes(text.ToString()));
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
                    ctx.Writer.WriteOk();
                    KillClient(ref ctx, client);
                    return;
                }
            }

            ctx.Error("ERR No such client"u8);
            return;
        }

        long? id = null;
        string? addr = null;
        string? laddr = null;
        ClientType type = ClientType.Unknown;
        bool skipMe = true;
        for (int i = 2; i < ctx.Count; i += 2)
        {
            if (i + 1 >= ctx.Count)
            {
                ctx.SyntaxError();
                return;
            }

            ReadOnlySpan<byte> option = ctx[i];
            ReadOnlySpan<byte> value = ctx[i + 1];
            if (ArgParser.Is(option, "ID"u8))
            {
                if (!ArgParser.TryInt64(value, out long parsed) || parsed <= 0)
                {
                    ctx.Error("ERR client-id should be greater than 0"u8);
                    return;
                }

                id = parsed;
            }
            else if (ArgParser.Is(option, "TYPE"u8))
            {
                type = ParseClientType(value);
                if (type == ClientType.Unknown)
                {
                    ctx.Error($"ERR Unknown client type '{CommandErrors.Latin(value)}'");
                    return;
                }
            }
            else if (ArgParser.Is(option, "ADDR"u8))
            {
                addr = Encoding.UTF8.GetString(value);
            }
            else if (ArgParser.Is(option, "LADDR"u8))
            {
                laddr = Encoding.UTF8.GetString(value);
            }
            else if (ArgParser.Is(option, "USER"u8))
            {
                // One user exists: "default", the user of every connection.
                if (!value.SequenceEqual("default"u8))
                {
                    ctx.Error($"ERR No such user '{CommandErrors.Latin(value)}'");
                    return;
                }
            }
            else if (ArgParser.Is(option, "SKIPME"u8))
            {
                if (ArgParser.Is(value, "YES"u8))
                {
                    skipMe = true;
                }
                else if (ArgParser.Is(value, "NO"u8))
                {
                    skipMe = false;
                }
                else
                {
                    ctx.SyntaxError();
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        long killed = 0;
        bool self = false;
        foreach (ClientSession client in ctx.Server.Clients.Values)
        {
            if ((id is null || client.Id == id) && (addr is null || client.RemoteAddress == addr)
                && (laddr is null || client.LocalAddress == laddr) && (type == ClientType.Unknown || IsOfType(client, type))
                && !(skipMe && client == ctx.Session))
            {
                if (client == ctx.Session)
                {
                    self = true;
                }
                else
                {
                    client.Kill();
                }

                killed++;
            }
        }

        ctx.Writer.WriteInteger(killed);
        if (self)
        {
            // As Redis: the killer's own connection closes after this reply.
            ctx.Session.CloseRequested = true;
        }
    }

    private static void KillClient(ref CommandContext ctx, ClientSession client)
    {
        if (client == ctx.Session)
        {
            ctx.Session.CloseRequested = true;
        }
        else
        {
            client.Kill();
        }
    }
}
