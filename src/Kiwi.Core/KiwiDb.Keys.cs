using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>FLUSHDB: removes every key of this database, atomically with respect to other writes.</summary>
    public ValueTask FlushDbAsync() => Flush(all: false);

    /// <summary>FLUSHALL: removes every key of every database.</summary>
    public ValueTask FlushAllAsync() => Flush(all: true);

    private ValueTask Flush(bool all)
    {
        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.FlushDb, all ? (byte)1 : (byte)0, Database, 0);
        return AwaitOk(SubmitRaw(request));
    }

    /// <summary>DEL key: 1 when the key existed and was removed.</summary>
    public ValueTask<long> DelAsync(ReadOnlySpan<byte> key)
    {
        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Del, 0, Database, 1);
        CommandFormat.AddArg(request.Payload, key);
        return AwaitInteger(SubmitRaw(request));
    }

    /// <summary>DEL key [key ...]: the number of keys that existed and were removed, atomically.</summary>
    public ValueTask<long> DelAsync(params ReadOnlySpan<ReadOnlyMemory<byte>> keys)
    {
        if (keys.IsEmpty)
        {
            throw new KiwiException("ERR wrong number of arguments for 'del' command");
        }

        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Del, 0, Database, keys.Length);
        foreach (ReadOnlyMemory<byte> key in keys)
        {
            CommandFormat.AddArg(request.Payload, key.Span);
        }

        return AwaitInteger(SubmitRaw(request));
    }

    /// <summary>UNLINK: as DEL (storage reclaims space in the background either way).</summary>
    public ValueTask<long> UnlinkAsync(params ReadOnlySpan<ReadOnlyMemory<byte>> keys) => DelAsync(keys);

    /// <summary>EXPIRE key seconds [NX|XX|GT|LT]: true when the expiry was set (or the key deleted because the time passed).</summary>
    public ValueTask<bool> ExpireAsync(ReadOnlySpan<byte> key, long seconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(BeginExpire(key, seconds, condition, relative: true, unitSeconds: true, "expire"));

    /// <summary>PEXPIRE key milliseconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> PExpireAsync(ReadOnlySpan<byte> key, long milliseconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(BeginExpire(key, milliseconds, condition, relative: true, unitSeconds: false, "pexpire"));

    /// <summary>EXPIREAT key unix-seconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> ExpireAtAsync(ReadOnlySpan<byte> key, long unixSeconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(BeginExpire(key, unixSeconds, condition, relative: false, unitSeconds: true, "expireat"));

    /// <summary>PEXPIREAT key unix-milliseconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> PExpireAtAsync(ReadOnlySpan<byte> key, long unixMilliseconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(BeginExpire(key, unixMilliseconds, condition, relative: false, unitSeconds: false, "pexpireat"));

    /// <summary>PERSIST key: true when an expiry was removed.</summary>
    public ValueTask<bool> PersistAsync(ReadOnlySpan<byte> key)
    {
        ApplyRequest request = Begin(NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Persist, 0, Database, 1);
        CommandFormat.AddArg(request.Payload, key);
        return AwaitStatus(SubmitRaw(request));
    }

    /// <summary>
    /// Redis's EXPIRE arithmetic: negative times are allowed (the key is deleted), but the unit conversion and
    /// the addition of the base time must not overflow.
    /// </summary>
    internal ApplyRequest BeginExpire(ReadOnlySpan<byte> key, long when, ExpireCondition condition, bool relative, bool unitSeconds, string command, int db = 0, Resp.RespVersion protocol = Resp.RespVersion.Resp3)
    {
        if ((condition & ExpireCondition.Nx) != 0 && (condition & (ExpireCondition.Xx | ExpireCondition.Gt | ExpireCondition.Lt)) != 0)
        {
            throw new KiwiException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }

        if ((condition & ExpireCondition.Gt) != 0 && (condition & ExpireCondition.Lt) != 0)
        {
            throw new KiwiException("ERR GT and LT options at the same time are not compatible");
        }

        long now = NowMs();
        if (unitSeconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                throw KiwiExpiry.InvalidTime(command);
            }

            when *= 1000;
        }

        long basetime = relative ? now : 0;
        if (when > long.MaxValue - basetime)
        {
            throw KiwiExpiry.InvalidTime(command);
        }

        when += basetime;
        ApplyRequest request = Begin(now, protocol);
        CommandFormat.AddCommand(request.Payload, OpCode.Expire, (byte)condition, db, 1, when);
        CommandFormat.AddArg(request.Payload, key);
        return SubmitRaw(request);
    }
}
