using System.Buffers;
using System.Text;
using Kiwi.Core;
using Kiwi.Extensions.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kiwi.Extensions.Hosting.Tests.Caching;

/// <summary>The cache over a real KiwiDb whose clock the tests move (the database's expiry follows it).</summary>
public sealed class KiwiDistributedCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly KiwiDb _db;
    private readonly KiwiDistributedCache _cache;

    public KiwiDistributedCacheTests()
    {
        _db = KiwiDb.Open(new KiwiDbOptions { Path = _dir.Path, Clock = _clock, ActiveExpiry = false });
        _cache = new KiwiDistributedCache(_db, Options.Create(new KiwiDistributedCacheOptions { InstanceName = "app:" }));
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task SetThenGet_RoundTrips_UnderTheInstanceName_WithoutExpiry()
    {
        await _cache.SetAsync("k", Bytes("value"), new DistributedCacheEntryOptions());
        Assert.Equal(Bytes("value"), await _cache.GetAsync("k"));
        Assert.Equal(Bytes("value"), _cache.Get("k"));
        Assert.Equal(1, _db.Exists("app:k"));
        Assert.Equal(0, _db.Exists("k"));
        Assert.Equal(-1, _db.PTtl("app:k"u8));
        Assert.Null(await _cache.GetAsync("missing"));
    }

    [Fact]
    public async Task Sliding_IsRestartedByEveryGet_AndEndsWithoutOne()
    {
        await _cache.SetAsync("slide", Bytes("v"), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.NotNull(await _cache.GetAsync("slide"));
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.NotNull(_cache.Get("slide"));
        Assert.Equal(10_000, _db.PTtl("app:slide"u8));
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await _cache.GetAsync("slide"));
    }

    [Fact]
    public async Task Refresh_RestartsTheSlidingWindow_WithoutReading()
    {
        await _cache.SetAsync("refresh", Bytes("v"), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });
        _clock.Advance(TimeSpan.FromSeconds(6));
        await _cache.RefreshAsync("refresh");
        _clock.Advance(TimeSpan.FromSeconds(6));
        _cache.Refresh("refresh");
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(await _cache.GetAsync("refresh"));
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await _cache.GetAsync("refresh"));
        await _cache.RefreshAsync("refresh");
        Assert.Equal(0, _db.Exists("app:refresh"));
    }

    [Fact]
    public async Task Absolute_CapsTheSlidingWindow()
    {
        await _cache.SetAsync("capped", Bytes("v"), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(15),
        });
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.NotNull(await _cache.GetAsync("capped"));
        Assert.Equal(7_000, _db.PTtl("app:capped"u8));
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Null(await _cache.GetAsync("capped"));
    }

    [Fact]
    public async Task Absolute_Expires_AndMustBeInTheFuture()
    {
        await _cache.SetAsync("abs", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpiration = _clock.GetUtcNow().AddSeconds(5) });
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(await _cache.GetAsync("abs"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await _cache.GetAsync("abs"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cache.Set("past", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpiration = _clock.GetUtcNow() }));
    }

    [Fact]
    public async Task Remove_DeletesTheEntry()
    {
        _cache.Set("gone", Bytes("v"), new DistributedCacheEntryOptions());
        _cache.Remove("gone");
        Assert.Null(_cache.Get("gone"));
        await _cache.SetAsync("gone", Bytes("v"), new DistributedCacheEntryOptions());
        await _cache.RemoveAsync("gone");
        Assert.Null(await _cache.GetAsync("gone"));
    }

    [Fact]
    public async Task BufferApi_WritesSegmentedValues_AndReadsIntoAWriter()
    {
        var first = new Segment(Bytes("hello, "));
        Segment last = first.Append(Bytes("world"));
        var value = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        await _cache.SetAsync("buffer", value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });

        var destination = new ArrayBufferWriter<byte>();
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await _cache.TryGetAsync("buffer", destination));
        Assert.Equal("hello, world", Encoding.UTF8.GetString(destination.WrittenSpan));
        Assert.Equal(10_000, _db.PTtl("app:buffer"u8));
        Assert.False(_cache.TryGet("missing", destination));
    }

    [Fact]
    public async Task CancelledToken_IsHonouredBeforeTheCall()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _cache.SetAsync("c", Bytes("v"), new DistributedCacheEntryOptions(), cancelled.Token));
        Assert.Equal(0, _db.Exists("app:c"));
    }

    [Fact]
    public async Task AKeyHoldingSomethingElse_IsRefused()
    {
        await _db.SetAsync("app:foreign", "not an entry");
        Assert.Throws<InvalidDataException>(() => _cache.Get("foreign"));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
