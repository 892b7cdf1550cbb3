namespace Kiwi.Server.Tests.Lists;

/// <summary>A server stops cleanly while clients are blocked (its own server: the test disposes it).</summary>
public sealed class BlockingShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_with_blocked_clients_completes_and_closes_them()
    {
        var server = TestServer.Start();
        var clients = new List<RawClient>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                RawClient client = await RawClient.ConnectAsync(server.Port);
                await client.SendAsync(RawClient.Command("BLPOP", "shutdown:k" + i, "shutdown:all", "0"));
                clients.Add(client);
            }

            await Poll.UntilAsync(() => Task.FromResult(server.Db.Blocking.Count == 3), "the clients did not block");
        }
        finally
        {
            Task stop = Task.Run(server.Dispose);
            Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(Poll.Deadline)));
            await stop;
        }

        foreach (RawClient client in clients)
        {
            await client.ReadUntilClosedAsync();
            client.Dispose();
        }
    }
}
