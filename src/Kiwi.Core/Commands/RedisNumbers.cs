using System.Buffers.Text;

namespace Kiwi.Core.Commands;

/// <summary>Redis's exact integer rules: <c>string2ll</c> parsing and decimal formatting, without allocation.</summary>
internal static class RedisNumbers
{
    /// <summary>Longest decimal text of a 64-bit integer ("-9223372036854775808").</summary>
    public const int MaxInt64Length = 20;

    /// <summary>
    /// Parses like Redis's <c>string2ll</c>: optional '-', digits only, no leading zeros (except "0"),
    /// no '+', no spaces, within 64 bits.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > MaxInt64Length)
        {
            return false;
        }

        if (text.Length == 1 && text[0] == (byte)'0')
        {
            return true;
        }

        bool negative = false;
        int i = 0;
        if (text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
            if (text.Length == 1)
            {
                return false;
            }
        }

        if (text[i] < (byte)'1' || text[i] > (byte)'9')
        {
            return false;
        }

        ulong v = 0;
        for (; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - (byte)'0');
            if (d > 9)
            {
                return false;
            }

            if (v > (ulong.MaxValue - d) / 10)
            {
                return false;
            }

            v = (v * 10) + d;
        }

        if (negative)
        {
            if (v > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = (long)(0 - v);
            return true;
        }

        if (v > long.MaxValue)
        {
            return false;
        }

        value = (long)v;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> in decimal; returns the bytes written.</summary>
    public static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }
}
