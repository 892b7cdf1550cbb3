using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>CLIENT UNBLOCK id [TIMEOUT|ERROR], with Redis's checks in its order.</content>
internal static partial class ConnectionHandlers
{
    private static void ClientUnblock(ref CommandContext ctx)
    {
        bool error = false;
        if (ctx.Count == 4)
        {
            error = ArgParser.Is(ctx[3], "ERROR"u8);
            if (!error && !ArgParser.Is(ctx[3], "TIMEOUT"u8))
            {
                ctx.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"u8);
                return;
            }
        }

        if (!ArgParser.TryInt64(ctx[2], out long id))
        {
            ctx.NotInteger();
            return;
        }

        bool unblocked = ctx.Server.Clients.TryGetValue(id, out ClientSession? target) && target.Unblock(error);
        ctx.Writer.WriteInteger(unblocked ? 1 : 0);
    }
}
