using System.Buffers;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>
/// The hash commands of a <see cref="KiwiDb"/> (<see cref="KiwiDb.Hashes"/>): writes go through the writer like
/// every write (the same entries the RESP server submits), reads answer at once from committed state.
/// </summary>
public sealed class KiwiHashes
{
    private readonly KiwiDb _db;

    internal KiwiHashes(KiwiDb db) => _db = db;

    /// <summary>HSET key field value: true when the field is new, false when an existing one was overwritten.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public ValueTask<bool> SetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, CancellationToken cancellationToken = default)
        => SetCore(key, field, value, HashSetFlags.None, cancellationToken).AsStatusTask();

    /// <summary>HSETNX key field value: true when the field did not exist and was set.</summary>
    public ValueTask<bool> SetIfNotExistsAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, CancellationToken cancellationToken = default)
        => SetCore(key, field, value, HashSetFlags.OnlyNew, cancellationToken).AsStatusTask();

    /// <summary>HSET key field value [field value ...] in one write: returns how many fields were new.</summary>
    public ValueTask<long> SetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> fields, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(HashEntries.Set(_db.Target, key, new PairArgs(fields), HashSetFlags.None)).AsIntegerTask();
    }

    /// <summary>HDEL key field: true when the field existed.</summary>
    public ValueTask<bool> DeleteAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(HashEntries.Delete(_db.Target, key, new SpanArgs(field))).AsStatusTask();
    }

    /// <summary>HINCRBY key field increment: returns the new value.</summary>
    public ValueTask<long> IncrementAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, long increment, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(HashEntries.IncrBy(_db.Target, key, field, increment)).AsIntegerTask();
    }

    /// <summary>HGET key field into <paramref name="destination"/>: false (nothing written) when the key or field is missing.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public bool TryGet(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out _))
        {
            return false;
        }

        if (!CollectionReads.TryGetMember(view, KeySpace.Hash, _db.ReadDatabase, key, version, field, out ReadOnlySpan<byte> value))
        {
            return false;
        }

        destination.Write(value);
        CollectionReads.Release();
        return true;
    }

    /// <summary>HGET key field: the value in pooled memory (dispose it), or nil.</summary>
    public KiwiValue Get(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out _)
            || !CollectionReads.TryGetMember(view, KeySpace.Hash, _db.ReadDatabase, key, version, field, out ReadOnlySpan<byte> value))
        {
            return KiwiValue.Null;
        }

        KiwiValue copy = KiwiValue.Copy(value);
        CollectionReads.Release();
        return copy;
    }

    /// <summary>HEXISTS key field.</summary>
    public bool Exists(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out ulong version, out _) && CollectionReads.TryGetMember(view, KeySpace.Hash, _db.ReadDatabase, key, version, field, out _);
    }

    /// <summary>HLEN key: the number of fields (0 when missing), O(1).</summary>
    public long Length(ReadOnlySpan<byte> key)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out _, out long count) ? count : 0;
    }

    /// <summary>
    /// HGETALL key: calls <paramref name="visit"/> with every field and value in field byte order. The walk holds a
    /// read view: writes wait until it ends, so keep the visitor short.
    /// </summary>
    public void ForEach(ReadOnlySpan<byte> key, HashVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out _))
        {
            return;
        }

        using MemberCursor cursor = CollectionReads.OpenMembers(view, KeySpace.Hash, _db.ReadDatabase, key, version);
        for (; cursor.Valid; cursor.Next())
        {
            visit(cursor.Member, cursor.Value);
        }
    }

    private ApplyRequest SetCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, HashSetFlags flags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(HashEntries.Set(_db.Target, key, new SpanArgs(field, value), flags));
    }

    private bool Find(StorageSnapshot view, ReadOnlySpan<byte> key, out ulong version, out long count)
        => CollectionReads.Find(view, _db.ReadDatabase, key, _db.NowMs(), KeyType.Hash, out version, out count);
}

/// <summary>Receives one field and value of a hash; the spans are valid during the call only.</summary>
public delegate void HashVisitor(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value);
