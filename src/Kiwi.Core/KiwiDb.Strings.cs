using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>
    /// SET key value [NX|XX] [EX|PX|EXAT|PXAT|KEEPTTL]. Returns true when the value was set, false when the
    /// condition stopped it.
    /// </summary>
    public ValueTask<bool> SetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => AwaitStatus(SubmitEntry(StringEntries.Set(Target, key, value, expiry, condition, get: false)));

    /// <summary>SET ... GET: sets (subject to <paramref name="condition"/>) and returns the previous value or nil.</summary>
    public ValueTask<KiwiValue> SetGetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => AwaitValue(SubmitEntry(StringEntries.Set(Target, key, value, expiry, condition, get: true)));

    /// <summary>GETSET key value: sets the value (clearing any expiry) and returns the previous one or nil.</summary>
    public ValueTask<KiwiValue> GetSetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitValue(SubmitEntry(StringEntries.GetSet(Target, key, value)));

    /// <summary>SETNX key value: true when the key did not exist and was set.</summary>
    public ValueTask<bool> SetNxAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitStatus(SubmitEntry(StringEntries.SetNx(Target, key, value)));

    /// <summary>SETEX key seconds value.</summary>
    public ValueTask SetExAsync(ReadOnlySpan<byte> key, long seconds, ReadOnlySpan<byte> value)
        => AwaitOk(SubmitEntry(StringEntries.SetEx(Target, key, seconds, value)));

    /// <summary>PSETEX key milliseconds value.</summary>
    public ValueTask PSetExAsync(ReadOnlySpan<byte> key, long milliseconds, ReadOnlySpan<byte> value)
        => AwaitOk(SubmitEntry(StringEntries.PSetEx(Target, key, milliseconds, value)));

    /// <summary>GETDEL key: returns the value (or nil) and deletes the key.</summary>
    public ValueTask<KiwiValue> GetDelAsync(ReadOnlySpan<byte> key)
        => AwaitValue(SubmitEntry(StringEntries.GetDel(Target, key)));

    /// <summary>
    /// GETEX key [EX|PX|EXAT|PXAT|PERSIST]: returns the value (or nil) and changes its expiry. Without an
    /// option it is a plain read.
    /// </summary>
    public ValueTask<KiwiValue> GetExAsync(ReadOnlySpan<byte> key, KiwiExpiry expiry = default)
        => expiry.Kind == KiwiExpiryKind.None
            ? new ValueTask<KiwiValue>(Get(key))
            : AwaitValue(SubmitEntry(StringEntries.GetEx(Target, key, expiry)));

    /// <summary>MSET key value [key value ...]: sets every pair atomically (clearing expiries).</summary>
    public ValueTask MSetAsync(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs)
        => AwaitOk(SubmitEntry(StringEntries.MSet(Target, new PairArgs(pairs))));

    /// <summary>MSETNX: sets every pair atomically only when none of the keys exists; true when set.</summary>
    public ValueTask<bool> MSetNxAsync(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs)
        => AwaitStatus(SubmitEntry(StringEntries.MSetNx(Target, new PairArgs(pairs))));

    /// <summary>APPEND key value: returns the new length.</summary>
    public ValueTask<long> AppendAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitInteger(SubmitEntry(StringEntries.Append(Target, key, value)));

    /// <summary>SETRANGE key offset value: returns the new length. Offsets must be 0 or more.</summary>
    public ValueTask<long> SetRangeAsync(ReadOnlySpan<byte> key, long offset, ReadOnlySpan<byte> value)
        => AwaitInteger(SubmitEntry(StringEntries.SetRange(Target, key, offset, value)));

    /// <summary>INCR key.</summary>
    public ValueTask<long> IncrAsync(ReadOnlySpan<byte> key) => IncrByAsync(key, 1);

    /// <summary>DECR key.</summary>
    public ValueTask<long> DecrAsync(ReadOnlySpan<byte> key) => IncrByAsync(key, -1);

    /// <summary>DECRBY key decrement.</summary>
    public ValueTask<long> DecrByAsync(ReadOnlySpan<byte> key, long decrement)
        => AwaitInteger(SubmitEntry(StringEntries.DecrBy(Target, key, decrement)));

    /// <summary>INCRBY key increment: returns the new value.</summary>
    public ValueTask<long> IncrByAsync(ReadOnlySpan<byte> key, long increment)
        => AwaitInteger(SubmitEntry(StringEntries.IncrBy(Target, key, increment)));
}
