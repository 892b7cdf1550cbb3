using System.Buffers;
using System.Text;
using Kiwi.Core;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace Kiwi.Extensions.Caching;

/// <summary>
/// An <see cref="IDistributedCache"/> over an embedded <see cref="KiwiDb"/>, with the expiration semantics of
/// Microsoft's caches (RedisCache's): a sliding window restarts at every read and refresh, never past the absolute
/// expiry. Each entry is one string key (<see cref="KiwiDistributedCacheOptions.InstanceName"/> + the cache key)
/// whose own expiry enforces both; the clock is the database's (<see cref="KiwiDbOptions.Clock"/>). Also an
/// <see cref="IBufferDistributedCache"/>, which <c>HybridCache</c> uses to read and write without extra arrays.
/// Cancelling a call stops its waiting, not a write already handed to the database.
/// </summary>
public sealed class KiwiDistributedCache : IBufferDistributedCache
{
    private readonly KiwiDb _db;
    private readonly byte[] _prefix;

    /// <summary>A cache over <paramref name="db"/>; the database must stay open while the cache is used.</summary>
    public KiwiDistributedCache(KiwiDb db, IOptions<KiwiDistributedCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        _db = db;
        _prefix = Encoding.UTF8.GetBytes(options.Value.InstanceName ?? string.Empty);
    }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        Read(key, null, out byte[]? data, out ValueTask<bool> refresh);
        Wait(refresh);
        return data;
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Read(key, null, out byte[]? data, out ValueTask<bool> refresh);
        await WithCancellation(refresh, token).ConfigureAwait(false);
        return data;
    }

    /// <inheritdoc />
    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        bool found = Read(key, destination, out _, out ValueTask<bool> refresh);
        Wait(refresh);
        return found;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        token.ThrowIfCancellationRequested();
        bool found = Read(key, destination, out _, out ValueTask<bool> refresh);
        await WithCancellation(refresh, token).ConfigureAwait(false);
        return found;
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        Wait(Write(key, new ReadOnlySequence<byte>(value), options));
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        token.ThrowIfCancellationRequested();
        return WithCancellation(Write(key, new ReadOnlySequence<byte>(value), options), token).AsTask();
    }

    /// <inheritdoc />
    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
        => Wait(Write(key, value, options));

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        await WithCancellation(Write(key, value, options), token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Refresh(string key) => Wait(Slide(key));

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return WithCancellation(Slide(key), token).AsTask();
    }

    /// <inheritdoc />
    public void Remove(string key) => Wait(Delete(key));

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return WithCancellation(Delete(key), token).AsTask();
    }

    // Reads the entry, copies its data into destination (or a new array) and starts moving a sliding expiry.
    private bool Read(string key, IBufferWriter<byte>? destination, out byte[]? data, out ValueTask<bool> refresh)
    {
        byte[] keyBuffer = EncodeKey(key, out int keyLength);
        try
        {
            ReadOnlySpan<byte> storedKey = keyBuffer.AsSpan(0, keyLength);
            using KiwiValue value = _db.Get(storedKey);
            if (value.IsNull)
            {
                data = null;
                refresh = default;
                return false;
            }

            (long absolute, long sliding) = CacheEntry.ReadHeader(value.Span);
            ReadOnlySpan<byte> payload = value.Span[CacheEntry.HeaderLength..];
            if (destination is null)
            {
                data = payload.ToArray();
            }
            else
            {
                destination.Write(payload);
                data = null;
            }

            refresh = sliding == 0 ? default : _db.PExpireAtAsync(storedKey, CacheEntry.KeyExpiry(_db.NowMs(), absolute, sliding));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keyBuffer);
        }
    }

    private ValueTask<bool> Write(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long now = _db.NowMs();
        (long absolute, long sliding) = Expiries(options, now);
        long keyExpiry = CacheEntry.KeyExpiry(now, absolute, sliding);
        int length = CacheEntry.HeaderLength + checked((int)value.Length);
        byte[] entry = ArrayPool<byte>.Shared.Rent(length);
        byte[] keyBuffer = EncodeKey(key, out int keyLength);
        try
        {
            CacheEntry.WriteHeader(entry, absolute, sliding);
            value.CopyTo(entry.AsSpan(CacheEntry.HeaderLength));

            // The key and value are copied into the write before SetAsync returns: the buffers go back at once.
            return _db.SetAsync(keyBuffer.AsSpan(0, keyLength), entry.AsSpan(0, length), keyExpiry == 0 ? KiwiExpiry.None : KiwiExpiry.AtUnixMilliseconds(keyExpiry));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keyBuffer);
            ArrayPool<byte>.Shared.Return(entry);
        }
    }

    private ValueTask<bool> Slide(string key)
    {
        byte[] keyBuffer = EncodeKey(key, out int keyLength);
        try
        {
            ReadOnlySpan<byte> storedKey = keyBuffer.AsSpan(0, keyLength);
            using KiwiValue header = _db.GetRange(storedKey, 0, CacheEntry.HeaderLength - 1);
            if (header.IsNull || header.Length == 0)
            {
                return default;
            }

            (long absolute, long sliding) = CacheEntry.ReadHeader(header.Span);
            return sliding == 0 ? default : _db.PExpireAtAsync(storedKey, CacheEntry.KeyExpiry(_db.NowMs(), absolute, sliding));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keyBuffer);
        }
    }

    private ValueTask<long> Delete(string key)
    {
        byte[] keyBuffer = EncodeKey(key, out int keyLength);
        try
        {
            return _db.DelAsync(keyBuffer.AsSpan(0, keyLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keyBuffer);
        }
    }

    // As RedisCache: a relative absolute expiry counts from now and wins over a fixed one, which must be in the future.
    private static (long Absolute, long Sliding) Expiries(DistributedCacheEntryOptions options, long nowMs)
    {
        long absolute = 0;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            absolute = nowMs + Milliseconds(relative);
        }
        else if (options.AbsoluteExpiration is { } at)
        {
            absolute = at.ToUnixTimeMilliseconds();
            if (absolute <= nowMs)
            {
                throw new ArgumentOutOfRangeException(nameof(options), at, "The absolute expiration value must be in the future.");
            }
        }

        long sliding = options.SlidingExpiration is { } window ? Milliseconds(window) : 0;
        return (absolute, sliding);
    }

    // At least 1 ms: a positive window below a millisecond must not read as "none".
    private static long Milliseconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));

    private byte[] EncodeKey(string key, out int length)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_prefix.Length + Encoding.UTF8.GetMaxByteCount(key.Length));
        _prefix.CopyTo(buffer, 0);
        length = _prefix.Length + Encoding.UTF8.GetBytes(key, buffer.AsSpan(_prefix.Length));
        return buffer;
    }

    private static void Wait<T>(ValueTask<T> pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private static ValueTask WithCancellation<T>(ValueTask<T> pending, CancellationToken token)
        => pending.IsCompletedSuccessfully ? default
            : !token.CanBeCanceled ? new ValueTask(pending.AsTask())
            : new ValueTask(pending.AsTask().WaitAsync(token));
}
