using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>
    /// SET key value [NX|XX] [EX|PX|EXAT|PXAT|KEEPTTL]. Returns true when the value was set, false when the
    /// condition stopped it.
    /// </summary>
    public ValueTask<bool> SetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => AwaitStatus(BeginSet(key, value, expiry, condition, SetFlags.None, "set"));

    /// <summary>SET ... GET: sets (subject to <paramref name="condition"/>) and returns the previous value or nil.</summary>
    public ValueTask<KiwiValue> SetGetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => AwaitValue(BeginSet(key, value, expiry, condition, SetFlags.Get, "set"));

    /// <summary>GETSET key value: sets the value (clearing any expiry) and returns the previous one or nil.</summary>
    public ValueTask<KiwiValue> GetSetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitValue(BeginSet(key, value, default, SetCondition.Always, SetFlags.Get, "getset"));

    /// <summary>SETNX key value: true when the key did not exist and was set.</summary>
    public ValueTask<bool> SetNxAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitStatus(BeginSet(key, value, default, SetCondition.NotExists, SetFlags.ReplyInteger, "setnx"));

    /// <summary>SETEX key seconds value.</summary>
    public ValueTask SetExAsync(ReadOnlySpan<byte> key, long seconds, ReadOnlySpan<byte> value)
        => AwaitOk(BeginSet(key, value, KiwiExpiry.Seconds(seconds), SetCondition.Always, SetFlags.None, "setex"));

    /// <summary>PSETEX key milliseconds value.</summary>
    public ValueTask PSetExAsync(ReadOnlySpan<byte> key, long milliseconds, ReadOnlySpan<byte> value)
        => AwaitOk(BeginSet(key, value, KiwiExpiry.Milliseconds(milliseconds), SetCondition.Always, SetFlags.None, "psetex"));

    /// <summary>GETDEL key: returns the value (or nil) and deletes the key.</summary>
    public ValueTask<KiwiValue> GetDelAsync(ReadOnlySpan<byte> key)
    {
        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.GetDel, 0, Database, 1);
        CommandFormat.AddArg(request.Payload, key);
        return AwaitValue(SubmitRaw(request));
    }

    /// <summary>
    /// GETEX key [EX|PX|EXAT|PXAT|PERSIST]: returns the value (or nil) and changes its expiry. Without an
    /// option it is a plain read.
    /// </summary>
    public ValueTask<KiwiValue> GetExAsync(ReadOnlySpan<byte> key, KiwiExpiry expiry = default)
    {
        if (expiry.Kind == KiwiExpiryKind.KeepTtl)
        {
            throw new KiwiException("ERR syntax error");
        }

        if (expiry.Kind == KiwiExpiryKind.None)
        {
            return new ValueTask<KiwiValue>(Get(key));
        }

        long now = NowMs();
        GetExFlags flags = GetExFlags.Persist;
        long at = 0;
        if (expiry.SetsTime)
        {
            flags = expiry.TryResolve(now, out at) ? GetExFlags.Expire : GetExFlags.InvalidExpire;
        }

        ApplyRequest request = Begin(now);
        CommandFormat.AddCommand(request.Payload, OpCode.GetEx, (byte)flags, Database, 1, at);
        CommandFormat.AddArg(request.Payload, key);
        return AwaitValue(SubmitRaw(request));
    }

    /// <summary>MSET key value [key value ...]: sets every pair atomically (clearing expiries).</summary>
    public ValueTask MSetAsync(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs)
        => AwaitOk(BeginMSet(pairs, OpCode.MSet));

    /// <summary>MSETNX: sets every pair atomically only when none of the keys exists; true when set.</summary>
    public ValueTask<bool> MSetNxAsync(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs)
        => AwaitStatus(BeginMSet(pairs, OpCode.MSetNx));

    /// <summary>APPEND key value: returns the new length.</summary>
    public ValueTask<long> AppendAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => AwaitInteger(BeginKeyValue(OpCode.Append, key, value, 0));

    /// <summary>SETRANGE key offset value: returns the new length. Offsets must be 0 or more.</summary>
    public ValueTask<long> SetRangeAsync(ReadOnlySpan<byte> key, long offset, ReadOnlySpan<byte> value)
    {
        if (offset < 0)
        {
            throw new KiwiException("ERR offset is out of range");
        }

        return AwaitInteger(BeginKeyValue(OpCode.SetRange, key, value, offset));
    }

    /// <summary>INCR key.</summary>
    public ValueTask<long> IncrAsync(ReadOnlySpan<byte> key) => IncrByAsync(key, 1);

    /// <summary>DECR key.</summary>
    public ValueTask<long> DecrAsync(ReadOnlySpan<byte> key) => IncrByAsync(key, -1);

    /// <summary>DECRBY key decrement.</summary>
    public ValueTask<long> DecrByAsync(ReadOnlySpan<byte> key, long decrement)
    {
        if (decrement == long.MinValue)
        {
            throw new KiwiException("ERR decrement would overflow");
        }

        return IncrByAsync(key, -decrement);
    }

    /// <summary>INCRBY key increment: returns the new value.</summary>
    public ValueTask<long> IncrByAsync(ReadOnlySpan<byte> key, long increment)
    {
        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.IncrBy, 0, Database, 1, increment);
        CommandFormat.AddArg(request.Payload, key);
        return AwaitInteger(SubmitRaw(request));
    }

    internal ApplyRequest BeginSet(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry, SetCondition condition, SetFlags flags, string command, int db = 0, Resp.RespVersion protocol = Resp.RespVersion.Resp3)
    {
        CheckLength(value.Length);
        long now = NowMs();
        long at = 0;
        if (expiry.SetsTime)
        {
            at = expiry.Resolve(now, command);
            flags |= SetFlags.Expire;
        }
        else if (expiry.Kind == KiwiExpiryKind.KeepTtl)
        {
            flags |= SetFlags.KeepTtl;
        }
        else if (expiry.Kind == KiwiExpiryKind.Persist)
        {
            throw new KiwiException("ERR syntax error");
        }

        flags |= condition switch
        {
            SetCondition.NotExists => SetFlags.Nx,
            SetCondition.Exists => SetFlags.Xx,
            _ => SetFlags.None,
        };

        ApplyRequest request = Begin(now, protocol);
        CommandFormat.AddCommand(request.Payload, OpCode.Set, (byte)flags, db, 2, at);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, value);
        return SubmitRaw(request);
    }

    internal ApplyRequest BeginKeyValue(OpCode op, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long n1, int db = 0, Resp.RespVersion protocol = Resp.RespVersion.Resp3)
    {
        CheckLength(value.Length);
        ApplyRequest request = Begin(NowMs(), protocol);
        CommandFormat.AddCommand(request.Payload, op, 0, db, 2, n1);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, value);
        return SubmitRaw(request);
    }

    private ApplyRequest BeginMSet(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs, OpCode op)
    {
        if (pairs.IsEmpty)
        {
            throw new KiwiException($"ERR wrong number of arguments for '{(op == OpCode.MSet ? "mset" : "msetnx")}' command");
        }

        foreach (KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> pair in pairs)
        {
            CheckLength(pair.Value.Length);
        }

        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, op, 0, Database, pairs.Length * 2);
        foreach (KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> pair in pairs)
        {
            CommandFormat.AddArg(request.Payload, pair.Key.Span);
            CommandFormat.AddArg(request.Payload, pair.Value.Span);
        }

        return SubmitRaw(request);
    }

    private static void CheckLength(long length)
    {
        if (length > Limits.MaxStringLength)
        {
            throw new KiwiException(KiwiError.StringTooLong);
        }
    }
}
