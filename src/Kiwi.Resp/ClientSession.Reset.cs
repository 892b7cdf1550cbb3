using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <content>RESET: the connection back to the state it had when it connected.</content>
internal sealed partial class ClientSession
{
    /// <summary>
    /// RESET (Redis 7.0's clearClientConnectionState, for what this server has): out of MULTI, nothing watched, no
    /// subscriptions, database 0, RESP2, replies on, no name, and authenticated only when no password is required.
    /// </summary>
    internal void ResetConnection()
    {
        DiscardTransaction();
        UnwatchAll();
        UnsubscribeAll();
        Database = 0;
        Protocol = RespVersion.Resp2;
        RepliesOn();
        Name = null;
        Authenticated = Server.Settings.RequirePass is null;
    }
}
