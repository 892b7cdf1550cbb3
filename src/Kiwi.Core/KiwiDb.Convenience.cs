using System.Text;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>String overloads: UTF-8 encoded into per-thread scratch buffers, so they allocate only their results.</summary>
public sealed partial class KiwiDb
{
    /// <inheritdoc cref="SetAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte}, KiwiExpiry, SetCondition)"/>
    public ValueTask<bool> SetAsync(string key, string value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => SetAsync(Utf8Scratch.First(key), Utf8Scratch.Second(value), expiry, condition);

    /// <summary>GET key as a UTF-8 string, or null when missing.</summary>
    public string? GetString(string key)
    {
        using KiwiValue value = Get(Utf8Scratch.First(key));
        return value.ToString();
    }

    /// <inheritdoc cref="GetSetAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public ValueTask<KiwiValue> GetSetAsync(string key, string value) => GetSetAsync(Utf8Scratch.First(key), Utf8Scratch.Second(value));

    /// <inheritdoc cref="GetDelAsync(ReadOnlySpan{byte})"/>
    public ValueTask<KiwiValue> GetDelAsync(string key) => GetDelAsync(Utf8Scratch.First(key));

    /// <inheritdoc cref="GetExAsync(ReadOnlySpan{byte}, KiwiExpiry)"/>
    public ValueTask<KiwiValue> GetExAsync(string key, KiwiExpiry expiry = default) => GetExAsync(Utf8Scratch.First(key), expiry);

    /// <inheritdoc cref="SetNxAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public ValueTask<bool> SetNxAsync(string key, string value) => SetNxAsync(Utf8Scratch.First(key), Utf8Scratch.Second(value));

    /// <inheritdoc cref="SetExAsync(ReadOnlySpan{byte}, long, ReadOnlySpan{byte})"/>
    public ValueTask SetExAsync(string key, long seconds, string value) => SetExAsync(Utf8Scratch.First(key), seconds, Utf8Scratch.Second(value));

    /// <inheritdoc cref="PSetExAsync(ReadOnlySpan{byte}, long, ReadOnlySpan{byte})"/>
    public ValueTask PSetExAsync(string key, long milliseconds, string value) => PSetExAsync(Utf8Scratch.First(key), milliseconds, Utf8Scratch.Second(value));

    /// <summary>MSET with string pairs.</summary>
    public ValueTask MSetAsync(params ReadOnlySpan<(string Key, string Value)> pairs) => MSetAsync(ToMemoryPairs(pairs));

    /// <summary>MSETNX with string pairs.</summary>
    public ValueTask<bool> MSetNxAsync(params ReadOnlySpan<(string Key, string Value)> pairs) => MSetNxAsync(ToMemoryPairs(pairs));

    /// <inheritdoc cref="AppendAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public ValueTask<long> AppendAsync(string key, string value) => AppendAsync(Utf8Scratch.First(key), Utf8Scratch.Second(value));

    /// <inheritdoc cref="SetRangeAsync(ReadOnlySpan{byte}, long, ReadOnlySpan{byte})"/>
    public ValueTask<long> SetRangeAsync(string key, long offset, string value) => SetRangeAsync(Utf8Scratch.First(key), offset, Utf8Scratch.Second(value));

    /// <inheritdoc cref="IncrAsync(ReadOnlySpan{byte})"/>
    public ValueTask<long> IncrAsync(string key) => IncrAsync(Utf8Scratch.First(key));

    /// <inheritdoc cref="DecrAsync(ReadOnlySpan{byte})"/>
    public ValueTask<long> DecrAsync(string key) => DecrAsync(Utf8Scratch.First(key));

    /// <inheritdoc cref="IncrByAsync(ReadOnlySpan{byte}, long)"/>
    public ValueTask<long> IncrByAsync(string key, long increment) => IncrByAsync(Utf8Scratch.First(key), increment);

    /// <inheritdoc cref="DecrByAsync(ReadOnlySpan{byte}, long)"/>
    public ValueTask<long> DecrByAsync(string key, long decrement) => DecrByAsync(Utf8Scratch.First(key), decrement);

    /// <inheritdoc cref="IncrByFloatAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public ValueTask<KiwiValue> IncrByFloatAsync(string key, string increment) => IncrByFloatAsync(Utf8Scratch.First(key), Utf8Scratch.Second(increment));

    /// <summary>DEL with string keys.</summary>
    public ValueTask<long> DelAsync(params ReadOnlySpan<string> keys) => DelAsync(ToMemory(keys));

    /// <summary>UNLINK with string keys.</summary>
    public ValueTask<long> UnlinkAsync(params ReadOnlySpan<string> keys) => UnlinkAsync(ToMemory(keys));

    /// <summary>EXISTS with string keys.</summary>
    public long Exists(params ReadOnlySpan<string> keys) => Exists(ToMemory(keys));

    /// <inheritdoc cref="ExpireAsync(ReadOnlySpan{byte}, long, ExpireCondition)"/>
    public ValueTask<bool> ExpireAsync(string key, long seconds, ExpireCondition condition = ExpireCondition.None) => ExpireAsync(Utf8Scratch.First(key), seconds, condition);

    /// <inheritdoc cref="PExpireAsync(ReadOnlySpan{byte}, long, ExpireCondition)"/>
    public ValueTask<bool> PExpireAsync(string key, long milliseconds, ExpireCondition condition = ExpireCondition.None) => PExpireAsync(Utf8Scratch.First(key), milliseconds, condition);

    /// <inheritdoc cref="ExpireAtAsync(ReadOnlySpan{byte}, long, ExpireCondition)"/>
    public ValueTask<bool> ExpireAtAsync(string key, long unixSeconds, ExpireCondition condition = ExpireCondition.None) => ExpireAtAsync(Utf8Scratch.First(key), unixSeconds, condition);

    /// <inheritdoc cref="PExpireAtAsync(ReadOnlySpan{byte}, long, ExpireCondition)"/>
    public ValueTask<bool> PExpireAtAsync(string key, long unixMilliseconds, ExpireCondition condition = ExpireCondition.None) => PExpireAtAsync(Utf8Scratch.First(key), unixMilliseconds, condition);

    /// <inheritdoc cref="PersistAsync(ReadOnlySpan{byte})"/>
    public ValueTask<bool> PersistAsync(string key) => PersistAsync(Utf8Scratch.First(key));

    /// <inheritdoc cref="StrLen(ReadOnlySpan{byte})"/>
    public long StrLen(string key) => StrLen(Utf8Scratch.First(key));

    /// <summary>GETRANGE with a string key, decoded as UTF-8.</summary>
    public string GetRange(string key, long start, long end)
    {
        using KiwiValue value = GetRange(Utf8Scratch.First(key), start, end);
        return value.ToString() ?? string.Empty;
    }

    /// <summary>MGET with string keys, decoded as UTF-8 (null for nil).</summary>
    public string?[] MGet(params ReadOnlySpan<string> keys)
    {
        ReadOnlyMemory<byte>[] encoded = ToMemory(keys);
        var values = new KiwiValue[encoded.Length];
        MGet(encoded, values);
        var result = new string?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i].ToString();
            values[i].Dispose();
        }

        return result;
    }

    /// <inheritdoc cref="Type(ReadOnlySpan{byte})"/>
    public KeyType Type(string key) => Type(Utf8Scratch.First(key));

    /// <inheritdoc cref="Ttl(ReadOnlySpan{byte})"/>
    public long Ttl(string key) => Ttl(Utf8Scratch.First(key));

    /// <inheritdoc cref="PTtl(ReadOnlySpan{byte})"/>
    public long PTtl(string key) => PTtl(Utf8Scratch.First(key));

    /// <inheritdoc cref="ExpireTime(ReadOnlySpan{byte})"/>
    public long ExpireTime(string key) => ExpireTime(Utf8Scratch.First(key));

    /// <inheritdoc cref="PExpireTime(ReadOnlySpan{byte})"/>
    public long PExpireTime(string key) => PExpireTime(Utf8Scratch.First(key));

    private static ReadOnlyMemory<byte>[] ToMemory(ReadOnlySpan<string> keys)
    {
        var result = new ReadOnlyMemory<byte>[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            result[i] = Encoding.UTF8.GetBytes(keys[i]);
        }

        return result;
    }

    private static KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[] ToMemoryPairs(ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var result = new KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            result[i] = new(Encoding.UTF8.GetBytes(pairs[i].Key), Encoding.UTF8.GetBytes(pairs[i].Value));
        }

        return result;
    }
}
