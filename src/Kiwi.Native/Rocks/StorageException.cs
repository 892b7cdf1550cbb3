namespace Kiwi.Native.Rocks;

/// <summary>A RocksDB call failed (I/O error, corruption, a closed database).</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception with RocksDB's message.</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with RocksDB's message and the underlying cause.</summary>
    public StorageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
