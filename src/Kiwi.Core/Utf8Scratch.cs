using System.Text;
using Kiwi.Native.Memory;

namespace Kiwi.Core;

/// <summary>
/// Per-thread buffers that turn string arguments into UTF-8 spans without allocating. The spans are valid
/// until the next call on the same thread with the same slot, which is long enough: every API copies its
/// arguments into the entry before it returns.
/// </summary>
internal static class Utf8Scratch
{
    [ThreadStatic]
    private static ByteBuffer? t_first;

    [ThreadStatic]
    private static ByteBuffer? t_second;

    public static ReadOnlySpan<byte> First(string text) => Encode(t_first ??= new ByteBuffer(), text);

    public static ReadOnlySpan<byte> Second(string text) => Encode(t_second ??= new ByteBuffer(), text);

    private static ReadOnlySpan<byte> Encode(ByteBuffer buffer, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        buffer.Clear();
        int written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
        return buffer.WrittenSpan;
    }
}
