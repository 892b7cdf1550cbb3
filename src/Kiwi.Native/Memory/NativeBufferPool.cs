using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kiwi.Native.Memory;

/// <summary>
/// A pool of unmanaged memory blocks in power-of-two size classes (64 B to 1 MB). Larger requests are
/// allocated and freed directly. Each size class keeps a bounded stack of free blocks behind a short lock;
/// renting and returning never touch the GC heap.
/// </summary>
public sealed unsafe class NativeBufferPool : IDisposable
{
    private const int MinShift = 6;   // 64 B
    private const int MaxShift = 20;  // 1 MB
    private const int ClassCount = MaxShift - MinShift + 1;

    private readonly SizeClass[] _classes;
    private long _outstanding;
    private bool _disposed;

    /// <summary>The process-wide pool.</summary>
    public static NativeBufferPool Shared { get; } = new(retainPerClass: 1024);

    /// <summary>Creates a pool that keeps at most <paramref name="retainPerClass"/> free blocks per size class.</summary>
    public NativeBufferPool(int retainPerClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainPerClass, 1);
        _classes = new SizeClass[ClassCount];
        for (int i = 0; i < ClassCount; i++)
        {
            // Big blocks are retained sparingly: a burst of 1 MB values must not pin gigabytes.
            int retain = i + MinShift >= 16 ? Math.Max(1, retainPerClass / 64) : retainPerClass;
            _classes[i] = new SizeClass(1 << (i + MinShift), retain);
        }
    }

    /// <summary>Largest block size served from a size class; larger blocks are allocated directly.</summary>
    public static int MaxPooledSize => 1 << MaxShift;

    /// <summary>Blocks rented and not yet returned (leak detection in tests).</summary>
    public long Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Rents a block of at least <paramref name="minimumSize"/> bytes.</summary>
    public NativeBuffer Rent(int minimumSize)
    {
        if (minimumSize < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(minimumSize));
        }

        Interlocked.Increment(ref _outstanding);
        int index = ClassIndex(minimumSize);
        if (index >= ClassCount)
        {
            return RentOversized(minimumSize);
        }

        SizeClass sc = _classes[index];
        byte* p = sc.TryPop();
        if (p == null)
        {
            p = Allocate(sc.BlockSize);
        }

        return new NativeBuffer(p, sc.BlockSize, index);
    }

    /// <summary>Returns a block to the pool. Returning the default (empty) value is a no-op.</summary>
    public void Return(NativeBuffer buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        Interlocked.Decrement(ref _outstanding);
        if (buffer.SizeClass < 0 || Volatile.Read(ref _disposed) || !_classes[buffer.SizeClass].TryPush(buffer.Pointer))
        {
            NativeMemory.Free(buffer.Pointer);
        }
    }

    /// <summary>Frees every retained block. Blocks still rented are freed when returned.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (SizeClass sc in _classes)
        {
            sc.FreeAll();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClassIndex(int size)
    {
        if (size <= 1 << MinShift)
        {
            return 0;
        }

        int shift = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(size - 1));
        return shift - MinShift;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NativeBuffer RentOversized(int size) => new(Allocate(size), size, -1);

    private static byte* Allocate(int size)
    {
        byte* p = (byte*)NativeMemory.Alloc((nuint)Math.Max(size, 1));
        if (p == null)
        {
            ThrowHelper.ThrowOutOfMemory();
        }

        return p;
    }

    private sealed class SizeClass(int blockSize, int retain)
    {
        private readonly nint[] _free = new nint[retain];
        private int _count;
        private SpinLock _lock = new(enableThreadOwnerTracking: false);

        public int BlockSize { get; } = blockSize;

        public byte* TryPop()
        {
            bool taken = false;
            try
            {
                _lock.Enter(ref taken);
                return _count == 0 ? null : (byte*)_free[--_count];
            }
            finally
            {
                if (taken)
                {
                    _lock.Exit(useMemoryBarrier: false);
                }
            }
        }

        public bool TryPush(byte* p)
        {
            bool taken = false;
            try
            {
                _lock.Enter(ref taken);
                if (_count == _free.Length)
                {
                    return false;
                }

                _free[_count++] = (nint)p;
                return true;
            }
            finally
            {
                if (taken)
                {
                    _lock.Exit(useMemoryBarrier: false);
                }
            }
        }

        public void FreeAll()
        {
            bool taken = false;
            try
            {
                _lock.Enter(ref taken);
                while (_count > 0)
                {
                    NativeMemory.Free((void*)_free[--_count]);
                }
            }
            finally
            {
                if (taken)
                {
                    _lock.Exit(useMemoryBarrier: false);
                }
            }
        }
    }
}
