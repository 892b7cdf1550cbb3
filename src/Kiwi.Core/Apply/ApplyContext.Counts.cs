using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <content>
/// Key counts (<see cref="DatabaseCounts"/>): every meta record written or deleted compares what the key was
/// before (present, with an expiry) with what it becomes. The key a command just read is remembered, so the
/// usual read-then-write costs no second lookup; a blind write (SET) looks the key up in the batch, then storage.
/// </content>
internal sealed partial class ApplyContext
{
    private readonly ByteBuffer _knownKey = new();
    private bool _knownExists;
    private long _knownExpireAt;

    /// <summary>The per-database key counts the writer keeps.</summary>
    public DatabaseCounts Counts { get; init; } = new(16);

    /// <summary>Forgets the remembered key (its state may have changed other than through this context: a range delete, a rollback, a new batch).</summary>
    public void ForgetKnownKey() => _knownKey.Clear();

    // Before a meta record of physical database `db` at `key` (`metaKey`) is put: counts it, and notes Redis's "new"
    // event (class n) when the key held no live record, as Redis's dbAdd does before the write's own event. The
    // count's lookup answers both: no second one for the event.
    private void CountPut(int db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> metaKey, long expireAt)
    {
        if (!CountMetaWrite(db, metaKey, exists: true, expireAt) && Events.Wants(PubSub.KeyspaceEventClasses.New))
        {
            Events.Note(PubSub.KeyspaceEventClasses.New, "new"u8, db, key);
        }
    }

    // Before a meta record of physical database `db` at `metaKey` is put (exists) or deleted: counts the change.
    // Returns whether the key held a live record before.
    private bool CountMetaWrite(int db, ReadOnlySpan<byte> metaKey, bool exists, long expireAt)
    {
        bool existed;
        long before;
        if (_knownKey.Length == metaKey.Length && metaKey.SequenceEqual(_knownKey.WrittenSpan))
        {
            existed = _knownExists;
            before = _knownExpireAt;
        }
        else
        {
            switch (Writes.Find(KeySpace.Meta, metaKey, out ReadOnlySpan<byte> pending))
            {
                case WriteSet.Lookup.Put:
                    existed = true;
                    before = MetaValue.ExpireAt(pending);
                    break;
                case WriteSet.Lookup.Deleted:
                    existed = false;
                    before = 0;
                    break;
                default:
                    // The header alone: a large value is not copied.
                    Span<byte> header = stackalloc byte[MetaValue.HeaderSize];
                    int read = _engine.TryGetPrefix(KeySpace.Meta, metaKey, header);
                    existed = read >= 0;
                    before = read >= MetaValue.HeaderSize ? MetaValue.ExpireAt(header) : 0;
                    break;
            }
        }

        Counts.Add(db, (exists ? 1 : 0) - (existed ? 1 : 0), (exists && expireAt != 0 ? 1 : 0) - (existed && before != 0 ? 1 : 0));
        Remember(metaKey, exists, expireAt);
        return existed && !MetaValue.IsExpired(before, Now);
    }

    // What the batch now holds at `metaKey`.
    private void Remember(ReadOnlySpan<byte> metaKey, bool exists, long expireAt)
    {
        _knownKey.Set(metaKey);
        _knownExists = exists;
        _knownExpireAt = exists ? expireAt : 0;
    }

    private void DisposeCounts()
    {
        _knownKey.Dispose();
    }
}
