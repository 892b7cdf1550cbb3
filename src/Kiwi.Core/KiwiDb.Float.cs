using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>INCRBYFLOAT key increment (the increment as Redis text, e.g. "0.1" or "5.0e3"): returns the new value as text.</summary>
    public ValueTask<KiwiValue> IncrByFloatAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> increment)
    {
        if (!LongDouble.TryParse(increment, out _))
        {
            throw new KiwiException(KiwiError.NotFloat);
        }

        return AwaitValue(BeginKeyValue(OpCode.IncrByFloat, key, increment, 0));
    }
}
