using System.Security.Cryptography;
using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <summary>Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, CLIENT, RESET.</summary>
internal static partial class ConnectionHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags C = CommandFlags.Connection | CommandFlags.Fast;
        t.Add(new("ping", -1, C | CommandFlags.PubSubAllowed, 0, 0, 0, Ping));
        t.Add(new("echo", 2, C, 0, 0, 0, static (ref CommandContext ctx) => ctx.Writer.WriteBulk(ctx[1])));
        t.Add(new("quit", -1, C | CommandFlags.NoAuth | CommandFlags.PubSubAllowed, 0, 0, 0, Quit));
        t.Add(new("select", 2, C, 0, 0, 0, Select));
        t.Add(new("auth", -2, C | CommandFlags.NoAuth, 0, 0, 0, Auth));
        t.Add(new("hello", -1, C | CommandFlags.NoAuth, 0, 0, 0, Hello));
        t.Add(new("client", -2, CommandFlags.Connection, 0, 0, 0, Client));
        t.Add(new("reset", 1, C | CommandFlags.NoAuth | CommandFlags.PubSubAllowed, 0, 0, 0, static (ref CommandContext ctx) =>
        {
            ctx.Session.ResetConnection();
            ctx.Writer.WriteSimpleString("RESET"u8);
        }));
    }

    private static void Ping(ref CommandContext ctx)
    {
        if (ctx.Count > 2)
        {
            ctx.Error("ERR wrong number of arguments for 'ping' command"u8);
        }
        else if (ctx.Session.InPubSubMode && ctx.Session.Protocol == RespVersion.Resp2)
        {
            // A RESP2 subscriber's PING is a push-shaped array, as Redis answers it.
            ctx.Writer.WriteArrayHeader(2);
            ctx.Writer.WriteBulk("pong"u8);
            ctx.Writer.WriteBulk(ctx.Count == 2 ? ctx[1] : default);
        }
        else if (ctx.Count == 2)
        {
            ctx.Writer.WriteBulk(ctx[1]);
        }
        else
        {
            ctx.Writer.WriteRaw(RespReplies.Pong);
        }
    }

    private static void Quit(ref CommandContext ctx)
    {
        ctx.Writer.WriteOk();
        ctx.Session.CloseRequested = true;
    }

    private static void Select(ref CommandContext ctx)
    {
        // The database is the session's own, in cluster mode too (every member has every database).
        if (!DatabaseHandlers.TryReadIndex(ref ctx, ctx[1], out long db))
        {
            return;
        }

        if (!KeyEntries.IsDatabase(ctx.Db, db))
        {
            ctx.Error(KeyEntries.DbOutOfRange);
            return;
        }

        ctx.Session.Database = (int)db;
        ctx.Writer.WriteOk();
    }

    private static void Auth(ref CommandContext ctx)
    {
        if (ctx.Count > 3)
        {
            ctx.SyntaxError();
            return;
        }

        ReadOnlySpan<byte> user = ctx.Count == 3 ? ctx[1] : "default"u8;
        ReadOnlySpan<byte> password = ctx[ctx.Count - 1];
        string? required = ctx.Server.Settings.RequirePass;
        if (required is null)
        {
            ctx.Error(ctx.Count == 3
                ? "WRONGPASS invalid username-password pair or user is disabled."u8
                : "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"u8);
            return;
        }

        if (!TryAuthenticate(ref ctx, user, password))
        {
            ctx.Error("WRONGPASS invalid username-password pair or user is disabled."u8);
            return;
        }

        ctx.Writer.WriteOk();
    }

    private static bool TryAuthenticate(ref CommandContext ctx, ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        string? required = ctx.Server.Settings.RequirePass;
        if (required is null)
        {
            return user.SequenceEqual("default"u8);
        }

        // Compare digests, like Redis's time_independent_strcmp over SHA-256: the time taken reveals neither
        // where the password differs nor how long it is.
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(required), expected);
        SHA256.HashData(password, given);
        bool ok = user.SequenceEqual("default"u8) & CryptographicOperations.FixedTimeEquals(expected, given);
        if (ok)
        {
            ctx.Session.Authenticated = true;
        }

        return ok;
    }

    private static void Hello(ref CommandContext ctx)
    {
        RespVersion version = ctx.Session.Protocol;
        int i = 1;
        if (ctx.Count > 1)
        {
            if (!ArgParser.TryInt64(ctx[1], out long requested))
            {
                ctx.Error("ERR Protocol version is not an integer or out of range"u8);
                return;
            }

            if (requested is < 2 or > 3)
            {
                ctx.Error("NOPROTO unsupported protocol version"u8);
                return;
            }

            version = (RespVersion)requested;
            i = 2;
        }

        string? name = null;
        bool authGiven = false;
        for (; i < ctx.Count; i++)
        {
            bool more = i + 1 < ctx.Count;
            if (ArgParser.Is(ctx[i], "AUTH"u8) && i + 2 < ctx.Count)
            {
                if (!TryAuthenticate(ref ctx, ctx[i + 1], ctx[i + 2]) && ctx.Server.Settings.RequirePass is not null)
                {
                    ctx.Error("WRONGPASS invalid username-password pair or user is disabled."u8);
                    return;
                }

                authGiven = true;
                i += 2;
            }
            else if (ArgParser.Is(ctx[i], "SETNAME"u8) && more)
            {
                name = Encoding.UTF8.GetString(ctx[i + 1]);
                if (!ClientHandlersValidName(name))
                {
                    ctx.Error("ERR Client names cannot contain spaces, newlines or special characters."u8);
                    return;
                }

                i++;
            }
            else
            {
                ctx.Error($"ERR Syntax error in HELLO option '{CommandErrors.Latin(ctx[i])}'");
                return;
            }
        }

        if (!ctx.Session.Authenticated)
        {
            ctx.Error(authGiven ? "WRONGPASS invalid username-password pair or user is disabled."u8 : "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"u8);
            return;
        }

        if (name is not null)
        {
            ctx.Session.Name = name;
        }

        ctx.Session.Protocol = version;
        var writer = new RespWriter(ctx.Writer.Output, version);
        writer.WriteMapHeader(7);
        writer.WriteBulk("server"u8);
        writer.WriteBulk("redis"u8);
        writer.WriteBulk("version"u8);
        writer.WriteBulk(ServerInfo.RedisVersion);
        writer.WriteBulk("proto"u8);
        writer.WriteInteger((int)version);
        writer.WriteBulk("id"u8);
        writer.WriteInteger(ctx.Session.Id);
        writer.WriteBulk("mode"u8);
        writer.WriteBulk("standalone"u8);
        writer.WriteBulk("role"u8);
        writer.WriteBulk("master"u8);
        writer.WriteBulk("modules"u8);
        writer.WriteArrayHeader(0);
    }

    internal static bool ClientHandlersValidName(string name)
    {
        foreach (char c in name)
        {
            if (c < '!' || c > '~')
            {
                return false;
            }
        }

        return true;
    }
}
