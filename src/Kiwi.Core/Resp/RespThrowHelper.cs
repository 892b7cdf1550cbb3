using System.Diagnostics.CodeAnalysis;

namespace Kiwi.Core.Resp;

/// <summary>Throwing lives here so the hot RESP methods stay small and inlinable.</summary>
internal static class RespThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string name) => throw new ArgumentOutOfRangeException(name);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
