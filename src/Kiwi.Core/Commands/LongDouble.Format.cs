using System.Globalization;
using System.Numerics;

namespace Kiwi.Core.Commands;

/// <content>Formatting with Redis's <c>ld2string(..., LD_STR_HUMAN)</c> rules on top of glibc printf.</content>
internal readonly partial struct LongDouble
{
    /// <summary>
    /// The most bytes <see cref="FormatHuman"/> writes: '-' plus the 4933 integer digits of −LDBL_MAX
    /// (≈ −1.19e4932). Every value of 2^63 or more is an integer, so its fraction is trimmed away, and
    /// smaller values need at most 38 bytes. (The untrimmed printf text of −LDBL_MAX is 4952 bytes.)
    /// </summary>
    public const int MaxFormattedLength = 4934;

    private const ulong FractionScale = 100_000_000_000_000_000UL;
    private const int FractionDigits = 17;

    /// <summary>
    /// Writes the value like Redis's <c>ld2string(..., LD_STR_HUMAN)</c>: glibc <c>"%.17Lf"</c> (the exact
    /// binary value rounded half-to-even at 17 fraction digits), trailing zeros and a trailing '.' removed,
    /// "-0" written as "0"; infinities as "inf"/"-inf" and NaN as "nan".
    /// </summary>
    /// <param name="destination">Receives ASCII bytes; <see cref="MaxFormattedLength"/> bytes always suffice.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than the text.</exception>
    public int FormatHuman(Span<byte> destination)
    {
        if (!IsFinite)
        {
            return Copy(IsNaN ? "nan"u8 : IsNegative ? "-inf"u8 : "inf"u8, destination);
        }

        ulong m = _significand;
        int q = Q;
        Span<byte> scratch = stackalloc byte[64];
        int length = 0;
        if (IsNegative)
        {
            scratch[length++] = (byte)'-';
        }

        if (q >= 0)
        {
            if (q > 64)
            {
                return FormatBigInteger(destination);
            }

            UInt128 integer = (UInt128)m << q;
            integer.TryFormat(scratch[length..], out int written, default, CultureInfo.InvariantCulture);
            return Copy(scratch[..(length + written)], destination);
        }

        // Round m·2^q·10^17 half-to-even to an integer; m·10^17 < 2^121, so q ≤ −128 always gives 0.
        int s = -q;
        UInt128 scaled = (UInt128)m * FractionScale;
        UInt128 n = UInt128.Zero;
        if (s < 128)
        {
            n = scaled >> s;
            UInt128 rest = scaled & ((UInt128.One << s) - 1);
            UInt128 half = UInt128.One << (s - 1);
            if (rest > half || (rest == half && (n & UInt128.One) != UInt128.Zero))
            {
                n++;
            }
        }

        if (n == UInt128.Zero)
        {
            return Copy("0"u8, destination);
        }

        ulong integerPart = (ulong)(n / FractionScale);
        ulong fraction = (ulong)(n - ((UInt128)integerPart * FractionScale));
        integerPart.TryFormat(scratch[length..], out int integerLength, default, CultureInfo.InvariantCulture);
        length += integerLength;
        if (fraction != 0)
        {
            int digits = FractionDigits;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            scratch[length] = (byte)'.';
            for (int i = digits; i > 0; i--)
            {
                scratch[length + i] = (byte)('0' + (int)(fraction % 10));
                fraction /= 10;
            }

            length += digits + 1;
        }

        return Copy(scratch[..length], destination);
    }

    private int FormatBigInteger(Span<byte> destination)
    {
        BigInteger integer = new BigInteger(_significand) << Q;
        if (IsNegative)
        {
            integer = -integer;
        }

        string text = integer.ToString(CultureInfo.InvariantCulture);
        if (text.Length > destination.Length)
        {
            throw new ArgumentException("The destination is too short for the formatted value.", nameof(destination));
        }

        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (!text.TryCopyTo(destination))
        {
            throw new ArgumentException("The destination is too short for the formatted value.", nameof(destination));
        }

        return text.Length;
    }
}
