using Kiwi.Native.Memory;
using RocksNative = RocksDbSharp.Native;

namespace Kiwi.Native.Rocks;

/// <content>Point reads: pinned slices copied into the caller's buffer, a value's first bytes, and existence checks.</content>
public sealed unsafe partial class RocksStore
{
    /// <summary>
    /// Reads <paramref name="key"/> into <paramref name="destination"/> (replacing its content) through a pinned
    /// slice: one copy, no managed allocation. Returns false when the key is absent.
    /// </summary>
    public bool TryGet(RocksColumn column, ReadOnlySpan<byte> key, ByteBuffer destination)
    {
        EnterCall();
        try
        {
            return ReadInto(_readOptions, column, key, destination);
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>
    /// Reads the first bytes of <paramref name="key"/>'s value into <paramref name="prefix"/> through a pinned slice
    /// (a large value is not copied whole); returns how many were copied, or -1 when the key is absent.
    /// </summary>
    public int TryGetPrefix(RocksColumn column, ReadOnlySpan<byte> key, Span<byte> prefix)
    {
        EnterCall();
        try
        {
            nint slice = GetPinned(_readOptions, column, key);
            if (slice == 0)
            {
                return -1;
            }

            try
            {
                nint p = RocksNative.Instance.rocksdb_pinnableslice_value(slice, out nuint len);
                int n = (int)Math.Min((ulong)len, (ulong)prefix.Length);
                new ReadOnlySpan<byte>((void*)p, n).CopyTo(prefix);
                return n;
            }
            finally
            {
                RocksNative.Instance.rocksdb_pinnableslice_destroy(slice);
            }
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>True when <paramref name="key"/> exists (no value copy).</summary>
    public bool Contains(RocksColumn column, ReadOnlySpan<byte> key)
    {
        EnterCall();
        try
        {
            return Exists(_readOptions, column, key);
        }
        finally
        {
            ExitCall();
        }
    }

    // The read itself, under a call the caller holds (its own, or an open snapshot's).
    private bool ReadInto(nint readOptions, RocksColumn column, ReadOnlySpan<byte> key, ByteBuffer destination)
    {
        nint slice = GetPinned(readOptions, column, key);
        if (slice == 0)
        {
            return false;
        }

        try
        {
            nint p = RocksNative.Instance.rocksdb_pinnableslice_value(slice, out nuint len);
            destination.Set(new ReadOnlySpan<byte>((void*)p, checked((int)len)));
            return true;
        }
        finally
        {
            RocksNative.Instance.rocksdb_pinnableslice_destroy(slice);
        }
    }

    private bool Exists(nint readOptions, RocksColumn column, ReadOnlySpan<byte> key)
    {
        nint slice = GetPinned(readOptions, column, key);
        if (slice == 0)
        {
            return false;
        }

        RocksNative.Instance.rocksdb_pinnableslice_destroy(slice);
        return true;
    }

    // The iterator holds a call of its own until it is disposed (and, when read at a snapshot, a pin on it).
    private nint GetPinned(nint readOptions, RocksColumn column, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            nint slice = RocksNative.Instance.rocksdb_get_pinned_cf(_db.Handle, readOptions, column.Handle, k, (nuint)key.Length, out nint error);
            RocksError.Check(error);
            return slice;
        }
    }
}
