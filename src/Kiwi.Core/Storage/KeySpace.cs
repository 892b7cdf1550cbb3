namespace Kiwi.Core.Storage;

/// <summary>
/// The key spaces of the store; each is one RocksDB column family. The numeric values are the column
/// family order and are persisted: append only.
/// </summary>
internal enum KeySpace : byte
{
    /// <summary>User key → type, expiry and (for strings) the value.</summary>
    Meta = 0,

    /// <summary>Hash fields: <c>db|len(key)|key|version|field</c>.</summary>
    Hash = 1,

    /// <summary>Set members.</summary>
    Set = 2,

    /// <summary>Sorted-set members and scores.</summary>
    ZSet = 3,

    /// <summary>List elements.</summary>
    List = 4,

    /// <summary>Expiry index: <c>expireAt|db|key</c> → empty, read by the active expiry cycle.</summary>
    Expire = 5,

    /// <summary>Engine state: the applied index, snapshot metadata, Raft state.</summary>
    Raft = 6,
}

/// <summary>Names of the column families, indexed by <see cref="KeySpace"/>.</summary>
internal static class KeySpaces
{
    /// <summary>Column family names in <see cref="KeySpace"/> order.</summary>
    public static IReadOnlyList<string> ColumnFamilyNames { get; } = ["meta", "hash", "set", "zset", "list", "expire", "raft"];

    /// <summary>Number of key spaces.</summary>
    public const int Count = 7;
}
