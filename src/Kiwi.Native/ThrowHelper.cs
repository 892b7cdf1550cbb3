using System.Diagnostics.CodeAnalysis;

namespace Kiwi.Native;

/// <summary>Throwing lives here so the hot methods that call it stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string name) => throw new ArgumentOutOfRangeException(name);

    [DoesNotReturn]
    public static void ThrowObjectDisposed(string name) => throw new ObjectDisposedException(name);

    [DoesNotReturn]
    public static void ThrowNotSupported(string message) => throw new NotSupportedException(message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowOutOfMemory() => throw new OutOfMemoryException();
}
