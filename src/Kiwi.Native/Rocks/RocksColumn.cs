namespace Kiwi.Native.Rocks;

/// <summary>An opened column family of a <see cref="RocksStore"/>; valid while the store is open.</summary>
public readonly struct RocksColumn
{
    internal readonly nint Handle;

    internal RocksColumn(nint handle, int index, bool inplaceUpdates)
    {
        Handle = handle;
        Index = index;
        InplaceUpdates = inplaceUpdates;
    }

    /// <summary>Position of the column family in <see cref="RocksStoreOptions.ColumnFamilies"/>.</summary>
    public int Index { get; }

    /// <summary>True when the family updates memtable entries in place (and so refuses range deletes).</summary>
    public bool InplaceUpdates { get; }
}
