using System.Globalization;
using System.Text;
using Kiwi.Server.Tests;

namespace Kiwi.Jepsen.Tests.Storage;

/// <summary>
/// kill -9 of kiwi-server under load, 20 rounds on the same data directory with <c>appendfsync always</c>: every
/// write it acknowledged (its +OK read by the client before the kill) is there after each restart.
/// </summary>
public sealed class KillNineTests
{
    private const int Rounds = 20;
    private const int Clients = 4;
    private const int AcksPerRound = 200;

    [Fact]
    public async Task Twenty_kills_under_load_lose_no_acknowledged_write()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kiwi-kill9-" + Guid.NewGuid().ToString("N"));
        var acknowledged = new List<string>();
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                using ServerProcess server = await ServerProcess.StartAsync(dir, "--appendfsync", "always");
                await CheckAsync(server.Port, acknowledged, round);

                // Clients write distinct keys, pipelined, until the round has its acks; then the kill lands while
                // they keep writing.
                using var stop = new CancellationTokenSource();
                var roundAcks = new List<string>[Clients];
                Task[] writers = new Task[Clients];
                for (int c = 0; c < Clients; c++)
                {
                    var acks = roundAcks[c] = [];
                    string prefix = $"r{round}c{c}k";
                    writers[c] = Task.Run(() => WriteUntilCutAsync(server.Port, prefix, acks, stop.Token));
                }

                DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (Count(roundAcks) < AcksPerRound)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"round {round}: only {Count(roundAcks)} acks in 60 s");
                    await Task.Delay(5);
                }

                server.Process.Kill(entireProcessTree: true);
                await server.Process.WaitForExitAsync();
                stop.Cancel();
                await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
                foreach (List<string> acks in roundAcks)
                {
                    acknowledged.AddRange(acks);
                }
            }

            using ServerProcess last = await ServerProcess.StartAsync(dir, "--appendfsync", "always");
            await CheckAsync(last.Port, acknowledged, Rounds);
            Assert.True(acknowledged.Count >= Rounds * AcksPerRound, $"{acknowledged.Count} acks");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static int Count(List<string>[] lists)
    {
        int n = 0;
        foreach (List<string>? list in lists)
        {
            if (list is not null)
            {
                lock (list)
                {
                    n += list.Count;
                }
            }
        }

        return n;
    }

    // SETs key=key, 8 in flight: an OK read back is an acknowledged write; a cut connection ends the writer.
    private static async Task WriteUntilCutAsync(int port, string prefix, List<string> acks, CancellationToken stop)
    {
        using RawClient client = await RawClient.ConnectAsync(port);
        var pending = new Queue<string>();
        int next = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = new StringBuilder();
                for (int i = 0; i < 8; i++)
                {
                    string key = prefix + next++.ToString(CultureInfo.InvariantCulture);
                    pending.Enqueue(key);
                    batch.Append(CultureInfo.InvariantCulture, $"SET {key} {key}\r\n");
                }

                await client.SendAsync(batch.ToString());
                while (pending.Count > 0)
                {
                    string reply = await client.ReadReplyAsync();
                    Assert.Equal("+OK\r\n", reply);
                    string key = pending.Dequeue();
                    lock (acks)
                    {
                        acks.Add(key);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException)
        {
            // The kill cut the connection: what was not read back is unknown, and not counted.
        }
    }

    private static async Task CheckAsync(int port, List<string> acknowledged, int round)
    {
        using RawClient client = await RawClient.ConnectAsync(port);
        foreach (string key in acknowledged)
        {
            string reply = await client.CallAsync($"GET {key}\r\n");
            Assert.True(reply == $"${key.Length}\r\n{key}\r\n", $"after kill {round}: acknowledged {key} reads {reply.Trim()}");
        }
    }
}
