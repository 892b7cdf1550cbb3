using System.Runtime.InteropServices;

namespace Kiwi.Native.Ring;

/// <summary>A 64-bit counter alone on its cache lines so producers and the consumer do not false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    [FieldOffset(64)]
    public long Value;
}
