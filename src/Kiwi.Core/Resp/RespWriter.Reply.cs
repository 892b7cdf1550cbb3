using System.Runtime.CompilerServices;
using System.Text;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Resp;

/// <content>Error lines that carry text.</content>
internal readonly partial struct RespWriter
{
    /// <summary>Error lines up to this size are assembled on the stack.</summary>
    private const int MaxStackLine = 512;

    /// <summary>
    /// An error carrying text: with <see cref="KiwiError.None"/> the text is the whole line (an error found
    /// before the command was submitted), otherwise the error's line followed by " (" text ")". CR/LF in the text
    /// become spaces, as Redis's <c>addReplyErrorFormat</c> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void WriteError(KiwiError error, string detail)
    {
        ReadOnlySpan<byte> text = error == KiwiError.None ? default : KiwiErrorText.Utf8(error);
        int extra = text.IsEmpty ? 0 : 3;
        // A whole line found before submitting carries raw bytes one char each (Latin-1), as the command layer
        // builds it from arguments; a storage detail is ordinary UTF-8 text.
        Encoding encoding = error == KiwiError.None ? Encoding.Latin1 : Encoding.UTF8;
        int length = text.Length + extra + encoding.GetByteCount(detail);
        Span<byte> line = length <= MaxStackLine ? stackalloc byte[MaxStackLine] : new byte[length];
        line = line.Slice(0, length);
        text.CopyTo(line);
        int pos = text.Length;
        if (extra != 0)
        {
            line[pos++] = (byte)' ';
            line[pos++] = (byte)'(';
            line[^1] = (byte)')';
        }

        encoding.GetBytes(detail, line.Slice(pos));
        for (int i = text.Length; i < line.Length; i++)
        {
            if (line[i] is (byte)'\r' or (byte)'\n')
            {
                line[i] = (byte)' ';
            }
        }

        WriteError(line);
    }
}
