using System.Numerics;

namespace Kiwi.Core.Commands;

/// <content>Parsing with Redis's <c>string2ld</c> rules on top of glibc <c>strtold</c>.</content>
internal readonly partial struct LongDouble
{
    /// <summary>Redis's <c>MAX_LONG_DOUBLE_CHARS</c>: inputs this long or longer are rejected.</summary>
    public const int MaxParseLength = 5 * 1024;

    private const long ExponentCap = 100_000_000;

    private static readonly UInt128[] s_pow10 = BuildPowersOfTen();

    /// <summary>
    /// Parses like Redis's <c>string2ld</c>: all the bytes (no NUL) must be exactly what
    /// glibc <c>strtold</c> accepts — optional sign, then a decimal with optional exponent, a hex float
    /// (<c>0x1.8p3</c>), or "inf"/"infinity" (any case) — correctly rounded to nearest-even. Rejects an empty
    /// input or one of <see cref="MaxParseLength"/> bytes or more, a leading C-locale space, trailing bytes
    /// or a NUL, NaN, overflow to infinity and underflow to zero.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.Length == 0 || text.Length >= MaxParseLength)
        {
            return false;
        }

        if (text.Contains((byte)0))
        {
            // Redis 7 also requires strtold to have consumed all slen bytes (eptr - buf == slen), so an
            // embedded NUL, which ends the C string early, is never a valid float (checked on redis-server 7.0.15).
            return false;
        }

        byte first = text[0];
        if (first == (byte)' ' || (first >= (byte)'\t' && first <= (byte)'\r'))
        {
            return false;
        }

        bool negative = false;
        if (first == (byte)'+' || first == (byte)'-')
        {
            negative = first == (byte)'-';
            text = text[1..];
        }

        if (text.Length > 0 && (text[0] | 0x20) == 'i')
        {
            bool isInfinity = text.Length == 3 ? AsciiEqualsLower(text, "inf"u8)
                : text.Length == 8 && AsciiEqualsLower(text, "infinity"u8);
            value = isInfinity ? Infinity(negative) : default;
            return isInfinity;
        }

        if (text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == 'x')
        {
            return TryParseHex(text[2..], negative, out value);
        }

        return TryParseDecimal(text, negative, out value);
    }

    /// <summary>A nonzero finite parse result; zero or infinity here means strtold reported ERANGE.</summary>
    private static bool Accept(LongDouble rounded, out LongDouble value)
    {
        bool accepted = rounded.IsFinite && !rounded.IsZero;
        value = accepted ? rounded : default;
        return accepted;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> text, bool negative, out LongDouble value)
    {
        value = default;
        int pos = SkipDigits(text, 0);
        int intLength = pos;
        int fracStart = pos;
        if (pos < text.Length && text[pos] == (byte)'.')
        {
            fracStart = pos + 1;
            pos = SkipDigits(text, fracStart);
        }

        int fracLength = pos - fracStart;
        if (intLength + fracLength == 0 || !TryParseExponent(text, ref pos, 'e', out long exponent) || pos != text.Length)
        {
            return false;
        }

        // Digit k of the mantissa (integer digits then fraction digits, skipping the '.').
        int total = intLength + fracLength;
        int firstNonZero = 0;
        while (firstNonZero < total && DigitAt(text, firstNonZero, intLength) == 0)
        {
            firstNonZero++;
        }

        if (firstNonZero == total)
        {
            value = new LongDouble(negative ? SignMask : (ushort)0, 0);
            return true;
        }

        int lastNonZero = total - 1;
        while (DigitAt(text, lastNonZero, intLength) == 0)
        {
            lastNonZero--;
        }

        int digitCount = lastNonZero - firstNonZero + 1;
        long decimalExponent = exponent - fracLength + (total - 1 - lastNonZero);
        if (digitCount - 1 + decimalExponent >= 4933 || digitCount + decimalExponent <= -4951)
        {
            // At least 1e4933 (above LDBL_MAX), or below 1e-4951 (under half the smallest subnormal).
            return false;
        }

        if (digitCount <= 19)
        {
            ulong small = 0;
            for (int k = firstNonZero; k <= lastNonZero; k++)
            {
                small = (small * 10) + (ulong)DigitAt(text, k, intLength);
            }

            if (decimalExponent >= 0 && decimalExponent < s_pow10.Length && small <= UInt128.MaxValue / s_pow10[decimalExponent])
            {
                return Accept(Round(negative, small * s_pow10[decimalExponent], 0, false), out value);
            }

            if (decimalExponent < 0 && decimalExponent >= -18)
            {
                // small·2^s / 10^n keeps at least 67 quotient bits; the remainder is the sticky bit.
                int s = BitOperations.LeadingZeroCount(small) + 64;
                UInt128 scaled = (UInt128)small << s;
                UInt128 divisor = s_pow10[-decimalExponent];
                UInt128 quotient = scaled / divisor;
                return Accept(Round(negative, quotient, -s, quotient * divisor != scaled), out value);
            }
        }

        BigInteger digits = BigInteger.Zero;
        int k0 = firstNonZero;
        while (k0 <= lastNonZero)
        {
            int chunkEnd = Math.Min(k0 + 18, lastNonZero + 1);
            ulong chunk = 0;
            ulong scale = 1;
            for (int k = k0; k < chunkEnd; k++)
            {
                chunk = (chunk * 10) + (ulong)DigitAt(text, k, intLength);
                scale *= 10;
            }

            digits = (digits * scale) + chunk;
            k0 = chunkEnd;
        }

        if (decimalExponent >= 0)
        {
            return Accept(RoundBig(negative, digits * BigInteger.Pow(10, (int)decimalExponent), 0, false), out value);
        }

        BigInteger power = BigInteger.Pow(10, (int)-decimalExponent);
        long shift = Math.Max(0, 130 + power.GetBitLength() - digits.GetBitLength());
        BigInteger quotientBig = BigInteger.DivRem(digits << (int)shift, power, out BigInteger remainder);
        return Accept(RoundBig(negative, quotientBig, -(int)shift, !remainder.IsZero), out value);
    }

    private static bool TryParseHex(ReadOnlySpan<byte> text, bool negative, out LongDouble value)
    {
        // text follows "0x". Keep the first 32 significant nibbles; later ones only feed the sticky bit.
        value = default;
        UInt128 mantissa = UInt128.Zero;
        int kept = 0;
        long binaryExponent = 0;
        bool sticky = false;
        bool anyDigit = false;
        bool inFraction = false;
        int pos = 0;
        for (; pos < text.Length; pos++)
        {
            int nibble = HexValue(text[pos]);
            if (nibble < 0)
            {
                if (text[pos] != (byte)'.' || inFraction)
                {
                    break;
                }

                inFraction = true;
                continue;
            }

            anyDigit = true;
            if (kept < 32 && (kept > 0 || nibble != 0))
            {
                mantissa = (mantissa << 4) | (uint)nibble;
                kept++;
                binaryExponent -= inFraction ? 4 : 0;
            }
            else if (kept == 0)
            {
                binaryExponent -= inFraction ? 4 : 0;
            }
            else
            {
                sticky |= nibble != 0;
                binaryExponent += inFraction ? 0 : 4;
            }
        }

        if (!anyDigit || !TryParseExponent(text, ref pos, 'p', out long exponent) || pos != text.Length)
        {
            // "0x" without hex digits parses as "0" with eptr on the 'x': rejected like any other leftover.
            return false;
        }

        if (mantissa == UInt128.Zero)
        {
            value = new LongDouble(negative ? SignMask : (ushort)0, 0);
            return true;
        }

        binaryExponent += exponent;
        if (binaryExponent > 20000 || binaryExponent < -20000)
        {
            return false;
        }

        return Accept(Round(negative, mantissa, (int)binaryExponent, sticky), out value);
    }

    /// <summary>Parses an optional <c>[eEpP][+-]digits</c> suffix; a marker without digits is an error.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> text, ref int pos, char marker, out long exponent)
    {
        exponent = 0;
        if (pos >= text.Length || (text[pos] | 0x20) != marker)
        {
            return true;
        }

        int i = pos + 1;
        bool negative = false;
        if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
        {
            negative = text[i] == (byte)'-';
            i++;
        }

        int digitsStart = i;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            if (exponent < ExponentCap)
            {
                exponent = (exponent * 10) + (text[i] - '0');
            }
        }

        if (i == digitsStart)
        {
            return false;
        }

        exponent = negative ? -exponent : exponent;
        pos = i;
        return true;
    }

    private static LongDouble RoundBig(bool negative, BigInteger mantissa, int q, bool sticky)
    {
        long excess = mantissa.GetBitLength() - 128;
        if (excess > 0)
        {
            sticky |= BigInteger.TrailingZeroCount(mantissa) < excess;
            mantissa >>= (int)excess;
            q += (int)excess;
        }

        return Round(negative, (UInt128)mantissa, q, sticky);
    }

    private static int SkipDigits(ReadOnlySpan<byte> text, int pos)
    {
        while (pos < text.Length && (uint)(text[pos] - '0') <= 9)
        {
            pos++;
        }

        return pos;
    }

    private static int DigitAt(ReadOnlySpan<byte> text, int k, int intLength) =>
        text[k < intLength ? k : k + 1] - '0';

    private static int HexValue(byte c)
    {
        if ((uint)(c - '0') <= 9)
        {
            return c - '0';
        }

        int lower = c | 0x20;
        return (uint)(lower - 'a') <= 5 ? lower - 'a' + 10 : -1;
    }

    private static bool AsciiEqualsLower(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lower)
    {
        for (int i = 0; i < lower.Length; i++)
        {
            if ((text[i] | 0x20) != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    private static UInt128[] BuildPowersOfTen()
    {
        var table = new UInt128[39];
        UInt128 p = UInt128.One;
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = p;
            if (i < table.Length - 1)
            {
                p *= 10;
            }
        }

        return table;
    }
}
