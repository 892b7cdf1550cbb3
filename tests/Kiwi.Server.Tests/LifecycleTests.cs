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

    [Theory]
    [InlineData(1000, 16 * 1024, 8 * 1024)]
    [InlineData(1, 1024 * 1024, 512 * 1024)]
    public async Task Sigterm_while_a_long_keys_runs_stops_the_process_within_seconds(int keyCount, int keyLength, int patternLength)
    {
        // A KEYS that takes minutes even for a polynomial glob: "*aaa…b" tried against "aaa…" keys costs about
        // pattern × key byte comparisons per key. Many keys test the walk; one huge key, a single long match.
        using ServerProcess server = await ServerProcess.StartAsync();
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        int perMset = Math.Max(1, 320 * 1024 / keyLength);
        string body = new('a', keyLength - 4);
        for (int i = 0; i < keyCount; i += perMset)
        {
            var mset = new List<string> { "MSET" };
            for (int j = i; j < Math.Min(keyCount, i + perMset); j++)
            {
                mset.Add(body + j.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
                mset.Add("v");
            }

            Assert.Equal("+OK\r\n", await admin.CallAsync(RawClient.Command([.. mset])));
        }

        using RawClient keys = await RawClient.ConnectAsync(server.Port);
        await keys.SendAsync(RawClient.Command("KEYS", "*" + new string('a', patternLength) + "b"));
        await Poll.UntilAsync(async () => (await admin.CallAsync("CLIENT LIST\r\n")).Contains("cmd=keys", StringComparison.Ordinal), "KEYS never started");

        server.Terminate();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Task exited = server.Process.WaitForExitAsync();

        // The bound only catches the hang (the process used to live until KEYS ended); it exits in about a second.
        Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(20))) == exited, $"kiwi-server still ran {waited.Elapsed.TotalSeconds:F0} s after SIGTERM: {server.Output}");
        Assert.Equal(0, server.Process.ExitCode);

        // KEYS stopped, so storage closed cleanly instead of being left open by the bounded close in Program.
        Assert.DoesNotContain("storage did not close", server.Output, StringComparison.Ordinal);
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
