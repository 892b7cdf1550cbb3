using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>
    /// INCRBYFLOAT key increment (the increment as Redis text, e.g. "0.1" or "5.0e3"): returns the new value as
    /// text, computed and formatted exactly as Redis does with <c>long double</c>. Errors come in Redis's order:
    /// WRONGTYPE, then an invalid stored value, then an invalid increment.
    /// </summary>
    public ValueTask<KiwiValue> IncrByFloatAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> increment)
        => AwaitValue(SubmitEntry(StringEntries.IncrByFloat(Target, key, increment)));
}
