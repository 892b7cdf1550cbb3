namespace Kiwi.Native.Rocks;

/// <summary>An opened column family of a <see cref="RocksStore"/>; valid while the store is open.</summary>
public readonly struct RocksColumn
{
    internal readonly nint Handle;

    internal RocksColumn(nint handle, int index)
    {
        Handle = handle;
        Index = index;
    }

    /// <summary>Position of the column family in <see cref="RocksStoreOptions.ColumnFamilies"/>.</summary>
    public int Index { get; }
}
