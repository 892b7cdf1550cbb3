using System.Globalization;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// Scores as Redis 7.0 reads and writes them. Parsing follows <c>strtod</c> (decimal and inf/infinity forms),
/// with Redis's two callers' rules: <see cref="TryParse"/> is <c>string2d</c> (ZADD, ZINCRBY, WEIGHTS: no leading
/// space, no overflow to inf or underflow to 0, no NaN) and <see cref="TryParseBound"/> is <c>zslParseRange</c>'s
/// plain <c>strtod</c> (leading spaces allowed, out of range gives ±inf or 0, the empty string is 0). Formatting is
/// <c>%.17g</c>, as 7.0's <c>addReplyDouble</c> and <c>d2string</c> write it.
/// </summary>
internal static class ZScore
{
    /// <summary>Room for any formatted score.</summary>
    public const int MaxLength = 32;

    /// <summary>ZADD's, ZINCRBY's and WEIGHTS' parse.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty || IsSpace(text[0]) || !TryStrtod(text, out value, out bool underflow))
        {
            return false;
        }

        return !double.IsNaN(value) && !underflow && (!double.IsInfinity(value) || IsInfinityText(text));
    }

    /// <summary>
    /// SORT's parse of a value (<c>strtod</c> with Redis's checks): leading spaces allowed, the empty string is 0,
    /// NaN, overflow and underflow (ERANGE) are refused.
    /// </summary>
    public static bool TryParseSortValue(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }

        if (start == text.Length)
        {
            return start == 0;
        }

        text = text[start..];
        return TryStrtod(text, out value, out bool underflow)
            && !double.IsNaN(value) && !underflow && (!double.IsInfinity(value) || IsInfinityText(text));
    }

    /// <summary>A score range bound after its optional '(' (see <see cref="ZScoreRange"/>).</summary>
    public static bool TryParseBound(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        int start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }

        return start < text.Length && TryStrtod(text[start..], out value, out _) && !double.IsNaN(value);
    }

    /// <summary>Writes <paramref name="value"/> as <c>%.17g</c> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            "nan"u8.CopyTo(destination);
            return 3;
        }

        if (double.IsInfinity(value))
        {
            ReadOnlySpan<byte> inf = value > 0 ? "inf"u8 : "-inf"u8;
            inf.CopyTo(destination);
            return inf.Length;
        }

        // Whole numbers below 2^53 (counters, timestamps, ranks: most scores) are exact, and %.17g writes them as
        // plain integers: no need for the general path's E16 formatting (3% of the writer in pipelined ZPOPMIN).
        if (Math.Abs(value) < 9007199254740992.0 && value == Math.Floor(value) && !(value == 0 && double.IsNegative(value)))
        {
            System.Buffers.Text.Utf8Formatter.TryFormat((long)value, destination, out int written);
            return written;
        }

        return FormatGeneral(value, destination);
    }

    // %.17g for any finite value.
    internal static int FormatGeneral(double value, Span<byte> destination)
    {
        // "E16" gives %.17g's 17 significant digits, correctly rounded: d.dddddddddddddddd E±xxx.
        Span<byte> text = stackalloc byte[MaxLength];
        value.TryFormat(text, out int length, "E16", CultureInfo.InvariantCulture);
        int pos = 0;
        int i = 0;
        if (text[0] == (byte)'-')
        {
            destination[pos++] = (byte)'-';
            i = 1;
        }

        Span<byte> digits = stackalloc byte[17];
        int count = 0;
        int e = i;
        for (; text[e] != (byte)'E'; e++)
        {
            if (text[e] != (byte)'.')
            {
                digits[count++] = text[e];
            }
        }

        int exponent = 0;
        bool negativeExponent = text[e + 1] == (byte)'-';
        for (int j = e + 2; j < length; j++)
        {
            exponent = (exponent * 10) + (text[j] - '0');
        }

        if (negativeExponent)
        {
            exponent = -exponent;
        }

        while (count > 1 && digits[count - 1] == (byte)'0')
        {
            count--;
        }

        if (exponent < -4 || exponent >= 17)
        {
            destination[pos++] = digits[0];
            if (count > 1)
            {
                destination[pos++] = (byte)'.';
                digits[1..count].CopyTo(destination[pos..]);
                pos += count - 1;
            }

            destination[pos++] = (byte)'e';
            destination[pos++] = exponent < 0 ? (byte)'-' : (byte)'+';
            int magnitude = Math.Abs(exponent);
            if (magnitude >= 100)
            {
                destination[pos++] = (byte)('0' + (magnitude / 100));
            }

            destination[pos++] = (byte)('0' + (magnitude / 10 % 10));
            destination[pos++] = (byte)('0' + (magnitude % 10));
            return pos;
        }

        if (exponent < 0)
        {
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            for (int z = -1; z > exponent; z--)
            {
                destination[pos++] = (byte)'0';
            }

            digits[..count].CopyTo(destination[pos..]);
            return pos + count;
        }

        int integerDigits = exponent + 1;
        for (int d = 0; d < integerDigits; d++)
        {
            destination[pos++] = d < count ? digits[d] : (byte)'0';
        }

        if (count > integerDigits)
        {
            destination[pos++] = (byte)'.';
            digits[integerDigits..count].CopyTo(destination[pos..]);
            pos += count - integerDigits;
        }

        return pos;
    }

    /// <summary>Writes a score reply: a RESP3 double, or in RESP2 a bulk string (Redis 7.0's <c>addReplyDouble</c>).</summary>
    public static void Write(RespWriter writer, double value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = Format(value, text);
        if (writer.IsResp3)
        {
            Span<byte> line = stackalloc byte[MaxLength + 3];
            line[0] = (byte)',';
            text[..length].CopyTo(line[1..]);
            line[length + 1] = (byte)'\r';
            line[length + 2] = (byte)'\n';
            writer.WriteRaw(line[..(length + 3)]);
        }
        else
        {
            writer.WriteBulk(text[..length]);
        }
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    // strtod over the whole text: [sign] (inf | infinity | digits[.digits][e[sign]digits]), case-insensitive words.
    private static bool TryStrtod(ReadOnlySpan<byte> text, out double value, out bool underflow)
    {
        value = 0;
        underflow = false;
        int i = 0;
        bool negative = false;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        if (IsInfinityWord(text[i..]))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        int mantissaDigits = 0;
        bool nonZero = false;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            mantissaDigits++;
            nonZero |= text[i] != (byte)'0';
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                mantissaDigits++;
                nonZero |= text[i] != (byte)'0';
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            int exponentDigits = 0;
            for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        if (i != text.Length || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        underflow = value == 0 && nonZero;
        return true;
    }

    private static bool IsInfinityWord(ReadOnlySpan<byte> word)
        => ArgParser.Is(word, "INF"u8) || ArgParser.Is(word, "INFINITY"u8);

    private static bool IsInfinityText(ReadOnlySpan<byte> text)
        => IsInfinityWord(text[0] is (byte)'+' or (byte)'-' ? text[1..] : text);
}
