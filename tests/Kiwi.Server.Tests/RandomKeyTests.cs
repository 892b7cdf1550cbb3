using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>RANDOMKEY on a server of its own, so the database holds exactly the keys a test writes.</summary>
public sealed class RandomKeyTests
{
    [Fact]
    public async Task Randomkey_returns_nil_then_each_of_two_live_keys_often_and_never_an_expired_one()
    {
        using TestServer server = TestServer.Start();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString());
        IDatabase db = redis.GetDatabase();
        Assert.True((await db.ExecuteAsync("RANDOMKEY")).IsNull);

        Assert.True(await db.StringSetAsync("rk:a", "1"));
        Assert.True(await db.StringSetAsync("rk:b", "2"));
        Assert.True(await db.StringSetAsync("rk:gone", "3", TimeSpan.FromMilliseconds(1)));
        await Poll.UntilAsync(async () => !await db.KeyExistsAsync("rk:gone"), "rk:gone never expired");

        var calls = new Task<RedisKey>[200];
        for (int i = 0; i < calls.Length; i++)
        {
            calls[i] = db.KeyRandomAsync();
        }

        var counts = new Dictionary<string, int>();
        foreach (RedisKey key in await Task.WhenAll(calls))
        {
            counts[(string)key!] = counts.GetValueOrDefault((string)key!) + 1;
        }

        // A fair pick gives each about 100; 20 leaves room for chance (fails with odds far below 1e-20).
        Assert.Equal(["rk:a", "rk:b"], counts.Keys.Order());
        Assert.True(counts["rk:a"] >= 20 && counts["rk:b"] >= 20, $"rk:a {counts["rk:a"]} times, rk:b {counts["rk:b"]} times");
    }
}
