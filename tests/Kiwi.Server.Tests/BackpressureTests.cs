using System.Net.Sockets;
using System.Text;

namespace Kiwi.Server.Tests;

/// <summary>
/// A client that pipelines far more replies than any buffer holds and never reads them must not stop the
/// server: the server stops reading from it, and everyone else is still served.
/// </summary>
public sealed class BackpressureTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Commands = 200_000;
    private const int ValueSize = 1024;

    [Fact]
    public async Task With_an_output_limit_a_client_that_never_reads_is_cut_off_and_the_others_are_served()
    {
        using TestServer limited = TestServer.Start();
        using RawClient admin = await RawClient.ConnectAsync(limited.Port);
        Assert.Equal("*2\r\n$26\r\nclient-output-buffer-limit\r\n$67\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\r\n", await admin.CallAsync("CONFIG GET client-output-buffer-limit\r\n"));
        Assert.Equal("+OK\r\n", await admin.CallAsync("CONFIG SET client-output-buffer-limit \"normal 0 1mb 1 pubsub 32mb 8mb 60\"\r\n"));
        Assert.Contains("normal 0 1048576 1 ", await admin.CallAsync("CONFIG GET client-output-buffer-limit\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await admin.CallAsync("CONFIG SET client-output-buffer-limit \"normal 0 1mb\"\r\n"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await admin.CallAsync($"SET bp:k {new string('v', ValueSize)}\r\n"));

        using RawClient stuck = await RawClient.ConnectAsync(limited.Port);
        Assert.Equal("+OK\r\n", await stuck.CallAsync("CLIENT SETNAME bp-cut\r\n"));
        using var stopWriter = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task writer = Task.Run(async () =>
        {
            byte[] chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET bp:k\r\n", 1000)));
            try
            {
                for (int i = 0; i < Commands / 1000; i++)
                {
                    await stuck.Socket.SendAsync(chunk, SocketFlags.None, stopWriter.Token);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Cut off: the server closed the connection.
            }
        });

        // Its buffer stays full for over a second: the server closes it, counts it, and serves everyone else.
        await Poll.UntilAsync(
            async () => !(await admin.CallAsync("CLIENT LIST\r\n")).Contains("name=bp-cut", StringComparison.Ordinal),
            "the client that never reads was not cut off");
        Assert.Matches(@"\r\nclient_output_buffer_limit_disconnections:1\r\n", await admin.CallAsync("INFO stats\r\n"));
        Assert.Equal("+PONG\r\n", await admin.CallAsync("PING\r\n"));
        stopWriter.Cancel();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_does_not_stop_the_server()
    {
        using RawClient setup = await RawClient.ConnectAsync(server.Port);
        string value = new('v', ValueSize);
        Assert.Equal("+OK\r\n", await setup.CallAsync($"SET bp:k {value}\r\n"));

        RawClient stuck = await RawClient.ConnectAsync(server.Port);
        Task writer;
        using var stopWriter = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Assert.Equal("+OK\r\n", await stuck.CallAsync("CLIENT SETNAME bp-stuck\r\n"));

            // 200k GETs of a 1 KB value: about 200 MB of replies that the client will never read.
            writer = Task.Run(async () =>
            {
                byte[] chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET bp:k\r\n", 1000)));
                for (int i = 0; i < Commands / 1000; i++)
                {
                    await stuck.Socket.SendAsync(chunk, SocketFlags.None, stopWriter.Token);
                }
            });

            // The server has replied to the stuck client more than its socket buffers can take.
            await Poll.UntilAsync(() => Task.FromResult(stuck.Socket.Available >= 16 * 1024), "the stuck client never got replies");

            using RawClient other = await RawClient.ConnectAsync(server.Port);
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal("+PONG\r\n", await other.CallAsync("PING\r\n"));
                Assert.Equal("+OK\r\n", await other.CallAsync($"SET bp:other{i} {i}\r\n"));
                Assert.Equal($"${i.ToString().Length}\r\n{i}\r\n", await other.CallAsync($"GET bp:other{i}\r\n"));
            }

            Assert.Contains("name=bp-stuck", await other.CallAsync("CLIENT LIST\r\n"), StringComparison.Ordinal);
        }
        finally
        {
            stuck.Dispose();
        }

        // Closing the stuck socket ends its session on the server, even while it waits to write.
        try
        {
            await writer;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The writer was still blocked on a server that had stopped reading from it.
        }

        using RawClient check = await RawClient.ConnectAsync(server.Port);
        await Poll.UntilAsync(
            async () => !(await check.CallAsync("CLIENT LIST\r\n")).Contains("name=bp-stuck", StringComparison.Ordinal),
            "the server kept the stuck client's session after the client closed");
        Assert.Equal("+PONG\r\n", await check.CallAsync("PING\r\n"));
    }
}
