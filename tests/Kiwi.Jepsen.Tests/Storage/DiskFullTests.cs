using System.Globalization;
using Kiwi.Server.Tests;

namespace Kiwi.Jepsen.Tests.Storage;

/// <summary>
/// A full disk, for real (a tmpfs this test mounts and fills): writes fail with a clear error, reads go on, nothing
/// acknowledged is lost, and writes resume by themselves once space returns (RocksDB recovers from a full disk
/// when its SST file manager sees enough free space: a memtable's worth).
/// </summary>
public sealed class DiskFullTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    // As a client library sends it: multibulk (an inline command may not be this long).
    private static string Resp(params string[] args)
    {
        var text = new System.Text.StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            text.Append('$').Append(arg.Length).Append("\r\n").Append(arg).Append("\r\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task Writes_fail_clearly_reads_go_on_and_writes_resume_when_space_returns_with_nothing_acknowledged_lost()
    {
        using TmpfsMount disk = TmpfsMount.Create(160);
        string value = new('x', 500_000);
        var acknowledged = new List<string>();
        string? refusal = null;
        using (TestServer server = TestServer.Start(c =>
        {
            c.Dir = Path.Combine(disk.Path, "db");
            c.Set("memory-budget", "256mb");
        }))
        {
            using RawClient client = await RawClient.ConnectAsync(server.Port);
            string filler = disk.Fill(leaveBytes: 6L * 1024 * 1024);

            // 500 KB values into the 6 MB left: the WAL runs out of space within a few dozen writes.
            for (int i = 0; i < 100 && refusal is null; i++)
            {
                string key = "k" + i.ToString(CultureInfo.InvariantCulture);
                string reply = await client.CallAsync(Resp("SET", key, value));
                if (reply == "+OK\r\n")
                {
                    acknowledged.Add(key);
                }
                else
                {
                    refusal = reply;
                }
            }

            Assert.NotNull(refusal);
            Assert.StartsWith("-ERR storage failure: the write was not applied", refusal, StringComparison.Ordinal);
            Assert.Contains("No space left on device", refusal, StringComparison.Ordinal);
            Assert.NotEmpty(acknowledged);

            // Still full: every write is refused, every read is served.
            Assert.StartsWith("-ERR storage failure", await client.CallAsync("SET small v\r\n"), StringComparison.Ordinal);
            Assert.Equal("$-1\r\n", await client.CallAsync("GET small\r\n"));
            foreach (string key in acknowledged)
            {
                Assert.Equal(":500000\r\n", await client.CallAsync($"STRLEN {key}\r\n"));
            }

            Assert.Equal("+PONG\r\n", await client.CallAsync("PING\r\n"));

            // Space returns: writes resume without a restart.
            File.Delete(filler);
            DateTime deadline = DateTime.UtcNow + s_deadline;
            string last;
            while ((last = await client.CallAsync("SET after space\r\n")) != "+OK\r\n")
            {
                Assert.True(DateTime.UtcNow < deadline, $"writes did not resume within {s_deadline.TotalSeconds} s of space returning: {last}");
                await Task.Delay(100);
            }

            Assert.Equal("$5\r\nspace\r\n", await client.CallAsync("GET after\r\n"));
            Assert.Equal("+OK\r\n", await client.CallAsync(Resp("SET", "later", value)));

            // Nothing acknowledged is lost across a restart either.
            await client.SendAsync("SHUTDOWN\r\n");
            Assert.Equal(string.Empty, await client.ReadUntilClosedAsync());
            Assert.Equal(0, await server.Run.WaitAsync(s_deadline));
            Kiwi.Core.KiwiDb reopened = server.ReopenDb();
            foreach (string key in acknowledged)
            {
                using Kiwi.Core.KiwiValue stored = reopened.Get(System.Text.Encoding.UTF8.GetBytes(key));
                Assert.Equal(500_000, stored.Span.Length);
            }

            Assert.Equal("space", reopened.GetString("after"));
        }
    }
}
