using Kiwi.Resp;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Kiwi.Server;

/// <summary>Kestrel hands each accepted TCP connection here; the session speaks RESP over its pipes.</summary>
internal sealed class RespConnectionHandler(ServerState server, ILogger<RespConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        Interlocked.Increment(ref server.TotalConnections);
        if (server.Clients.Count >= server.Settings.MaxClients)
        {
            Interlocked.Increment(ref server.RejectedConnections);
            await connection.Transport.Output.WriteAsync("-ERR max number of clients reached\r\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        using var session = new ClientSession(server, connection.RemoteEndPoint?.ToString() ?? "?", connection.LocalEndPoint?.ToString() ?? "?");
        try
        {
            await session.RunAsync(connection.Transport.Input, connection.Transport.Output, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "client {Id} ({Address}) failed", session.Id, session.RemoteAddress);
        }
    }
}
