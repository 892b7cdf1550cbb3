using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>FLUSHDB: removes every key of this database, atomically with respect to other writes.</summary>
    public ValueTask FlushDbAsync() => Flush(all: false);

    /// <summary>FLUSHALL: removes every key of every database.</summary>
    public ValueTask FlushAllAsync() => Flush(all: true);

    private ValueTask Flush(bool all) => AwaitOk(SubmitEntry(KeyEntries.Flush(Target, all)));

    /// <summary>DEL key: 1 when the key existed and was removed.</summary>
    public ValueTask<long> DelAsync(ReadOnlySpan<byte> key) => AwaitInteger(SubmitEntry(KeyEntries.Del(Target, new SpanArgs(key))));

    /// <summary>DEL key [key ...]: the number of keys that existed and were removed, atomically.</summary>
    public ValueTask<long> DelAsync(params ReadOnlySpan<ReadOnlyMemory<byte>> keys)
        => AwaitInteger(SubmitEntry(KeyEntries.Del(Target, new MemoryArgs(keys))));

    /// <summary>UNLINK: as DEL (storage reclaims space in the background either way).</summary>
    public ValueTask<long> UnlinkAsync(params ReadOnlySpan<ReadOnlyMemory<byte>> keys)
        => AwaitInteger(SubmitEntry(KeyEntries.Unlink(Target, new MemoryArgs(keys))));

    /// <summary>EXPIRE key seconds [NX|XX|GT|LT]: true when the expiry was set (or the key deleted because the time passed).</summary>
    public ValueTask<bool> ExpireAsync(ReadOnlySpan<byte> key, long seconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(SubmitEntry(KeyEntries.Expire(Target, key, seconds, condition, ExpireCommand.Expire)));

    /// <summary>PEXPIRE key milliseconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> PExpireAsync(ReadOnlySpan<byte> key, long milliseconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(SubmitEntry(KeyEntries.Expire(Target, key, milliseconds, condition, ExpireCommand.PExpire)));

    /// <summary>EXPIREAT key unix-seconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> ExpireAtAsync(ReadOnlySpan<byte> key, long unixSeconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(SubmitEntry(KeyEntries.Expire(Target, key, unixSeconds, condition, ExpireCommand.ExpireAt)));

    /// <summary>PEXPIREAT key unix-milliseconds [NX|XX|GT|LT].</summary>
    public ValueTask<bool> PExpireAtAsync(ReadOnlySpan<byte> key, long unixMilliseconds, ExpireCondition condition = ExpireCondition.None)
        => AwaitStatus(SubmitEntry(KeyEntries.Expire(Target, key, unixMilliseconds, condition, ExpireCommand.PExpireAt)));

    /// <summary>PERSIST key: true when an expiry was removed.</summary>
    public ValueTask<bool> PersistAsync(ReadOnlySpan<byte> key) => AwaitStatus(SubmitEntry(KeyEntries.Persist(Target, key)));
}
