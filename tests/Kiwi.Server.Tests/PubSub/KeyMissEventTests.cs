namespace Kiwi.Server.Tests.PubSub;

/// <summary>
/// Key-miss events (class m) and the database number of event channels after SWAPDB, as redis-server 7.0.15 sends
/// them to the same commands: a read that looks up a missing key publishes <c>keymiss</c> (OBJECT, a WRONGTYPE or
/// an argument error do not), so do the writes that read their key as GET does; a read queued in MULTI does when EXEC
/// runs it. The class has its own server
/// (notify-keyspace-events is server-wide); its tests run one after another.
/// </summary>
public sealed class KeyMissEventTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    [Fact]
    public async Task Reads_of_missing_keys_publish_keymiss_on_both_channels()
    {
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(admin, "CONFIG", "SET", "notify-keyspace-events", "KEm"));
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("*3\r\n$10\r\npsubscribe\r\n", await Call(sub, "PSUBSCRIBE", "__key*__:*"));
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("$-1\r\n", await Call(c, "GET", "km:none"));
        Assert.Equal("+OK\r\n", await Call(c, "SET", "km:a", "1"));
        Assert.Equal("$1\r\n1\r\n", await Call(c, "GET", "km:a"));
        Assert.Equal("*2\r\n$1\r\n1\r\n$-1\r\n", await Call(c, "MGET", "km:a", "km:b"));
        Assert.StartsWith("-WRONGTYPE", await Call(c, "HGET", "km:a", "f"));
        Assert.Equal("$-1\r\n", await Call(c, "ZSCORE", "km:z", "m"));
        Assert.Equal(":0\r\n", await Call(c, "EXISTS", "km:e"));
        Assert.Equal("$0\r\n\r\n", await Call(c, "LCS", "km:a", "km:c"));
        Assert.Equal("$-1\r\n", await Call(c, "OBJECT", "ENCODING", "km:o"));
        Assert.Equal(":0\r\n", await Call(c, "SINTERCARD", "2", "km:s1", "km:s2"));
        Assert.StartsWith("-ERR min or max", await Call(c, "ZCOUNT", "km:z", "1", "x"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "GET", "km:t"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "km:t", "1"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "GET", "km:t"));
        Assert.Equal("*3\r\n$-1\r\n+OK\r\n$1\r\n1\r\n", await Call(c, "EXEC"));

        // Writes that read their key first as GET does (Redis's lookupKeyRead): GETDEL, GETEX with options, SET GET,
        // GETSET, COPY's source, the sources of the *STORE commands and BITOP; not other writes (INCR).
        Assert.Equal("$-1\r\n", await Call(c, "GETDEL", "km:w1"));
        Assert.Equal("$-1\r\n", await Call(c, "GETEX", "km:w2", "PX", "100"));
        Assert.Equal("$-1\r\n", await Call(c, "SET", "km:w3", "v", "GET"));
        Assert.Equal("$-1\r\n", await Call(c, "GETSET", "km:w4", "v"));
        Assert.Equal(":0\r\n", await Call(c, "COPY", "km:w5", "km:w6"));
        Assert.Equal(":1\r\n", await Call(c, "INCR", "km:w7"));
        Assert.Equal(":0\r\n", await Call(c, "SINTERSTORE", "km:d1", "km:x1", "km:x2"));
        Assert.Equal(":0\r\n", await Call(c, "ZUNIONSTORE", "km:d2", "1", "km:x3"));
        Assert.Equal(":0\r\n", await Call(c, "BITOP", "AND", "km:d3", "km:x4"));
        Assert.Equal(":0\r\n", await Call(c, "ZRANGESTORE", "km:d4", "km:x5", "0", "-1"));

        await ExpectAsync(sub, admin, "__keyspace@0__:km:none keymiss", "__keyevent@0__:keymiss km:none", "__keyspace@0__:km:b keymiss", "__keyevent@0__:keymiss km:b", "__keyspace@0__:km:z keymiss", "__keyevent@0__:keymiss km:z", "__keyspace@0__:km:e keymiss", "__keyevent@0__:keymiss km:e", "__keyspace@0__:km:c keymiss", "__keyevent@0__:keymiss km:c", "__keyspace@0__:km:s1 keymiss", "__keyevent@0__:keymiss km:s1", "__keyspace@0__:km:s2 keymiss", "__keyevent@0__:keymiss km:s2", "__keyspace@0__:km:t keymiss", "__keyevent@0__:keymiss km:t", "__keyspace@0__:km:w1 keymiss", "__keyevent@0__:keymiss km:w1", "__keyspace@0__:km:w2 keymiss", "__keyevent@0__:keymiss km:w2", "__keyspace@0__:km:w3 keymiss", "__keyevent@0__:keymiss km:w3", "__keyspace@0__:km:w4 keymiss", "__keyevent@0__:keymiss km:w4", "__keyspace@0__:km:w5 keymiss", "__keyevent@0__:keymiss km:w5", "__keyspace@0__:km:x1 keymiss", "__keyevent@0__:keymiss km:x1", "__keyspace@0__:km:x2 keymiss", "__keyevent@0__:keymiss km:x2", "__keyspace@0__:km:x3 keymiss", "__keyevent@0__:keymiss km:x3", "__keyspace@0__:km:x4 keymiss", "__keyevent@0__:keymiss km:x4", "__keyspace@0__:km:x5 keymiss", "__keyevent@0__:keymiss km:x5");

        // Without m: nothing.
        Assert.Equal("+OK\r\n", await Call(admin, "CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("$-1\r\n", await Call(c, "GET", "km:none"));
        await ExpectAsync(sub, admin);
        Assert.Equal("+OK\r\n", await Call(admin, "CONFIG", "SET", "notify-keyspace-events", string.Empty));
    }

    [Fact]
    public async Task After_swapdb_events_name_the_database_the_client_selected()
    {
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(admin, "CONFIG", "SET", "notify-keyspace-events", "KEg$m"));
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("*3\r\n$10\r\npsubscribe\r\n", await Call(sub, "PSUBSCRIBE", "__key*__:*"));
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "8"));
        Assert.Equal("+OK\r\n", await Call(c, "SWAPDB", "8", "9"));
        Assert.Equal("+OK\r\n", await Call(c, "SET", "sw:a", "1"));
        Assert.Equal(":1\r\n", await Call(c, "DEL", "sw:a"));
        Assert.Equal("$-1\r\n", await Call(c, "GET", "sw:a"));
        Assert.Equal("+OK\r\n", await Call(c, "SWAPDB", "8", "9"));
        await ExpectAsync(sub, admin, "__keyspace@8__:sw:a set", "__keyevent@8__:set sw:a", "__keyspace@8__:sw:a del", "__keyevent@8__:del sw:a", "__keyspace@8__:sw:a keymiss", "__keyevent@8__:keymiss sw:a");
        Assert.Equal("+OK\r\n", await Call(admin, "CONFIG", "SET", "notify-keyspace-events", string.Empty));
    }

    // Exactly these messages ("channel message"), then a marker published after them.
    private static async Task ExpectAsync(RawClient sub, RawClient admin, params string[] expected)
    {
        Assert.Equal(":1\r\n", await Call(admin, "PUBLISH", "__keymark__:end", "end"));
        var got = new List<string>();
        while (true)
        {
            string[] parts = (await sub.ReadReplyAsync()).Split("\r\n");
            Assert.Equal("pmessage", parts[2]);
            string next = parts[6] + " " + parts[8];
            if (next == "__keymark__:end end")
            {
                break;
            }

            got.Add(next);
        }

        Assert.Equal(expected, got);
    }
}
