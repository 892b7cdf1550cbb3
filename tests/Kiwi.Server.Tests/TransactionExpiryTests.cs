namespace Kiwi.Server.Tests;

/// <summary>
/// Relative expiries queued in MULTI (SET PX, PSETEX, SETEX, PEXPIRE, EXPIRE, GETEX PX) count from the moment EXEC
/// runs them, as in Redis (checked on redis-server 7.0.15 with the same sequence: every PTTL 1499-1500 after a
/// second between queueing and EXEC), not from the moment they were queued.
/// </summary>
public sealed class TransactionExpiryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    private static async Task<long> Number(RawClient client, params string[] args)
    {
        string reply = await Call(client, args);
        Assert.StartsWith(":", reply);
        return long.Parse(reply[1..^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Relative_expiries_queued_in_multi_count_from_exec()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "MSET", "te:g", "v", "te:h", "v", "te:s", "v"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        string[][] queued =
        [
            ["SET", "te:a", "v", "PX", "1500"],
            ["PSETEX", "te:b", "1500", "v"],
            ["PEXPIRE", "te:g", "1500"],
            ["GETEX", "te:h", "PX", "1500"],
            ["EXPIRE", "te:s", "2"],
            ["SETEX", "te:x", "2", "v"],
            ["SET", "te:at", "v", "PXAT", "99999999999999"],
        ];
        foreach (string[] command in queued)
        {
            Assert.Equal("+QUEUED\r\n", await Call(c, command));
        }

        await Task.Delay(1000);
        Assert.Equal("*7\r\n+OK\r\n+OK\r\n:1\r\n$1\r\nv\r\n:1\r\n+OK\r\n+OK\r\n", await Call(c, "EXEC"));

        // Counted from queueing they would be about 500 ms (1 s) by now.
        foreach (string key in new[] { "te:a", "te:b", "te:g", "te:h" })
        {
            long pttl = await Number(c, "PTTL", key);
            Assert.InRange(pttl, 1000, 1500);
        }

        Assert.Equal(2, await Number(c, "TTL", "te:s"));
        Assert.Equal(2, await Number(c, "TTL", "te:x"));

        // Absolute times stay absolute; a relative time in the past still deletes, an invalid one is still refused.
        Assert.Equal(99999999999999, await Number(c, "PEXPIRETIME", "te:at"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "EXPIRE", "te:s", "-1"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "EXISTS", "te:s"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "te:c", "v", "EX", "0"));
        Assert.Equal("*3\r\n:1\r\n:0\r\n-ERR invalid expire time in 'set' command\r\n", await Call(c, "EXEC"));

        // Outside MULTI nothing changed.
        Assert.Equal("+OK\r\n", await Call(c, "SET", "te:o", "v", "PX", "60000"));
        Assert.InRange(await Number(c, "PTTL", "te:o"), 59000, 60000);
    }
}
