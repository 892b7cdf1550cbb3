using System.Buffers;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>GET key into <paramref name="destination"/>: false (nothing written) when the key is missing.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key is not a string.</exception>
    public bool TryGet(ReadOnlySpan<byte> key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!LookupString(key))
        {
            return false;
        }

        destination.Write(MetaValue.Payload(ReadPath.Record));
        ReadPath.Release();
        return true;
    }

    /// <summary>GET key: the value in pooled memory (dispose it), or nil.</summary>
    public KiwiValue Get(ReadOnlySpan<byte> key)
    {
        if (!LookupString(key))
        {
            return KiwiValue.Null;
        }

        KiwiValue value = KiwiValue.Copy(MetaValue.Payload(ReadPath.Record));
        ReadPath.Release();
        return value;
    }

    /// <summary>GET key (completes synchronously: reads do not go through the writer).</summary>
    public ValueTask<KiwiValue> GetAsync(ReadOnlyMemory<byte> key) => new(Get(key.Span));

    /// <summary>
    /// MGET: one value per key; nil for missing keys and keys that are not strings. The keys are read at one point
    /// in time: the values never mix two writes (such as two MSETs of the same keys).
    /// </summary>
    public void MGet(ReadOnlySpan<ReadOnlyMemory<byte>> keys, Span<KiwiValue> values)
    {
        if (values.Length < keys.Length)
        {
            throw new ArgumentException("one value slot per key is needed", nameof(values));
        }

        ThrowIfDisposed();
        long now = NowMs();
        if (keys.Length == 1)
        {
            values[0] = StringOrNull(ReadPath.Lookup(_engine, ReadDatabase, keys[0].Span, now));
        }
        else if (keys.Length > 1)
        {
            using StorageSnapshot view = _engine.OpenSnapshot();
            for (int i = 0; i < keys.Length; i++)
            {
                values[i] = StringOrNull(ReadPath.Lookup(view, ReadDatabase, keys[i].Span, now));
            }
        }

        ReadPath.Release();
    }

    private static KiwiValue StringOrNull(KeyType type)
        => type == KeyType.String ? KiwiValue.Copy(MetaValue.Payload(ReadPath.Record)) : KiwiValue.Null;

    /// <summary>STRLEN key: 0 when missing.</summary>
    public long StrLen(ReadOnlySpan<byte> key)
    {
        if (!LookupString(key))
        {
            return 0;
        }

        long length = MetaValue.Payload(ReadPath.Record).Length;
        ReadPath.Release();
        return length;
    }

    /// <summary>GETRANGE key start end (inclusive, negative from the end) into <paramref name="destination"/>; returns the bytes written.</summary>
    public int GetRange(ReadOnlySpan<byte> key, long start, long end, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!LookupString(key))
        {
            return 0;
        }

        ReadOnlySpan<byte> value = MetaValue.Payload(ReadPath.Record);
        (int offset, int length) = ReadPath.Range(value.Length, start, end);
        destination.Write(value.Slice(offset, length));
        ReadPath.Release();
        return length;
    }

    /// <summary>GETRANGE key start end as a pooled value (empty, never nil, for a missing key).</summary>
    public KiwiValue GetRange(ReadOnlySpan<byte> key, long start, long end)
    {
        if (!LookupString(key))
        {
            return KiwiValue.Copy(default);
        }

        ReadOnlySpan<byte> value = MetaValue.Payload(ReadPath.Record);
        (int offset, int length) = ReadPath.Range(value.Length, start, end);
        KiwiValue result = KiwiValue.Copy(value.Slice(offset, length));
        ReadPath.Release();
        return result;
    }

    /// <summary>EXISTS key: 1 or 0.</summary>
    public long Exists(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return ReadPath.Lookup(_engine, ReadDatabase, key, NowMs()) == KeyType.None ? 0 : 1;
    }

    /// <summary>
    /// EXISTS key [key ...]: how many of the keys exist (a key named twice counts twice), counted at one point in
    /// time.
    /// </summary>
    public long Exists(params ReadOnlySpan<ReadOnlyMemory<byte>> keys)
    {
        ThrowIfDisposed();
        if (keys.Length == 1)
        {
            return Exists(keys[0].Span);
        }

        long now = NowMs();
        long count = 0;
        using (StorageSnapshot view = _engine.OpenSnapshot())
        {
            foreach (ReadOnlyMemory<byte> key in keys)
            {
                if (ReadPath.Lookup(view, ReadDatabase, key.Span, now) != KeyType.None)
                {
                    count++;
                }
            }
        }

        ReadPath.Release();
        return count;
    }

    /// <summary>TYPE key.</summary>
    public KeyType Type(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        KeyType type = ReadPath.Lookup(_engine, ReadDatabase, key, NowMs());
        ReadPath.Release();
        return type;
    }

    /// <summary>TTL key: -2 missing, -1 no expiry, else seconds left (rounded like Redis).</summary>
    public long Ttl(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return ReadPath.Ttl(_engine, ReadDatabase, key, NowMs(), milliseconds: false);
    }

    /// <summary>PTTL key: -2 missing, -1 no expiry, else milliseconds left.</summary>
    public long PTtl(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return ReadPath.Ttl(_engine, ReadDatabase, key, NowMs(), milliseconds: true);
    }

    /// <summary>EXPIRETIME key: -2 missing, -1 no expiry, else the unix time in seconds.</summary>
    public long ExpireTime(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return ReadPath.ExpireTime(_engine, ReadDatabase, key, NowMs(), milliseconds: false);
    }

    /// <summary>PEXPIRETIME key: -2 missing, -1 no expiry, else the unix time in milliseconds.</summary>
    public long PExpireTime(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return ReadPath.ExpireTime(_engine, ReadDatabase, key, NowMs(), milliseconds: true);
    }

    /// <summary>Finds a live string; false when missing; WRONGTYPE for another type.</summary>
    private bool LookupString(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        KeyType type = ReadPath.Lookup(_engine, ReadDatabase, key, NowMs());
        if (type == KeyType.String)
        {
            return true;
        }

        if (type != KeyType.None)
        {
            throw new KiwiException(Apply.KiwiError.WrongType);
        }

        return false;
    }
}
