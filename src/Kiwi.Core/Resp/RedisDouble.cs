using System.Buffers.Text;
using System.Globalization;

namespace Kiwi.Core.Resp;

/// <summary>
/// Formats a double like Redis 7.2+'s <c>d2string</c> (util.c): "nan", "inf"/"-inf", "0"/"-0", integers in
/// ±2^62 as integers, everything else as the shortest round-trip digits laid out like <c>fpconv_dtoa</c>
/// ("0.1", "1.5e-7", "1e+21"). Used for RESP3 doubles and their RESP2 bulk form.
/// </summary>
internal static class RedisDouble
{
    /// <summary>Room enough for any formatted double.</summary>
    public const int MaxLength = 32;

    private const double IntegerLimit = long.MaxValue / 2;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("nan"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value < 0 ? "-inf"u8 : "inf"u8, destination);
        }

        if (value == 0)
        {
            return Copy(double.IsNegative(value) ? "-0"u8 : "0"u8, destination);
        }

        if (value >= -IntegerLimit && value <= IntegerLimit && (long)value == value)
        {
            Utf8Formatter.TryFormat((long)value, destination, out int written);
            return written;
        }

        return FormatShortest(value, destination);
    }

    private static int FormatShortest(double value, Span<byte> destination)
    {
        // .NET's "R" gives the shortest digits that round-trip (fpconv's grisu2 almost always finds the same);
        // only the layout is Redis's own.
        Span<byte> text = stackalloc byte[MaxLength];
        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        Span<byte> digits = stackalloc byte[MaxLength];
        int count = 0;
        int point = -1;
        int exponent = 0;
        bool negative = text[0] == (byte)'-';
        for (int i = negative ? 1 : 0; i < length; i++)
        {
            byte c = text[i];
            if (c == (byte)'.')
            {
                point = count;
            }
            else if (c == (byte)'E')
            {
                Utf8Parser.TryParse(text.Slice(i + 1, length - i - 1), out exponent, out _);
                break;
            }
            else
            {
                digits[count++] = c;
            }
        }

        // value = digits * 10^k, with no leading or trailing zeros in digits.
        int k = (point < 0 ? 0 : point - count) + exponent;
        int first = 0;
        while (first < count - 1 && digits[first] == (byte)'0')
        {
            first++;
        }

        while (count > first + 1 && digits[count - 1] == (byte)'0')
        {
            count--;
            k++;
        }

        int pos = 0;
        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        return pos + EmitDigits(digits.Slice(first, count - first), k, destination.Slice(pos));
    }

    /// <summary>fpconv's <c>emit_digits</c>: plain integer, plain decimal, or d.ddde±x.</summary>
    private static int EmitDigits(ReadOnlySpan<byte> digits, int k, Span<byte> destination)
    {
        int count = digits.Length;
        int exponent = Math.Abs(k + count - 1);
        if (k >= 0 && exponent < count + 7)
        {
            digits.CopyTo(destination);
            destination.Slice(count, k).Fill((byte)'0');
            return count + k;
        }

        if (k < 0 && (k > -7 || exponent < 4))
        {
            int offset = count + k;
            if (offset <= 0)
            {
                destination[0] = (byte)'0';
                destination[1] = (byte)'.';
                destination.Slice(2, -offset).Fill((byte)'0');
                digits.CopyTo(destination.Slice(2 - offset));
                return count + 2 - offset;
            }

            digits.Slice(0, offset).CopyTo(destination);
            destination[offset] = (byte)'.';
            digits.Slice(offset).CopyTo(destination.Slice(offset + 1));
            return count + 1;
        }

        int pos = 0;
        destination[pos++] = digits[0];
        if (count > 1)
        {
            destination[pos++] = (byte)'.';
            digits.Slice(1).CopyTo(destination.Slice(pos));
            pos += count - 1;
        }

        destination[pos++] = (byte)'e';
        destination[pos++] = k + count - 1 < 0 ? (byte)'-' : (byte)'+';
        Utf8Formatter.TryFormat(exponent, destination.Slice(pos), out int written);
        return pos + written;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
