using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>DUMP and RESTORE of every type through StackExchange.Redis, and RESTORE's refusals with Redis's texts.</summary>
public sealed class DumpRestoreTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_type_round_trips_with_all_its_members()
    {
        IDatabase db = server.Redis.GetDatabase();
        await db.StringSetAsync("dr:str", "hello");
        await db.HashSetAsync("dr:hash", [new("f1", "v1"), new("f2", "v2")]);
        await db.SetAddAsync("dr:set", ["a", "b", "c"]);
        await db.ListRightPushAsync("dr:list", ["x", "y", "z"]);
        await db.SortedSetAddAsync("dr:zset", [new("m1", 1.5), new("m2", -2)]);

        foreach (string key in new[] { "dr:str", "dr:hash", "dr:set", "dr:list", "dr:zset" })
        {
            byte[]? payload = await db.KeyDumpAsync(key);
            Assert.NotNull(payload);
            await db.KeyRestoreAsync(key + ":copy", payload);
            Assert.Equal(await db.KeyTypeAsync(key), await db.KeyTypeAsync(key + ":copy"));
        }

        Assert.Equal("hello", await db.StringGetAsync("dr:str:copy"));
        Assert.Equal("v2", await db.HashGetAsync("dr:hash:copy", "f2"));
        Assert.Equal(2, await db.HashLengthAsync("dr:hash:copy"));
        Assert.Equal(["a", "b", "c"], (await db.SetMembersAsync("dr:set:copy")).Select(v => (string)v!).Order());
        Assert.Equal(["x", "y", "z"], (await db.ListRangeAsync("dr:list:copy")).Select(v => (string)v!));
        Assert.Equal("y", await db.ListGetByIndexAsync("dr:list:copy", 1));
        Assert.Equal(-2, await db.SortedSetScoreAsync("dr:zset:copy", "m2"));
        Assert.Equal(["m2", "m1"], (await db.SortedSetRangeByRankAsync("dr:zset:copy")).Select(v => (string)v!));

        // The copy is independent: changing it leaves the source as it was.
        await db.ListRightPushAsync("dr:list:copy", "w");
        Assert.Equal(3, await db.ListLengthAsync("dr:list"));
        Assert.Null(await db.KeyDumpAsync("dr:missing"));
    }

    [Fact]
    public async Task Restore_with_ttl_replace_and_absttl()
    {
        IDatabase db = server.Redis.GetDatabase();
        await db.SetAddAsync("dr:ttl", ["a"]);
        byte[] payload = (await db.KeyDumpAsync("dr:ttl"))!;

        await db.KeyRestoreAsync("dr:ttl:copy", payload, TimeSpan.FromSeconds(100));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync("dr:ttl:copy");
        Assert.InRange(ttl!.Value.TotalSeconds, 1, 100);

        await db.StringSetAsync("dr:ttl:busy", "old");
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("-BUSYKEY Target key name already exists.\r\n", await Restore(client, "dr:ttl:busy", "0", payload));
        Assert.Equal("+OK\r\n", await Restore(client, "dr:ttl:busy", "0", payload, "REPLACE"));
        Assert.Equal("set", (await db.KeyTypeAsync("dr:ttl:busy")).ToString().ToLowerInvariant());

        // ABSTTL in the past: nothing is created, and REPLACE still removes the old value.
        Assert.Equal("+OK\r\n", await Restore(client, "dr:ttl:busy", "1", payload, "REPLACE", "ABSTTL"));
        Assert.False(await db.KeyExistsAsync("dr:ttl:busy"));
        Assert.Equal("+OK\r\n", await Restore(client, "dr:ttl:abs", "99999999999999", payload, "ABSTTL", "IDLETIME", "10"));
        Assert.Equal(":99999999999999\r\n", await client.CallAsync("PEXPIRETIME dr:ttl:abs\r\n"));
    }

    [Fact]
    public async Task Restore_refuses_bad_input_with_redis_texts()
    {
        IDatabase db = server.Redis.GetDatabase();
        await db.HashSetAsync("dr:bad", "f", "v");
        byte[] payload = (await db.KeyDumpAsync("dr:bad"))!;
        byte[] tampered = (byte[])payload.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("-ERR DUMP payload version or checksum are wrong\r\n", await Restore(client, "dr:bad:new", "0", tampered));
        Assert.Equal("-ERR DUMP payload version or checksum are wrong\r\n", await Restore(client, "dr:bad:new", "0", "not a payload"u8.ToArray()));
        // A busy key is reported before the payload, as Redis checks it first.
        Assert.Equal("-BUSYKEY Target key name already exists.\r\n", await Restore(client, "dr:bad", "0", tampered));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await Restore(client, "dr:bad:new", "soon", payload));
        Assert.Equal("-ERR Invalid TTL value, must be >= 0\r\n", await Restore(client, "dr:bad:new", "-1", payload));
        Assert.Equal("-ERR syntax error\r\n", await Restore(client, "dr:bad:new", "0", payload, "NOPE"));
        Assert.Equal("-ERR syntax error\r\n", await Restore(client, "dr:bad:new", "0", payload, "IDLETIME", "1", "FREQ", "2"));
        Assert.Equal("-ERR Invalid IDLETIME value, must be >= 0\r\n", await Restore(client, "dr:bad:new", "0", payload, "IDLETIME", "-1"));
        Assert.Equal("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n", await Restore(client, "dr:bad:new", "0", payload, "FREQ", "256"));
        Assert.Equal("-ERR wrong number of arguments for 'restore' command\r\n", await client.CallAsync("RESTORE k 0\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'dump' command\r\n", await client.CallAsync("DUMP\r\n"));
        Assert.False(await db.KeyExistsAsync("dr:bad:new"));
    }

    private static async Task<string> Restore(RawClient client, string key, string ttl, byte[] payload, params string[] options)
    {
        var frame = new System.IO.MemoryStream();
        void Bulk(byte[] bytes)
        {
            frame.Write(System.Text.Encoding.ASCII.GetBytes($"${bytes.Length}\r\n"));
            frame.Write(bytes);
            frame.Write("\r\n"u8);
        }

        frame.Write(System.Text.Encoding.ASCII.GetBytes($"*{4 + options.Length}\r\n"));
        Bulk("RESTORE"u8.ToArray());
        Bulk(System.Text.Encoding.UTF8.GetBytes(key));
        Bulk(System.Text.Encoding.UTF8.GetBytes(ttl));
        Bulk(payload);
        foreach (string option in options)
        {
            Bulk(System.Text.Encoding.UTF8.GetBytes(option));
        }

        await client.SendAsync(frame.ToArray());
        return await client.ReadReplyAsync();
    }
}
