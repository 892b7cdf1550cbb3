using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>Tests that need a server of their own: SHUTDOWN and maxclients.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Shutdown_stops_the_server_and_the_data_survives_reopening()
    {
        using TestServer server = TestServer.Start();
        await using (ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString()))
        {
            IDatabase db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("lc:kept", "before shutdown"));
            Assert.Equal(3, await db.StringIncrementAsync("lc:counter", 3));
        }

        using (RawClient client = await RawClient.ConnectAsync(server.Port))
        {
            await client.SendAsync("SHUTDOWN\r\n");
            Assert.Equal(string.Empty, await client.ReadUntilClosedAsync());
        }

        // RunAsync returns by itself; WaitAsync only bounds how long the test waits for it.
        Assert.Equal(0, await server.Run.WaitAsync(Poll.Deadline));

        Kiwi.Core.KiwiDb reopened = server.ReopenDb();
        Assert.Equal("before shutdown", reopened.GetString("lc:kept"));
        Assert.Equal("3", reopened.GetString("lc:counter"));
    }

    [Fact]
    public async Task The_client_past_maxclients_is_refused()
    {
        using TestServer server = TestServer.Start(static c => c.MaxClients = 2);
        using RawClient first = await RawClient.ConnectAsync(server.Port);
        using RawClient second = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+PONG\r\n", await first.CallAsync("PING\r\n"));
        Assert.Equal("+PONG\r\n", await second.CallAsync("PING\r\n"));

        using (RawClient third = await RawClient.ConnectAsync(server.Port))
        {
            Assert.Equal("-ERR max number of clients reached\r\n", await third.ReadUntilClosedAsync());
        }

        Assert.Equal("+PONG\r\n", await first.CallAsync("PING\r\n"));
        first.Dispose();
        await Poll.UntilAsync(
            async () =>
            {
                using RawClient again = await RawClient.ConnectAsync(server.Port);
                try
                {
                    return await again.CallAsync("PING\r\n") == "+PONG\r\n";
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                {
                    return false;
                }
            },
            "a slot freed by a closed client was never reused");
    }
}
