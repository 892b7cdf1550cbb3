using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>String commands through StackExchange.Redis, the client most .NET users have.</summary>
public sealed class StringCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    [Fact]
    public void Connects_and_pings()
    {
        Assert.True(server.Redis.IsConnected);
        Assert.True(Db.Ping() >= TimeSpan.Zero);
        Assert.Equal("hi", (string?)Db.Execute("ECHO", "hi"));
    }

    [Fact]
    public void Set_and_get_with_conditions_and_expiry()
    {
        Assert.True(Db.StringSet("s:a", "1"));
        Assert.Equal("1", (string?)Db.StringGet("s:a"));
        Assert.False(Db.StringSet("s:a", "2", when: When.NotExists));
        Assert.True(Db.StringSet("s:b", "2", when: When.NotExists));
        Assert.True(Db.StringSet("s:a", "3", when: When.Exists));
        Assert.False(Db.StringSet("s:none", "3", when: When.Exists));
        Assert.Equal("3", (string?)Db.StringGet("s:a"));
        Assert.True(Db.StringGet("s:none").IsNull);

        Assert.True(Db.StringSet("s:ex", "v", TimeSpan.FromSeconds(100)));
        TimeSpan? ttl = Db.KeyTimeToLive("s:ex");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));

        Assert.True(Db.StringSet("s:px", "v", TimeSpan.FromMilliseconds(1)));
        Poll.Until(() => !Db.KeyExists("s:px"), "a key set with a 1 ms expiry never expired");
    }

    [Fact]
    public void Get_set_get_delete_and_get_set_expiry()
    {
        Db.StringSet("s:gs", "old");
        Assert.Equal("old", (string?)Db.StringGetSet("s:gs", "new"));
        Assert.Equal("new", (string?)Db.StringGetDelete("s:gs"));
        Assert.False(Db.KeyExists("s:gs"));
        Assert.True(Db.StringGetDelete("s:gs").IsNull);

        Db.StringSet("s:gex", "v");
        Assert.Equal("v", (string?)Db.StringGetSetExpiry("s:gex", TimeSpan.FromSeconds(50)));
        Assert.InRange(Db.KeyTimeToLive("s:gex") ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(50));
        Assert.Equal("v", (string?)Db.StringGetSetExpiry("s:gex", null));
        Assert.Null(Db.KeyTimeToLive("s:gex"));
    }

    [Fact]
    public void Increment_and_decrement()
    {
        Assert.Equal(5, Db.StringIncrement("s:n", 5));
        Assert.Equal(6, Db.StringIncrement("s:n"));
        Assert.Equal(3, Db.StringDecrement("s:n", 3));
        Assert.Equal(2, Db.StringDecrement("s:n"));
        Assert.Equal(2.5, Db.StringIncrement("s:n", 0.5));
        Assert.Equal(-0.25, Db.StringIncrement("s:f", -0.25));
        Assert.Equal("-0.25", (string?)Db.StringGet("s:f"));

        Db.StringSet("s:text", "abc");
        var error = Assert.Throws<RedisServerException>(() => Db.StringIncrement("s:text"));
        Assert.Equal("ERR value is not an integer or out of range", error.Message);
        error = Assert.Throws<RedisServerException>(() => Db.StringIncrement("s:text", 1.5));
        Assert.Equal("ERR value is not a valid float", error.Message);
    }

    [Fact]
    public void Append_length_and_ranges()
    {
        Assert.Equal(5, Db.StringAppend("s:r", "Hello"));
        Assert.Equal(11, Db.StringAppend("s:r", " World"));
        Assert.Equal(11, Db.StringLength("s:r"));
        Assert.Equal(0, Db.StringLength("s:rnone"));
        Assert.Equal("World", (string?)Db.StringGetRange("s:r", -5, -1));
        Assert.Equal("Hello", (string?)Db.StringGetRange("s:r", 0, 4));
        Assert.Equal(11, Db.StringSetRange("s:r", 6, "Redis"));
        Assert.Equal("Hello Redis", (string?)Db.StringGet("s:r"));
        Assert.Equal(8, Db.StringSetRange("s:rpad", 5, "abc"));
        Assert.Equal("\0\0\0\0\0abc", (string?)Db.StringGet("s:rpad"));
    }

    [Fact]
    public void Multi_key_set_and_get()
    {
        KeyValuePair<RedisKey, RedisValue>[] pairs = [new("s:m1", "a"), new("s:m2", "b"), new("s:m3", "c")];
        Assert.True(Db.StringSet(pairs));
        RedisValue[] values = Db.StringGet(["s:m1", "s:mnone", "s:m3", "s:m2"]);
        Assert.Equal(["a", null, "c", "b"], values.Select(v => (string?)v));

        Assert.False(Db.StringSet([new("s:m1", "x"), new("s:m4", "y")], When.NotExists));
        Assert.False(Db.KeyExists("s:m4"));
        Assert.True(Db.StringSet([new("s:m4", "x"), new("s:m5", "y")], When.NotExists));
        Assert.Equal("y", (string?)Db.StringGet("s:m5"));
    }

    [Fact]
    public async Task Thousand_pipelined_async_sets_then_gets_are_all_correct()
    {
        var sets = new Task<bool>[1000];
        for (int i = 0; i < sets.Length; i++)
        {
            sets[i] = Db.StringSetAsync($"s:p{i}", $"value-{i}");
        }

        Assert.All(await Task.WhenAll(sets), Assert.True);
        var gets = new Task<RedisValue>[1000];
        for (int i = 0; i < gets.Length; i++)
        {
            gets[i] = Db.StringGetAsync($"s:p{i}");
        }

        RedisValue[] values = await Task.WhenAll(gets);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal($"value-{i}", (string?)values[i]);
        }
    }

    [Fact]
    public void Binary_values_round_trip()
    {
        byte[] value = [0, 1, 2, 13, 10, 255, 0];
        Db.StringSet("s:bin", value);
        Assert.Equal(value, (byte[]?)Db.StringGet("s:bin"));
    }
}
