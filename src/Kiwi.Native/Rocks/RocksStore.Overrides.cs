using System.Runtime.InteropServices;
using RocksDbSharp;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>RocksDB options given as RocksDB's own options string, on top of the store's choices.</content>
public sealed partial class RocksStore
{
    // A copy of options with overrides applied (RocksDB's GetOptionsFromString: "name=value;…", table options as
    // "block_based_table_factory={block_size=8192}", which keeps the other table options and the shared cache).
    // The same string goes to the database and to every family: each takes the names that concern it.
    private static T WithOverrides<T>(T options, string? overrides)
        where T : OptionsHandle, new()
    {
        if (string.IsNullOrWhiteSpace(overrides))
        {
            return options;
        }

        var result = new T();
        nint text = Marshal.StringToCoTaskMemUTF8(overrides);
        nint error;
        try
        {
            RocksNative.Instance.rocksdb_get_options_from_string(options.Handle, text, result.Handle, out error);
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }

        if (error != 0)
        {
            try
            {
                RocksError.Check(error);
            }
            catch (StorageException ex)
            {
                throw new ArgumentException($"RocksDB options '{overrides}': {ex.Message}", ex);
            }
        }

        return result;
    }
}
