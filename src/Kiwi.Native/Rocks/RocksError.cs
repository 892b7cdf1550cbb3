using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <summary>Turns a RocksDB C API error pointer into a <see cref="StorageException"/>.</summary>
internal static class RocksError
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(nint error)
    {
        if (error != 0)
        {
            Throw(error);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint error)
    {
        string message = Marshal.PtrToStringUTF8(error) ?? "unknown RocksDB error";
        RocksNative.Instance.rocksdb_free(error);
        throw new StorageException(message);
    }
}
