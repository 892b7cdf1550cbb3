using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kiwi.Native.Memory;

/// <summary>
/// One block of zeroed memory outside the GC heap, for a large table read at random (the read cache): on Linux
/// it is mapped straight from the kernel (so pages never touched cost no memory) and asked for on transparent
/// huge pages, so that the whole table needs a few dozen TLB entries instead of one per 4 KiB page. Elsewhere,
/// or when the mapping fails, it is plain zeroed native memory. The pointer never leaves this assembly; callers
/// reach the memory through bounds-checked spans and references. Freed when disposed or, like a managed array,
/// when nothing references it any more (a handle keeps it alive while a caller uses it).
/// </summary>
public sealed unsafe class HugePageBlock : SafeHandle
{
    private const long HugePage = 2L * 1024 * 1024;
    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymous = 0x02 | 0x20;
    private const int AdviseHugePage = 14;

    private readonly byte* _data;
    private readonly long _mapped;

    private HugePageBlock(long length)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Length = length;
        if (OperatingSystem.IsLinux() && TryMap(length, out void* mapping, out long mapped))
        {
            _mapped = mapped;
            SetHandle((IntPtr)mapping);
            // The huge-page-aligned part of the mapping; the rest of it is the slack that alignment needs.
            _data = (byte*)(((long)mapping + HugePage - 1) & ~(HugePage - 1));
            OnHugePages = madvise(_data, (nuint)length, AdviseHugePage) == 0;
        }
        else
        {
            _data = (byte*)NativeMemory.AllocZeroed((nuint)length);
            SetHandle((IntPtr)_data);
        }

        GC.AddMemoryPressure(length);
    }

    /// <summary>Bytes usable from offset 0.</summary>
    public long Length { get; }

    /// <summary>True when the kernel accepted the huge-page advice for the whole block.</summary>
    public bool OnHugePages { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates <paramref name="length"/> zeroed bytes (at least one), aligned to 2 MiB where mapped.</summary>
    public static HugePageBlock Allocate(long length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return new HugePageBlock(length);
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Slice(long offset, int length)
    {
        if ((ulong)offset > (ulong)Length || (ulong)length > (ulong)(Length - offset))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset));
        }

        return new Span<byte>(_data + offset, length);
    }

    /// <summary>The 64-bit word at <paramref name="offset"/> (a multiple of 8: atomic operations on it never straddle a cache line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref long Int64At(long offset)
    {
        if ((ulong)offset > (ulong)(Length - sizeof(long)) || (offset & (sizeof(long) - 1)) != 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset));
        }

        return ref *(long*)(_data + offset);
    }

    /// <summary>Starts loading the cache line holding the byte at <paramref name="offset"/> (a hint; see <see cref="CachePrefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(long offset)
    {
        if ((ulong)offset < (ulong)Length)
        {
            CachePrefetch.Line(ref _data[offset]);
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        if (_mapped > 0)
        {
            _ = munmap((void*)handle, (nuint)_mapped);
        }
        else
        {
            NativeMemory.Free((void*)handle);
        }

        GC.RemoveMemoryPressure(Length);
        return true;
    }

    private static bool TryMap(long length, out void* mapping, out long mapped)
    {
        mapped = length + HugePage;
        try
        {
            mapping = mmap(null, (nuint)mapped, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            mapping = null;
        }

        if (mapping == null || mapping == (void*)-1)
        {
            mapping = null;
            mapped = 0;
            return false;
        }

        return true;
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int munmap(void* address, nuint length);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int madvise(void* address, nuint length, int advice);
}
