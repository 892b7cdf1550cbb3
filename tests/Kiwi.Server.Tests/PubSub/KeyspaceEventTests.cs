namespace Kiwi.Server.Tests.PubSub;

/// <summary>
/// Keyspace notifications, one test per class: each turns on its class alone (plus K or E), runs writes of several
/// types, and checks that exactly its events arrive, in apply order, with Redis 7.0's names (a marker published last
/// proves nothing else came). The tests of this class run one after another: notify-keyspace-events is server-wide.
/// </summary>
public sealed class KeyspaceEventTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Config_validates_and_shows_the_canonical_letters()
    {
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        await SetClassesAsync(admin, string.Empty);
        Assert.Equal("*2\r\n$22\r\nnotify-keyspace-events\r\n$0\r\n\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "GET", "notify-keyspace-events")));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "SET", "notify-keyspace-events", "KQ")));
        await SetClassesAsync(admin, "KEA");
        Assert.Equal("*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "GET", "notify-keyspace-events")));
        await SetClassesAsync(admin, "nxeK$gA");
        Assert.Equal("*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nAK\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "GET", "notify-keyspace-events")));
        await SetClassesAsync(admin, "tmdK");
        Assert.Equal("*2\r\n$22\r\nnotify-keyspace-events\r\n$4\r\ntdKm\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "GET", "notify-keyspace-events")));
        await SetClassesAsync(admin, string.Empty);
    }

    [Fact]
    public async Task Generic_events()
    {
        using RawClient sub = await WatchAsync("Kg", "kg:");
        await RunAsync("SET kg:a 1", "EXPIRE kg:a 100", "PERSIST kg:a", "RENAME kg:a kg:b", "COPY kg:b kg:c", "DEL kg:b kg:c kg:none", "SET kg:d 1", "EXPIRE kg:d 0", "HSET kg:h f v", "HDEL kg:h f");
        await ExpectAsync(sub, "kg:", "kg:a expire", "kg:a persist", "kg:a rename_from", "kg:b rename_to", "kg:c copy_to", "kg:b del", "kg:c del", "kg:d del", "kg:h del");
    }

    [Fact]
    public async Task String_events()
    {
        using RawClient sub = await WatchAsync("K$", "k$:");
        await RunAsync("SET k$:a v", "SET k$:a v NX", "APPEND k$:a w", "SETRANGE k$:a 0 x", "INCR k$:n", "DECRBY k$:n 3", "INCRBYFLOAT k$:f 1.5", "MSET k$:m 1 k$:o 2", "SETBIT k$:b 1 1", "BITOP NOT k$:c k$:b", "DEL k$:a", "LPUSH k$:l x");
        await ExpectAsync(sub, "k$:", "k$:a set", "k$:a append", "k$:a setrange", "k$:n incrby", "k$:n incrby", "k$:f incrbyfloat", "k$:m set", "k$:o set", "k$:b setbit", "k$:c set");
    }

    [Fact]
    public async Task List_events()
    {
        using RawClient sub = await WatchAsync("Kl", "kl:");
        await RunAsync("RPUSH kl:a x y z", "LPUSH kl:a w", "LSET kl:a 0 v", "LINSERT kl:a BEFORE v u", "LREM kl:a 1 u", "LTRIM kl:a 0 2", "LPOP kl:a", "RPOP kl:a", "LMOVE kl:a kl:b LEFT RIGHT", "SADD kl:s x");
        await ExpectAsync(sub, "kl:", "kl:a rpush", "kl:a lpush", "kl:a lset", "kl:a linsert", "kl:a lrem", "kl:a ltrim", "kl:a lpop", "kl:a rpop", "kl:b rpush", "kl:a lpop");
    }

    [Fact]
    public async Task Set_events()
    {
        using RawClient sub = await WatchAsync("Ks", "ks:");
        await RunAsync("SADD ks:a x y z", "SADD ks:a x", "SREM ks:a x", "SMOVE ks:a ks:b z", "SADD ks:p only", "SPOP ks:p", "SADD ks:c q", "SINTERSTORE ks:d ks:b ks:b", "SUNIONSTORE ks:e ks:c", "SDIFFSTORE ks:f ks:c ks:none", "HSET ks:h f v");
        await ExpectAsync(sub, "ks:", "ks:a sadd", "ks:a srem", "ks:a srem", "ks:b sadd", "ks:p sadd", "ks:p spop", "ks:c sadd", "ks:d sinterstore", "ks:e sunionstore", "ks:f sdiffstore");
    }

    [Fact]
    public async Task Hash_events()
    {
        using RawClient sub = await WatchAsync("Kh", "kh:");
        await RunAsync("HSET kh:a f 1 g 2", "HSETNX kh:a f 3", "HSETNX kh:a h 3", "HINCRBY kh:a f 1", "HINCRBYFLOAT kh:a g 0.5", "HDEL kh:a f g h", "SET kh:s v");
        await ExpectAsync(sub, "kh:", "kh:a hset", "kh:a hset", "kh:a hincrby", "kh:a hincrbyfloat", "kh:a hdel");
    }

    [Fact]
    public async Task Sorted_set_events()
    {
        using RawClient sub = await WatchAsync("Kz", "kz:");
        await RunAsync("ZADD kz:a 1 x 2 y 3 z 4 w", "ZADD kz:a NX 1 x", "ZINCRBY kz:a 1 x", "ZREM kz:a y", "ZPOPMIN kz:a", "ZPOPMAX kz:a", "ZADD kz:b 1 p 2 q 3 r", "ZREMRANGEBYSCORE kz:b 1 1", "ZREMRANGEBYRANK kz:b 0 0", "ZREMRANGEBYLEX kz:b - +", "ZADD kz:c 1 m", "ZUNIONSTORE kz:d 1 kz:c", "ZINTERSTORE kz:e 1 kz:c", "ZRANGESTORE kz:f kz:c 0 -1", "SADD kz:s x");
        await ExpectAsync(sub, "kz:", "kz:a zadd", "kz:a zincr", "kz:a zrem", "kz:a zpopmin", "kz:a zpopmax", "kz:b zadd", "kz:b zremrangebyscore", "kz:b zremrangebyrank", "kz:b zremrangebylex", "kz:c zadd", "kz:d zunionstore", "kz:e zinterstore", "kz:f zrangestore");
    }

    [Fact]
    public async Task Expired_events_come_from_the_expiry_cycle()
    {
        using RawClient sub = await WatchAsync("Kx", "kx:");
        await RunAsync("SET kx:a v PX 1", "HSET kx:h f v", "PEXPIRE kx:h 1", "SET kx:keep v");

        // The expiry cycle removes both (in the order of their expiry times) without any client touching them.
        var got = new List<string> { await NextAsync(sub), await NextAsync(sub) };
        got.Sort(StringComparer.Ordinal);
        Assert.Equal(["kx:a expired", "kx:h expired"], got);
        await ExpectAsync(sub, "kx:");
    }

    [Fact]
    public async Task New_key_events()
    {
        using RawClient sub = await WatchAsync("Kn", "kn:");
        await RunAsync("SET kn:a 1", "SET kn:a 2", "INCR kn:a", "SADD kn:s x", "SADD kn:s y", "RPUSH kn:l x", "HSET kn:h f v", "ZADD kn:z 1 m", "RENAME kn:a kn:b", "DEL kn:s", "SADD kn:s z");
        await ExpectAsync(sub, "kn:", "kn:a new", "kn:s new", "kn:l new", "kn:h new", "kn:z new", "kn:b new", "kn:s new");
    }

    [Fact]
    public async Task Keyevent_channels_carry_the_key()
    {
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        await SetClassesAsync(admin, "E$");
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$18\r\n__keyevent@0__:set\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SUBSCRIBE", "__keyevent@0__:set")));
        await RunAsync("SET ke:a 1", "SET ke:b 2");
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$4\r\nke:a\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$4\r\nke:b\r\n", await sub.ReadReplyAsync());

        // Classes without K or E publish nothing.
        await SetClassesAsync(admin, "$");
        await RunAsync("SET ke:c 3");
        Assert.Equal(":1\r\n", await admin.CallAsync(RawClient.Command("PUBLISH", "__keyevent@0__:set", "marker")));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$6\r\nmarker\r\n", await sub.ReadReplyAsync());
        await SetClassesAsync(admin, string.Empty);
    }

    private static async Task SetClassesAsync(RawClient admin, string classes)
        => Assert.Equal("+OK\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "SET", "notify-keyspace-events", classes)));

    // Turns on the classes and subscribes to the keyspace channels of keys starting with the prefix.
    private async Task<RawClient> WatchAsync(string classes, string prefix)
    {
        using (RawClient admin = await RawClient.ConnectAsync(server.Port))
        {
            await SetClassesAsync(admin, classes);
        }

        RawClient sub = await RawClient.ConnectAsync(server.Port);
        string pattern = "__keyspace@0__:" + prefix + "*";
        Assert.Equal($"*3\r\n$10\r\npsubscribe\r\n${pattern.Length}\r\n{pattern}\r\n:1\r\n", await sub.CallAsync(RawClient.Command("PSUBSCRIBE", pattern)));
        return sub;
    }

    private async Task RunAsync(params string[] commands)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        foreach (string command in commands)
        {
            string reply = await client.CallAsync(RawClient.Command(command.Split(' ')));
            Assert.False(reply.StartsWith('-'), command + ": " + reply);
        }
    }

    // The next keyspace message as "key event".
    private static async Task<string> NextAsync(RawClient sub)
    {
        string frame = await sub.ReadReplyAsync();
        string[] parts = frame.Split("\r\n");
        Assert.True(parts[2] == "pmessage", frame);
        return parts[6]["__keyspace@0__:".Length..] + " " + parts[8];
    }

    // Exactly these events, then the marker published after them (so nothing else was published in between).
    private async Task ExpectAsync(RawClient sub, string prefix, params string[] expected)
    {
        using RawClient marker = await RawClient.ConnectAsync(server.Port);
        Assert.Equal(":1\r\n", await marker.CallAsync(RawClient.Command("PUBLISH", "__keyspace@0__:" + prefix + "marker", "end")));
        var got = new List<string>();
        while (true)
        {
            string next = await NextAsync(sub);
            if (next == prefix + "marker end")
            {
                break;
            }

            got.Add(next);
        }

        Assert.Equal(expected, got);
    }
}
