using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>Numbers RocksDB keeps about itself (memory, compaction debt, write stalls), for INFO and metrics.</content>
public sealed unsafe partial class RocksStore
{
    /// <summary>
    /// An integer property (<c>rocksdb.cur-size-all-mem-tables</c>, <c>rocksdb.estimate-pending-compaction-bytes</c>…)
    /// summed over every column family; 0 when RocksDB does not know it. Not for hot paths (a native call per family).
    /// </summary>
    public ulong SumIntProperty(string name)
    {
        EnterCall();
        try
        {
            Span<byte> utf8 = stackalloc byte[128];
            ulong sum = 0;
            fixed (byte* text = Terminated(name, utf8))
            {
                foreach (RocksColumn column in _columns)
                {
                    ulong value = 0;
                    if (RocksNative.Instance.rocksdb_property_int_cf(_db.Handle, column.Handle, (nint)text, (nint)(&value)) == 0)
                    {
                        sum += value;
                    }
                }
            }

            return sum;
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>A database-wide integer property (<c>rocksdb.num-running-compactions</c>, <c>rocksdb.is-write-stopped</c>…); 0 when unknown.</summary>
    public ulong IntProperty(string name)
    {
        EnterCall();
        try
        {
            Span<byte> utf8 = stackalloc byte[128];
            ulong value = 0;
            fixed (byte* text = Terminated(name, utf8))
            {
                return RocksNative.Instance.rocksdb_property_int(_db.Handle, (nint)text, (nint)(&value)) == 0 ? value : 0;
            }
        }
        finally
        {
            ExitCall();
        }
    }

    // The name as a NUL-terminated UTF-8 string in buffer (property names are short ASCII).
    private static Span<byte> Terminated(string name, Span<byte> buffer)
    {
        int length = System.Text.Encoding.UTF8.GetBytes(name, buffer[..^1]);
        buffer[length] = 0;
        return buffer[..(length + 1)];
    }

    /// <summary>A database-wide text property (<c>rocksdb.dbstats</c>…), or null.</summary>
    public string? TextProperty(string name)
    {
        EnterCall();
        try
        {
            return _db.GetProperty(name);
        }
        finally
        {
            ExitCall();
        }
    }
}
