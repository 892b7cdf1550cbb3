using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>Key-space and server commands through StackExchange.Redis.</summary>
public sealed class KeyCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    private IServer Server => server.Redis.GetServer("127.0.0.1", server.Port);

    [Fact]
    public void Delete_exists_and_type()
    {
        Db.StringSet("k:d1", "1");
        Db.StringSet("k:d2", "2");
        Assert.True(Db.KeyExists("k:d1"));
        Assert.Equal(2, Db.KeyExists(["k:d1", "k:d2", "k:dnone"]));
        Assert.Equal(RedisType.String, Db.KeyType("k:d1"));
        Assert.Equal(RedisType.None, Db.KeyType("k:dnone"));
        Assert.True(Db.KeyDelete("k:d1"));
        Assert.False(Db.KeyDelete("k:d1"));
        Assert.Equal(1, Db.KeyDelete(["k:d1", "k:d2", "k:dnone"]));
        Assert.False(Db.KeyExists("k:d2"));
    }

    [Fact]
    public void Expire_ttl_and_persist()
    {
        Db.StringSet("k:e", "v");
        Assert.Null(Db.KeyTimeToLive("k:e"));
        Assert.True(Db.KeyExpire("k:e", TimeSpan.FromSeconds(100)));
        Assert.InRange(Db.KeyTimeToLive("k:e") ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
        Assert.False(Db.KeyExpire("k:e", TimeSpan.FromSeconds(200), ExpireWhen.HasNoExpiry));
        Assert.True(Db.KeyExpire("k:e", TimeSpan.FromSeconds(200), ExpireWhen.GreaterThanCurrentExpiry));
        Assert.True(Db.KeyPersist("k:e"));
        Assert.False(Db.KeyPersist("k:e"));
        Assert.Null(Db.KeyTimeToLive("k:e"));
        Assert.False(Db.KeyExpire("k:enone", TimeSpan.FromSeconds(5)));

        DateTime at = DateTime.UtcNow.AddHours(1);
        Assert.True(Db.KeyExpire("k:e", at));
        DateTime? expiry = Db.KeyExpireTime("k:e");
        Assert.NotNull(expiry);
        Assert.InRange(expiry.Value, at.AddSeconds(-2), at.AddSeconds(2));

        Assert.True(Db.KeyExpire("k:e", TimeSpan.FromMilliseconds(1)));
        Poll.Until(() => !Db.KeyExists("k:e"), "a key with a 1 ms expiry never expired");
    }

    [Fact]
    public void Rename_copy_and_touch()
    {
        Db.StringSet("k:r1", "v1", TimeSpan.FromSeconds(100));
        Assert.True(Db.KeyRename("k:r1", "k:r2"));
        Assert.False(Db.KeyExists("k:r1"));
        Assert.Equal("v1", (string?)Db.StringGet("k:r2"));
        Assert.NotNull(Db.KeyTimeToLive("k:r2"));
        var error = Assert.Throws<RedisServerException>(() => Db.KeyRename("k:rnone", "k:r3"));
        Assert.Equal("ERR no such key", error.Message);

        Db.StringSet("k:r3", "v3");
        Assert.False(Db.KeyRename("k:r2", "k:r3", When.NotExists));
        Assert.True(Db.KeyRename("k:r2", "k:r4", When.NotExists));

        Assert.True(Db.KeyCopy("k:r4", "k:c1"));
        Assert.False(Db.KeyCopy("k:r4", "k:r3"));
        Assert.Equal("v3", (string?)Db.StringGet("k:r3"));
        Assert.True(Db.KeyCopy("k:r4", "k:r3", replace: true));
        Assert.Equal("v1", (string?)Db.StringGet("k:r3"));
        Assert.Equal("v1", (string?)Db.StringGet("k:c1"));

        Assert.True(Db.KeyTouch("k:c1"));
        Assert.False(Db.KeyTouch("k:cnone"));
        Assert.Equal(2, Db.KeyTouch(["k:c1", "k:r3", "k:cnone"]));
    }

    [Fact]
    public async Task Keys_pattern_returns_every_matching_key_exactly_once()
    {
        const int count = 500;
        var sets = new Task<bool>[count];
        for (int i = 0; i < count; i++)
        {
            sets[i] = Db.StringSetAsync($"k:scan:{i}", i);
        }

        Assert.All(await Task.WhenAll(sets), Assert.True);
        Db.StringSet("k:scanother", "x");

        var seen = new List<string>(Server.Keys(pattern: "k:scan:*", pageSize: 37).Select(k => (string)k!));

        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Distinct().Count());
        Assert.All(Enumerable.Range(0, count), i => Assert.Contains($"k:scan:{i}", seen));
        Assert.Equal(count, Server.Keys(pattern: "k:scan:*").Count());
        Assert.Equal(11, Server.Keys(pattern: "k:scan:1?").Count() + Server.Keys(pattern: "k:scan:1").Count());
    }

    [Fact]
    public async Task Keys_and_scan_match_with_many_stars_answer_at_once()
    {
        // "a*a*…*b" (30 stars) against a 64-byte "aaa…a" key ran for minutes at full CPU (an exponential glob).
        string pattern = string.Concat(Enumerable.Repeat("a*", 30)) + "b";
        string matching = new string('a', 63) + "b";
        Db.StringSet(new string('a', 64), "x");
        Db.StringSet(matching, "y");
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        // RawClient's deadline bounds each reply: it only catches the hang, the answer takes milliseconds.
        Assert.Equal($"*1\r\n$64\r\n{matching}\r\n", await client.CallAsync(RawClient.Command("KEYS", pattern)));
        var found = new List<string>();
        string cursor = "0";
        do
        {
            string reply = await client.CallAsync(RawClient.Command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000"));
            string[] lines = reply.Split("\r\n");
            cursor = lines[2];
            for (int i = 4; i + 1 < lines.Length; i += 2)
            {
                found.Add(lines[i + 1]);
            }
        }
        while (cursor != "0");

        Assert.Equal([matching], found);
    }

    [Fact]
    public void Object_encoding_and_random_key()
    {
        Db.StringSet("k:oint", "12345");
        Db.StringSet("k:oemb", "short");
        Db.StringSet("k:oraw", new string('x', 100));

        Assert.Equal("int", (string?)Db.Execute("OBJECT", "ENCODING", "k:oint"));
        Assert.Equal("embstr", (string?)Db.Execute("OBJECT", "ENCODING", "k:oemb"));
        Assert.Equal("raw", (string?)Db.Execute("OBJECT", "ENCODING", "k:oraw"));
        Assert.True(Db.Execute("OBJECT", "ENCODING", "k:onone").IsNull);
        Assert.False(string.IsNullOrEmpty(Db.KeyRandom()));
    }

    [Fact]
    public void Info_time_and_database_size_and_flush()
    {
        string? info = Server.InfoRaw();
        Assert.Contains("redis_version:", info, StringComparison.Ordinal);
        Assert.Contains(Server.Info(), g => g.Key == "Stats" && g.Any(kv => kv.Key == "total_commands_processed"));

        DateTime time = Server.Time();
        Assert.InRange(time, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        Db.StringSet("k:size1", "1");
        Db.StringSet("k:size2", "2");
        Assert.True(Server.DatabaseSize() >= 2);
        Server.FlushDatabase();
        Assert.Equal(0, Server.DatabaseSize());
        Assert.False(Db.KeyExists("k:size1"));
        Db.StringSet("k:size3", "3");
        Assert.Equal(1, Server.DatabaseSize());
    }

    [Fact]
    public void Keys_rewritten_after_a_flush_are_kept()
    {
        // Found by redis-diff.py: a key written, flushed and written again with a value no larger than before
        // read back as missing (RocksDB in-place updates under a range tombstone).
        for (int round = 0; round < 3; round++)
        {
            Db.StringSet("k:again", "value1");
            Db.StringSet("k:again2", "longer value");
            if (round == 1)
            {
                Db.Execute("FLUSHALL");
            }
            else
            {
                Server.FlushDatabase();
            }

            Db.StringSet("k:again", "value2");
            Db.StringSet("k:again2", "short");
            Assert.Equal("value2", (string?)Db.StringGet("k:again"));
            Assert.Equal("short", (string?)Db.StringGet("k:again2"));
            Assert.Equal(-1, (long)Db.Execute("PTTL", "k:again"));
        }
    }
}
