using System.Text.RegularExpressions;

namespace Kiwi.Server.Tests;

/// <summary>
/// Blocking commands over raw RESP: each blocked client is its own connection, and a test waits for the server's
/// "blocked_clients" in INFO (polled with a deadline), never for a fixed time.
/// </summary>
public abstract partial class RawBlockingTests(ServerFixture server)
{
    /// <summary>A new connection to the server.</summary>
    private protected Task<RawClient> Connect() => RawClient.ConnectAsync(server.Port);

    protected static string C(params string[] args) => RawClient.Command(args);

    protected static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    /// <summary>One command on a connection of its own: its raw reply.</summary>
    protected async Task<string> Call(params string[] args)
    {
        using RawClient client = await Connect();
        return await client.CallAsync(C(args));
    }

    protected async Task<int> BlockedClients()
    {
        string info = await Call("INFO", "clients");
        return int.Parse(BlockedLine().Match(info).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> clients are blocked (other tests of the class may block
    /// clients of their own at the same time).
    /// </summary>
    protected async Task WaitBlocked(int atLeast)
        => await Poll.UntilAsync(async () => await BlockedClients() >= atLeast, $"fewer than {atLeast} clients blocked");

    /// <summary>Sends a blocking command on a new connection and waits until the server counts it blocked.</summary>
    private protected async Task<RawClient> Blocked(params string[] args)
    {
        int before = await BlockedClients();
        RawClient client = await Connect();
        await client.SendAsync(C(args));
        await WaitBlocked(before + 1);
        return client;
    }

    [GeneratedRegex(@"blocked_clients:(\d+)")]
    private static partial Regex BlockedLine();
}
