using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>
/// Microsoft's RedisCache (Microsoft.Extensions.Caching.StackExchangeRedis), unchanged, against kiwi-server. Its
/// entries are hashes (absexp, sldexp, data) with a key expiry it moves on every read and refresh; the tests look
/// at that expiry through a plain client instead of waiting for it, and wait (polling) only to see one end.
/// </summary>
public sealed class RedisCacheTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly RedisCache _cache = new(new RedisCacheOptions { Configuration = server.ConnectionString(), InstanceName = "rc:" });

    private IDatabase Db => server.Redis.GetDatabase();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task SetAndGet_RoundTrip_AsAHash()
    {
        await _cache.SetStringAsync("plain", "value");
        Assert.Equal("value", await _cache.GetStringAsync("plain"));
        Assert.Equal("value", _cache.GetString("plain"));
        Assert.Equal(RedisType.Hash, await Db.KeyTypeAsync("rc:plain"));
        Assert.Null(await _cache.GetAsync("missing"));
    }

    [Fact]
    public async Task Sliding_IsRestartedByGet_AndByRefresh()
    {
        var options = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) };
        await _cache.SetStringAsync("slide", "v", options);
        Assert.InRange((await Db.KeyTimeToLiveAsync("rc:slide"))!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

        // Cut the key's time short; a read must put the sliding window back.
        Assert.True(await Db.KeyExpireAsync("rc:slide", TimeSpan.FromMinutes(1)));
        Assert.Equal("v", await _cache.GetStringAsync("slide"));
        Assert.InRange((await Db.KeyTimeToLiveAsync("rc:slide"))!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

        Assert.True(await Db.KeyExpireAsync("rc:slide", TimeSpan.FromMinutes(1)));
        await _cache.RefreshAsync("slide");
        Assert.InRange((await Db.KeyTimeToLiveAsync("rc:slide"))!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

        Assert.True(await Db.KeyExpireAsync("rc:slide", TimeSpan.FromMinutes(1)));
        _cache.Refresh("slide");
        Assert.InRange((await Db.KeyTimeToLiveAsync("rc:slide"))!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Absolute_CapsTheSlidingWindow()
    {
        await _cache.SetStringAsync("capped", "v", new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2),
        });
        Assert.Equal("v", await _cache.GetStringAsync("capped"));
        Assert.InRange((await Db.KeyTimeToLiveAsync("rc:capped"))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task SlidingAndAbsoluteEntries_Expire()
    {
        // Longer than RedisCache's grace period (some versions write nothing for an entry due within a second), so
        // the entries are there to expire.
        await _cache.SetStringAsync("short-slide", "v", new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(3) });
        await _cache.SetStringAsync("short-abs", "v", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(3) });
        Assert.True(await Db.KeyExistsAsync("rc:short-slide"));
        Assert.True(await Db.KeyExistsAsync("rc:short-abs"));
        await Poll.UntilAsync(async () => await _cache.GetStringAsync("short-abs") is null, "the absolute expiry ends the entry");
        await Poll.UntilAsync(async () => await Db.KeyExistsAsync("rc:short-slide") is false, "the sliding expiry ends an entry nobody reads");
        Assert.Null(await _cache.GetStringAsync("short-slide"));
    }

    [Fact]
    public async Task Remove_DeletesTheEntry()
    {
        await _cache.SetStringAsync("gone", "v");
        await _cache.RemoveAsync("gone");
        Assert.Null(await _cache.GetStringAsync("gone"));
        _cache.SetString("gone", "v");
        _cache.Remove("gone");
        Assert.False(await Db.KeyExistsAsync("rc:gone"));
    }

    [Fact]
    public async Task AOneMebibyteValue_RoundTrips()
    {
        byte[] value = new byte[1 << 20];
        new Random(18).NextBytes(value);
        await _cache.SetAsync("big", value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });
        Assert.Equal(value, await _cache.GetAsync("big"));
        Assert.Equal(value, _cache.Get("big"));
    }
}
