using System.Text;

namespace Kiwi.Server.Tests;

/// <summary>
/// Write replies are completed on the writer thread, which must never run a client's next commands itself (it
/// could wait for ring space only it frees). A stress test of that path: a commit ring of 4 slots, many clients
/// pipelining writes in separate sends; every client gets every reply, in order. (The race it guards against is
/// narrow; this run is not guaranteed to hit it without the guard.)
/// </summary>
public sealed class WriterThreadTests
{
    [Fact]
    public async Task Pipelined_writes_from_many_clients_through_a_tiny_ring_all_complete()
    {
        using TestServer server = TestServer.Start(ringCapacity: 4);
        const int Clients = 8;
        const int PerClient = 500;
        var tasks = new Task[Clients];
        for (int c = 0; c < Clients; c++)
        {
            int id = c;
            tasks[c] = Task.Run(async () =>
            {
                using RawClient client = await RawClient.ConnectAsync(server.Port);

                // Separate sends: later commands arrive while earlier writes are in flight, so a session that
                // resumes on the writer thread finds new input waiting.
                byte[] chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"INCR wt:{id}\r\n", 10)));
                for (int i = 0; i < PerClient / 10; i++)
                {
                    await client.SendAsync(chunk);
                }

                await client.SendAsync($"GET wt:{id}\r\n");
                for (int i = 1; i <= PerClient; i++)
                {
                    Assert.Equal($":{i}\r\n", await client.ReadReplyAsync());
                }

                Assert.Equal($"$3\r\n{PerClient}\r\n", await client.ReadReplyAsync());
            });
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
