using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Kiwi.Native.Memory;

/// <summary>
/// Asks the CPU to start loading a cache line before it is needed, so the loads of many independent lines (the
/// read-cache slots of a batch's keys) overlap instead of each stalling in turn. A hint only: it never faults and
/// changes no value, so a location that moves or is never read costs nothing but the instruction.
/// </summary>
public static class CachePrefetch
{
    /// <summary>Starts loading the line holding <paramref name="location"/> into every cache level (no-op where unsupported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            // The address is used only as a hint, never dereferenced: a GC moving the object makes it a useless hint.
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }
}
