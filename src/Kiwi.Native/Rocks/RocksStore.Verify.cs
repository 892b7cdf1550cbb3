using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>Reading every table file back to check it (block checksums).</content>
public sealed partial class RocksStore
{
    /// <summary>
    /// Reads every block of every table file and checks its checksum: throws <see cref="StorageException"/>
    /// ("Corruption: …") at the first damaged one. Takes as long as reading the data once.
    /// </summary>
    public void VerifyChecksums()
    {
        EnterCall();
        try
        {
            RocksNative.Instance.rocksdb_verify_checksum(_db.Handle, out nint error);
            RocksError.Check(error);
        }
        finally
        {
            ExitCall();
        }
    }
}
