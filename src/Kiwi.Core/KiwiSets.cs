using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>
/// The set commands of a <see cref="KiwiDb"/> (<see cref="KiwiDb.Sets"/>): writes go through the writer as the same
/// entries the RESP server submits, reads answer at once from committed state through one read view.
/// </summary>
public sealed class KiwiSets
{
    private readonly KiwiDb _db;

    internal KiwiSets(KiwiDb db) => _db = db;

    /// <summary>SADD key member: true when the member was new.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public ValueTask<bool> AddAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(SetEntries.Add(_db.Target, key, new SpanArgs(member))).AsStatusTask();
    }

    /// <summary>SADD key member [member ...] in one write: returns how many members were new.</summary>
    public ValueTask<long> AddAsync(ReadOnlySpan<byte> key, ReadOnlySpan<ReadOnlyMemory<byte>> members, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(SetEntries.Add(_db.Target, key, new MemoryArgs(members))).AsIntegerTask();
    }

    /// <summary>SREM key member: true when the member was there.</summary>
    public ValueTask<bool> RemoveAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(SetEntries.Remove(_db.Target, key, new SpanArgs(member))).AsStatusTask();
    }

    /// <summary>SREM key member [member ...] in one write: returns how many members were removed.</summary>
    public ValueTask<long> RemoveAsync(ReadOnlySpan<byte> key, ReadOnlySpan<ReadOnlyMemory<byte>> members, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _db.SubmitEntry(SetEntries.Remove(_db.Target, key, new MemoryArgs(members))).AsIntegerTask();
    }

    /// <summary>SISMEMBER key member.</summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public bool Contains(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out ulong version, out _) && CollectionReads.TryGetMember(view, KeySpace.Set, _db.ReadDatabase, key, version, member, out _);
    }

    /// <summary>SCARD key: the number of members (0 when missing), O(1).</summary>
    public long Count(ReadOnlySpan<byte> key)
    {
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        return Find(view, key, out _, out long count) ? count : 0;
    }

    /// <summary>
    /// SMEMBERS key: calls <paramref name="visit"/> with every member in byte order. The walk holds a read view:
    /// writes wait until it ends, so keep the visitor short.
    /// </summary>
    public void ForEach(ReadOnlySpan<byte> key, SetVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using StorageSnapshot view = _db.Engine.OpenSnapshot();
        if (!Find(view, key, out ulong version, out _))
        {
            return;
        }

        using MemberCursor cursor = CollectionReads.OpenMembers(view, KeySpace.Set, _db.ReadDatabase, key, version);
        for (; cursor.Valid; cursor.Next())
        {
            visit(cursor.Member);
        }
    }

    private bool Find(StorageSnapshot view, ReadOnlySpan<byte> key, out ulong version, out long count)
        => CollectionReads.Find(view, _db.ReadDatabase, key, _db.NowMs(), KeyType.Set, out version, out count);
}

/// <summary>Receives one member of a set; the span is valid during the call only.</summary>
public delegate void SetVisitor(ReadOnlySpan<byte> member);
