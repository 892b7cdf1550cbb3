using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <content>
/// Collections in the writer's batch: a meta record of format 1 (type, expiry, version, count) and members in
/// the type's key space under <c>db | len(key) | key | version</c>. A new collection gets a new version, so
/// deleting or overwriting one is O(1): its old members are no longer reachable from any meta record.
/// </content>
internal sealed partial class ApplyContext
{
    private readonly ByteBuffer _dataKey = new();
    private ulong _versionBase;
    private int _versionCounter;

    /// <summary>Version of the collection found by the last <see cref="Read"/> (0 for a string or none).</summary>
    public ulong CurrentVersion => MetaValue.Version(Current.WrittenSpan);

    /// <summary>Encoding of the collection found by the last <see cref="Read"/>.</summary>
    public CollectionEncoding CurrentEncoding => MetaValue.Encoding(Current.WrittenSpan);

    /// <summary>Member count of the collection found by the last <see cref="Read"/>.</summary>
    public long CurrentCount => MetaValue.Count(Current.WrittenSpan);

    /// <summary>
    /// Called before each entry: versions handed out while it applies derive from its log position, so every
    /// replica (and a replay) gives the same collection the same version, and no two collections share one.
    /// </summary>
    internal void BeginEntry(long index, int subIndex)
    {
        _versionBase = (unchecked((ulong)index) << 24) | ((ulong)(uint)(subIndex & 0x3FF) << 14);
        _versionCounter = 0;
    }

    /// <summary>
    /// Loads the collection at <paramref name="key"/> for a command that creates it when missing: false when the
    /// key holds another type (the caller replies WRONGTYPE); a missing collection gets a new version and count 0.
    /// </summary>
    public bool OpenCollection(int db, ReadOnlySpan<byte> key, KeyType type, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding)
    {
        KeyType found = Read(db, key);
        if (found == KeyType.None)
        {
            version = NewVersion();
            count = 0;
            expireAt = 0;
            encoding = CollectionEncoding.Compact;
            return true;
        }

        version = CurrentVersion;
        count = CurrentCount;
        expireAt = CurrentExpireAt;
        encoding = CurrentEncoding;
        return found == type;
    }

    /// <summary>A version for a collection created now (see <see cref="BeginEntry"/>).</summary>
    public ulong NewVersion() => _versionBase | (uint)(_versionCounter++ & 0x3FFF);

    /// <summary>
    /// Writes the meta record of a collection. A count of 0 deletes the key instead (Redis never keeps an empty
    /// collection).
    /// </summary>
    public void PutCollection(int db, ReadOnlySpan<byte> key, KeyType type, long expireAtMs, ulong version, long count, CollectionEncoding encoding)
    {
        if (count <= 0)
        {
            Delete(db, key);
            return;
        }

        ReadOnlySpan<byte> metaKey = KeyCodec.Meta(_metaKey, db, key);
        CountPut(db, key, metaKey, expireAtMs);
        Span<byte> record = Writes.Reserve(KeySpace.Meta, metaKey, MetaValue.CollectionHeaderSize);
        MetaValue.WriteCollectionHeader(record, type, expireAtMs, version, count, encoding);
        if (expireAtMs != 0)
        {
            IndexExpiry(db, key, expireAtMs);
        }

        NoteKeyWritten(db, key, count);
    }

    /// <summary>Reads a member's value into <paramref name="value"/>; false when it is absent.</summary>
    public bool TryGetMember(KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, ByteBuffer value)
        => Writes.ReadThrough(_engine, space, KeyCodec.Data(_dataKey, db, key, version, member), value);

    /// <summary>True when the member exists (its value goes to <see cref="Build"/>'s sibling scratch, not kept).</summary>
    public bool ContainsMember(KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member)
        => TryGetMember(space, db, key, version, member, _memberScratch);

    /// <summary>Writes a member (the spans are copied; they must not point into <see cref="Writes"/>).</summary>
    public void PutMember(KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, ReadOnlySpan<byte> value)
        => Writes.Put(space, KeyCodec.Data(_dataKey, db, key, version, member), value);

    /// <summary>Deletes a member.</summary>
    public void DeleteMember(KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member)
        => Writes.Delete(space, KeyCodec.Data(_dataKey, db, key, version, member));

    /// <summary>Walks the members of a collection in byte order, as this batch sees them (see <see cref="MemberCursor"/>), from the first at or after <paramref name="from"/>.</summary>
    public MemberCursor OpenMembers(KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> from = default)
        => OpenWalk(space, KeyCodec.Data(_dataKey, db, key, version, default), from);

    /// <summary>A cursor over committed state alone (a walk that merges the batch itself, e.g. backwards).</summary>
    public IStorageCursor OpenEngineCursor(KeySpace space) => _engine.OpenCursor(space);

    /// <summary>
    /// RENAME/COPY of a collection: its members are copied under <paramref name="destination"/> with a new version
    /// (a member's key holds its collection's key), and <paramref name="record"/> (the source's meta record, not
    /// pointing into <see cref="Writes"/>) is written there with that version.
    /// </summary>
    public void CopyCollection(int sourceDb, ReadOnlySpan<byte> source, int destinationDb, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> record)
    {
        KeySpace space = SpaceOf(MetaValue.Type(record));
        ulong from = MetaValue.Version(record);
        ulong to = NewVersion();
        using var member = new ByteBuffer();
        using var value = new ByteBuffer();
        using (MemberCursor cursor = OpenMembers(space, sourceDb, source, from))
        {
            for (; cursor.Valid; cursor.Next())
            {
                // The cursor's spans may point into the batch, which the put below grows: copy them out first.
                member.Set(cursor.Member);
                value.Set(cursor.Value);
                PutMember(space, destinationDb, destination, to, member.WrittenSpan, value.WrittenSpan);
            }
        }

        Build.Set(record);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(Build.WrittenSpanMutable[9..], to);
        PutRecord(destinationDb, destination, Build.WrittenSpan);
    }

    /// <summary>
    /// Most members a collection may have for <see cref="DropMembers"/> to delete them in the batch that drops it;
    /// bigger ones are left to the background cleanup (Cleanup.CollectionCleanup), so a DEL stays bounded work.
    /// </summary>
    public const long InlineDropLimit = 64;

    /// <summary>
    /// Called as <paramref name="record"/>, the meta record of (<paramref name="db"/>, <paramref name="key"/>) until
    /// now, stops being it (deleted, expired, renamed away): a small collection's members go with it, by one range
    /// delete in this batch. Nothing can name them again (versions are never reused), so no read sees a difference.
    /// </summary>
    public void DropMembers(int db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> record)
    {
        if (!MetaValue.IsCollection(record) || MetaValue.Count(record) > InlineDropLimit
            || MetaValue.Type(record) is not (KeyType.Hash or KeyType.Set or KeyType.ZSet or KeyType.List))
        {
            return;
        }

        ReadOnlySpan<byte> group = KeyCodec.Data(_dataKey, db, key, MetaValue.Version(record), default);
        _groupEnd.Clear();
        KeyCodec.GroupEnd(group, _groupEnd.GetSpan(group.Length)[..group.Length]);
        _groupEnd.Advance(group.Length);
        Writes.DeleteRange(SpaceOf(MetaValue.Type(record)), group, _groupEnd.WrittenSpan, retired: true);
    }

    /// <summary>The key space holding the members of <paramref name="type"/>.</summary>
    public static KeySpace SpaceOf(KeyType type) => type switch
    {
        KeyType.Hash => KeySpace.Hash,
        KeyType.Set => KeySpace.Set,
        KeyType.ZSet => KeySpace.ZSet,
        KeyType.List => KeySpace.List,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a collection"),
    };

    /// <summary>Scratch for a random probe's prefix and its seek key (RandomProbe).</summary>
    internal ByteBuffer ProbePrefix { get; } = new();

    /// <inheritdoc cref="ProbePrefix"/>
    internal ByteBuffer ProbeKey { get; } = new();

    /// <summary>The member a random probe picked, copied out of the walk.</summary>
    internal ByteBuffer ProbeMember { get; } = new();

    private readonly ByteBuffer _memberScratch = new();
    private readonly ByteBuffer _groupEnd = new();
}
