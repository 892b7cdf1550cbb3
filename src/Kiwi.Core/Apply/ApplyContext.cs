using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <summary>
/// What a command sees while the writer applies a batch: reads go through the batch's own writes first
/// (read-your-writes), then the engine; writes go into the batch. Owned by the single writer thread.
/// </summary>
internal sealed partial class ApplyContext : IDisposable
{
    private readonly IStorageEngine _engine;
    private readonly ByteBuffer _metaKey = new();
    private readonly ByteBuffer _indexKey = new();
    private readonly ByteBuffer _probeKey = new();
    private readonly ByteBuffer _probe = new();

    internal ApplyContext(IStorageEngine engine, WriteSet writes)
    {
        _engine = engine;
        Writes = writes;
    }

    /// <summary>Keyspace notifications of the batch (published after its commit).</summary>
    public PubSub.KeyspaceEvents Events { get; init; } = null!;

    /// <summary>The batch being built.</summary>
    public WriteSet Writes { get; }

    /// <summary>Where the live entries of sorted sets popped from begin and end (writer-side seek bounds).</summary>
    public Commands.SortedSets.ZSetEdges ZSetEdges { get; } = new();

    /// <summary>The pairs a pop took, reused by every pop (a pop never runs inside another).</summary>
    public Commands.SortedSets.ZEntryList Popped { get; } = new();

    /// <summary>
    /// Set by a command after which the batch must be committed before the next entry runs (FLUSHDB: its range
    /// delete of an in-place family must not share a storage write with later puts there). Cleared per batch.
    /// </summary>
    public bool EndBatch { get; set; }

    /// <summary>While the commands of a transaction (EXEC) run: they must all land in the batch's one storage write.</summary>
    public bool InTransaction { get; set; }

    /// <summary>Set by SWAPDB: after the batch is published every blocked client looks at its keys again. Cleared per batch.</summary>
    public bool WakeAllBlocked { get; set; }

    /// <summary>Which physical database each logical one stands on; commands arrive already translated (see <see cref="Commands.CommandExecutor"/>).</summary>
    public DatabaseMap Databases { get; init; } = new(16);

    /// <summary>The entry's clock reading (unix ms), fixed at proposal.</summary>
    public long Now { get; internal set; }

    /// <summary>The meta record found by the last <see cref="Read"/> (header and payload).</summary>
    public ByteBuffer Current { get; } = new();

    /// <summary>Scratch space for building a new value.</summary>
    public ByteBuffer Build { get; } = new();

    /// <summary>Expiry of the key found by the last <see cref="Read"/> (0 = none).</summary>
    public long CurrentExpireAt => MetaValue.ExpireAt(Current.WrittenSpan);

    /// <summary>Payload of the key found by the last <see cref="Read"/> (the value of a string).</summary>
    public ReadOnlySpan<byte> CurrentPayload => MetaValue.Payload(Current.WrittenSpan);

    /// <summary>
    /// Loads the live meta record of <paramref name="key"/> into <see cref="Current"/> and returns its type, or
    /// <see cref="KeyType.None"/> when it is absent or expired (an expired record is deleted in this batch).
    /// </summary>
    public KeyType Read(int db, ReadOnlySpan<byte> key)
    {
        KeyType type = ReadRaw(db, key);
        if (type != KeyType.None && MetaValue.IsExpired(CurrentExpireAt, Now))
        {
            CountMetaWrite(db, _metaKey.WrittenSpan, exists: false, 0);
            Writes.Delete(KeySpace.Meta, _metaKey.WrittenSpan);
            DropMembers(db, key, Current.WrittenSpan);
            Events.Note(PubSub.KeyspaceEventClasses.Expired, "expired"u8, db, key);
            return KeyType.None;
        }

        return type;
    }

    /// <summary>
    /// A hint that a command of the batch will read the meta record of <paramref name="key"/> in logical database
    /// <paramref name="db"/>: the engine may start loading what that read touches (see <see cref="IStorageEngine.Prefetch"/>).
    /// </summary>
    public void Prefetch(int db, ReadOnlySpan<byte> key)
        => _engine.Prefetch(KeySpace.Meta, KeyCodec.Meta(_probeKey, Databases.WriterPhysical(db), key));

    /// <summary>Like <see cref="Read"/> but returns expired records too.</summary>
    public KeyType ReadRaw(int db, ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        if (!Writes.ReadThrough(_engine, KeySpace.Meta, metaKey, Current))
        {
            Current.Clear();
            Remember(metaKey, exists: false, 0);
            return KeyType.None;
        }

        Remember(metaKey, exists: true, CurrentExpireAt);
        return MetaValue.Type(Current.WrittenSpan);
    }

    /// <summary>
    /// Writes a string record and returns its payload (length <paramref name="length"/>) to fill in before the
    /// next call on this context. Expiring records are added to the expiry index.
    /// </summary>
    public Span<byte> ReserveString(int db, ReadOnlySpan<byte> key, int length, long expireAtMs)
    {
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountPut(db, key, metaKey, expireAtMs);
        Span<byte> record = Writes.Reserve(KeySpace.Meta, metaKey, MetaValue.HeaderSize + length);
        MetaValue.WriteHeader(record, KeyType.String, expireAtMs);
        Span<byte> payload = record[MetaValue.HeaderSize..];
        if (expireAtMs != 0)
        {
            IndexExpiry(db, key, expireAtMs);
        }

        return payload;
    }

    /// <summary>Writes a string record with <paramref name="value"/> (which must not point into <see cref="Writes"/>).</summary>
    public void PutString(int db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireAtMs)
        => value.CopyTo(ReserveString(db, key, value.Length, expireAtMs));

    /// <summary>Writes a whole meta record (header and payload, e.g. copied from another key), indexing its expiry.</summary>
    public void PutRecord(int db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> record)
    {
        long expireAtMs = MetaValue.ExpireAt(record);
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountPut(db, key, metaKey, expireAtMs);
        Writes.Put(KeySpace.Meta, metaKey, record);
        if (expireAtMs != 0)
        {
            IndexExpiry(db, key, expireAtMs);
        }

        NoteKeyWritten(db, key, MetaValue.Count(record));
    }

    /// <summary>Rewrites the record in <see cref="Current"/> with a new expiry, keeping type and payload.</summary>
    public void RewriteExpiry(int db, ReadOnlySpan<byte> key, long expireAtMs)
    {
        ReadOnlySpan<byte> current = Current.WrittenSpan;
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountMetaWrite(db, metaKey, exists: true, expireAtMs);
        Span<byte> record = Writes.Reserve(KeySpace.Meta, metaKey, current.Length);
        current.CopyTo(record);
        MetaValue.SetExpireAt(record, expireAtMs);
        if (expireAtMs != 0)
        {
            IndexExpiry(db, key, expireAtMs);
        }
    }

    /// <summary>Deletes the key.</summary>
    public void Delete(int db, ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountMetaWrite(db, metaKey, exists: false, 0);
        Writes.Delete(KeySpace.Meta, metaKey);
    }

    /// <summary>Removes one expiry index entry.</summary>
    public void DeleteExpiryIndex(int db, ReadOnlySpan<byte> key, long expireAtMs)
        => Writes.Delete(KeySpace.Expire, KeyCodec.Expire(_indexKey, expireAtMs, db, key));

    /// <summary>True when <paramref name="key"/> holds a live record (leaves <see cref="Current"/> alone).</summary>
    public bool ExistsLive(int db, ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_probeKey, db, key);
        return Writes.Find(KeySpace.Meta, metaKey, out ReadOnlySpan<byte> pending) switch
        {
            WriteSet.Lookup.Put => !MetaValue.IsExpired(MetaValue.ExpireAt(pending), Now),
            WriteSet.Lookup.Deleted => false,
            _ => _engine.TryGet(KeySpace.Meta, metaKey, _probe) && !MetaValue.IsExpired(MetaValue.ExpireAt(_probe.WrittenSpan), Now),
        };
    }

    /// <summary>
    /// A STORE command's events: <paramref name="name"/> on <paramref name="destination"/> when it stored something,
    /// else "del" when it replaced a key (<paramref name="existed"/>), as Redis's *STORE commands notify.
    /// </summary>
    public void NoteStore(PubSub.KeyspaceEventClasses classes, ReadOnlySpan<byte> name, int db, ReadOnlySpan<byte> destination, long stored, bool existed)
    {
        if (stored > 0)
        {
            Events.Note(classes, name, db, destination);
        }
        else if (existed)
        {
            Events.Note(PubSub.KeyspaceEventClasses.Generic, "del"u8, db, destination);
        }
    }

    /// <summary>Notes a write's event, and Redis's "del" after it when the write left the collection empty.</summary>
    public void NoteWrite(PubSub.KeyspaceEventClasses classes, ReadOnlySpan<byte> name, int db, ReadOnlySpan<byte> key, long remaining = 1)
    {
        Events.Note(classes, name, db, key);
        if (remaining <= 0)
        {
            Events.Note(PubSub.KeyspaceEventClasses.Generic, "del"u8, db, key);
        }
    }

    /// <summary>Returns the scratch buffers to the pool.</summary>
    public void Dispose()
    {
        _metaKey.Dispose();
        _indexKey.Dispose();
        _probeKey.Dispose();
        _probe.Dispose();
        ZSetEdges.Dispose();
        DisposeSpareCursors();
        Popped.Dispose();
        Current.Dispose();
        Build.Dispose();
        _dataKey.Dispose();
        _memberScratch.Dispose();
        _groupEnd.Dispose();
        ProbePrefix.Dispose();
        ProbeKey.Dispose();
        ProbeMember.Dispose();
        _element.Dispose();
        DisposeElementReads();
        DisposeTransactions();
        DisposeCounts();
    }

    // Index entries are never removed when an expiry changes: the expiry cycle checks each one against the
    // record and drops stale ones, so plain SETs stay blind writes.
    private void IndexExpiry(int db, ReadOnlySpan<byte> key, long expireAtMs)
    {
        Writes.Put(KeySpace.Expire, KeyCodec.Expire(_indexKey, expireAtMs, db, key), default);
        ExpiryLow?.Note(expireAtMs);
    }

    /// <summary>Told the time of every entry put into the expiry index (the expiry cycle's resume point).</summary>
    public Expiry.ExpiryIndexLow? ExpiryLow { get; init; }
}
