using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Reads;

/// <summary>
/// Reads of committed state, run on the caller's thread without going through the writer. The meta record
/// is read into a per-thread scratch buffer (pinned RocksDB read, one copy, no GC allocation); expired keys
/// are invisible.
/// </summary>
internal static class ReadPath
{
    [ThreadStatic]
    private static ByteBuffer? t_key;

    [ThreadStatic]
    private static ByteBuffer? t_record;

    /// <summary>
    /// Loads the live meta record of <paramref name="key"/> into the thread's scratch buffer (see
    /// <see cref="Record"/>) and returns its type; None when absent or expired at <paramref name="nowMs"/>.
    /// </summary>
    public static KeyType Lookup(IStorageEngine engine, int db, ReadOnlySpan<byte> key, long nowMs)
    {
        ByteBuffer keyBuffer = t_key ??= new ByteBuffer();
        ByteBuffer record = t_record ??= new ByteBuffer();
        return Live(engine.TryGet(KeySpace.Meta, KeyCodec.Meta(keyBuffer, db, key), record), record, nowMs);
    }

    /// <summary>
    /// <see cref="Lookup(IStorageEngine, int, ReadOnlySpan{byte}, long)"/> through a read view: the lookups of one
    /// command that reads several keys go through one view, so they all see the same commits.
    /// </summary>
    public static KeyType Lookup(StorageSnapshot snapshot, int db, ReadOnlySpan<byte> key, long nowMs)
    {
        ByteBuffer keyBuffer = t_key ??= new ByteBuffer();
        ByteBuffer record = t_record ??= new ByteBuffer();
        return Live(snapshot.TryGet(KeySpace.Meta, KeyCodec.Meta(keyBuffer, db, key), record), record, nowMs);
    }

    private static KeyType Live(bool found, ByteBuffer record, long nowMs)
    {
        if (!found)
        {
            record.Clear();
            return KeyType.None;
        }

        ReadOnlySpan<byte> bytes = record.WrittenSpan;
        KeyType type = MetaValue.Type(bytes);
        if (type == KeyType.None || MetaValue.IsExpired(MetaValue.ExpireAt(bytes), nowMs))
        {
            record.Clear();
            return KeyType.None;
        }

        return type;
    }

    /// <summary>The record loaded by the last lookup on this thread, through either overload (valid until the next one).</summary>
    public static ReadOnlySpan<byte> Record => t_record is null ? default : t_record.WrittenSpan;

    /// <summary>Gives back a large scratch block after a big value was read.</summary>
    public static void Release() => t_record?.Clear();

    /// <summary>TTL/PTTL: -2 no key, -1 no expiry, else the remaining time (seconds rounded like Redis, or ms).</summary>
    public static long Ttl(IStorageEngine engine, int db, ReadOnlySpan<byte> key, long nowMs, bool milliseconds)
    {
        long at = ExpireAt(engine, db, key, nowMs);
        if (at < 0)
        {
            return at;
        }

        long ttl = Math.Max(0, at - nowMs);
        return milliseconds ? ttl : (ttl + 500) / 1000;
    }

    /// <summary>EXPIRETIME/PEXPIRETIME: -2 no key, -1 no expiry, else the absolute unix time (seconds or ms).</summary>
    public static long ExpireTime(IStorageEngine engine, int db, ReadOnlySpan<byte> key, long nowMs, bool milliseconds)
    {
        long at = ExpireAt(engine, db, key, nowMs);

        // Redis shares TTL's rounding here: (ms + 500) / 1000.
        return at < 0 || milliseconds ? at : (at + 500) / 1000;
    }

    /// <summary>The key's expiry in unix ms; -2 when there is no key, -1 when it does not expire.</summary>
    private static long ExpireAt(IStorageEngine engine, int db, ReadOnlySpan<byte> key, long nowMs)
    {
        if (Lookup(engine, db, key, nowMs) == KeyType.None)
        {
            return -2;
        }

        long at = MetaValue.ExpireAt(Record);
        Release();
        return at == 0 ? -1 : at;
    }

    /// <summary>
    /// GETRANGE's index rules (Redis 7): negative indexes count from the end; the range is clamped; an empty
    /// result when start &gt; end. Returns the (start, length) slice of a value of <paramref name="length"/> bytes.
    /// </summary>
    public static (int Start, int Length) Range(long length, long start, long end)
    {
        if (start < 0 && end < 0 && start > end)
        {
            return (0, 0);
        }

        if (start < 0)
        {
            start = length + start;
        }

        if (end < 0)
        {
            end = length + end;
        }

        if (start < 0)
        {
            start = 0;
        }

        if (end < 0)
        {
            end = 0;
        }

        if (end >= length)
        {
            end = length - 1;
        }

        if (length == 0 || start > end)
        {
            return (0, 0);
        }

        return ((int)start, (int)(end - start + 1));
    }
}
