using Kiwi.Core.Commands;

namespace Kiwi.Core;

/// <content>Databases: handles on each of them, MOVE, SWAPDB.</content>
public sealed partial class KiwiDb
{
    // A handle on database `database` of `root`: every family and command of it runs there. It shares the root's
    // pipeline, storage and lifetime.
    private KiwiDb(KiwiDb root, int database)
    {
        _root = root;
        _database = database;
        _engine = root._engine;
        _ownsEngine = false;
        _ring = root._ring;
        _worker = root._worker;
        _walSyncer = root._walSyncer;
        _expiryCycle = root._expiryCycle;
        _cleanup = root._cleanup;
        _clock = root._clock;
        _durability = root._durability;
        _clusterMode = root._clusterMode;
        Memory = root.Memory;
        Bits = new KiwiBits(this);
    }

    /// <summary>The number of databases (<see cref="KiwiDbOptions.Databases"/>).</summary>
    public int DatabaseCount => _worker.Databases.Count;

    /// <summary>
    /// A handle on database <paramref name="index"/> (what SELECT <paramref name="index"/> picks in a session): its
    /// strings, keys, <see cref="Hashes"/>, <see cref="Sets"/>, <see cref="Lists"/>, <see cref="SortedSets"/> and
    /// <see cref="Bits"/>. The handle shares this store's pipeline and lifetime: disposing it does nothing, disposing
    /// the store ends it. The instance <see cref="Open(KiwiDbOptions)"/> returns is database 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not 0 to <see cref="DatabaseCount"/>-1.</exception>
    public KiwiDb GetDatabase(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, DatabaseCount);
        ThrowIfDisposed();
        KiwiDb root = Root;
        return index == root._database ? root : new KiwiDb(root, index);
    }

    /// <summary>
    /// MOVE key db: moves the key (any type, with its members and expiry) from this database to
    /// <paramref name="destinationDb"/>; false when it is absent here or present there.
    /// </summary>
    /// <exception cref="KiwiException"><paramref name="destinationDb"/> is out of range or this database (Redis's errors).</exception>
    public ValueTask<bool> MoveAsync(ReadOnlySpan<byte> key, int destinationDb, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return AwaitStatus(SubmitEntry(KeyEntries.Move(Target, key, destinationDb)));
    }

    /// <summary>SWAPDB: databases <paramref name="first"/> and <paramref name="second"/> trade their contents at once (O(1)).</summary>
    /// <exception cref="KiwiException">A database is out of range (Redis's error).</exception>
    public ValueTask SwapDatabasesAsync(int first, int second, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return AwaitOk(SubmitEntry(KeyEntries.SwapDb(Target, first, second)));
    }

    /// <summary>
    /// DBSIZE: the keys of this handle's database, in O(1) from the count the writer keeps. A key whose expiry has
    /// passed counts until it is removed (on access or by the expiry cycle), as in Redis.
    /// </summary>
    public long DbSize() => _worker.Counts.Keys(ReadDatabase);

    /// <summary>The keys of logical database <paramref name="logical"/> (see <see cref="DbSize"/>).</summary>
    internal long KeyCount(int logical) => _worker.Counts.Keys(PhysicalDatabase(logical));

    /// <summary>The keys with an expiry of logical database <paramref name="logical"/> (INFO keyspace's expires).</summary>
    internal long ExpiringKeyCount(int logical) => _worker.Counts.Expires(PhysicalDatabase(logical));

    /// <summary>The physical database id (the one in stored keys) logical database <paramref name="logical"/> stands on now.</summary>
    internal int PhysicalDatabase(int logical) => _worker.Databases.Physical(logical);

    /// <summary>Writer thread only: the keys of logical database <paramref name="logical"/> as the batch being built has them (DBSIZE inside EXEC).</summary>
    internal long WriterKeyCount(int logical) => _worker.Counts.WriterKeys(_worker.Databases.WriterPhysical(logical));

    /// <summary>Writer thread only: the physical id of <paramref name="logical"/> as the batch being built maps it.</summary>
    internal int WriterPhysicalDatabase(int logical) => _worker.Databases.WriterPhysical(logical);

    /// <summary>Where this handle's reads look: the physical id its database stands on now (see <see cref="Storage.DatabaseMap"/>).</summary>
    internal int ReadDatabase => _worker.Databases.Physical(_database);

    private KiwiDb Root => _root ?? this;
}
