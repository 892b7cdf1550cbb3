using System.Numerics;

namespace Kiwi.Core.Commands;

/// <summary>
/// A bit-exact software model of the C <c>long double</c> of x86-64 Linux: the x87 80-bit extended format
/// (sign bit, 15-bit exponent biased by 16383, 64-bit significand with an explicit integer bit), with
/// gradual underflow and round-to-nearest-even. It exists so that INCRBYFLOAT parses (<c>string2ld</c>),
/// adds and formats (<c>ld2string</c> with <c>LD_STR_HUMAN</c>) exactly like Redis built with glibc.
/// </summary>
/// <remarks>
/// A finite value is <c>significand × 2^q</c> where <c>q = max(exponent, 1) − 16446</c>; an exponent of
/// 0x7FFF encodes infinity (significand 0x8000000000000000) or NaN (anything else).
/// </remarks>
internal readonly partial struct LongDouble
{
    private const int ExponentMask = 0x7FFF;
    private const ushort SignMask = 0x8000;
    private const int QOffset = 16446;
    private const int MinQ = 1 - QOffset;
    private const ulong IntegerBit = 1UL << 63;
    private const ulong QuietBit = 1UL << 62;

    private readonly ulong _significand;
    private readonly ushort _signExponent;

    private LongDouble(ushort signExponent, ulong significand)
    {
        _signExponent = signExponent;
        _significand = significand;
    }

    /// <summary>True unless the value is a NaN or an infinity.</summary>
    public bool IsFinite => (_signExponent & ExponentMask) != ExponentMask;

    /// <summary>The raw sign bit and 15-bit biased exponent, as stored in bytes 8–9 of the C value.</summary>
    internal ushort SignExponent => _signExponent;

    /// <summary>The raw 64-bit significand (explicit integer bit included), as stored in bytes 0–7.</summary>
    internal ulong Significand => _significand;

    private bool IsNegative => (_signExponent & SignMask) != 0;

    private int BiasedExponent => _signExponent & ExponentMask;

    private bool IsNaN => BiasedExponent == ExponentMask && _significand != IntegerBit;

    private bool IsZero => BiasedExponent == 0 && _significand == 0;

    /// <summary>Binary exponent of the significand's lowest bit, for finite values.</summary>
    private int Q => Math.Max(BiasedExponent, 1) - QOffset;

    /// <summary>Builds a value from its raw 80-bit encoding.</summary>
    internal static LongDouble FromBits(ushort signExponent, ulong significand) => new(signExponent, significand);

    /// <summary>Converts a 64-bit integer exactly, like the C cast <c>(long double)v</c>.</summary>
    public static LongDouble FromInt64(long v)
    {
        if (v == 0)
        {
            return default;
        }

        ushort sign = v < 0 ? SignMask : (ushort)0;
        ulong magnitude = v < 0 ? 0UL - (ulong)v : (ulong)v;
        int shift = BitOperations.LeadingZeroCount(magnitude);
        return new LongDouble((ushort)(sign | (QOffset - shift)), magnitude << shift);
    }

    /// <summary>Converts a double exactly, like the C cast <c>(long double)v</c> (signaling NaNs are quieted).</summary>
    public static LongDouble FromDouble(double v)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        ushort sign = (bits >> 63) != 0 ? SignMask : (ushort)0;
        int exponent = (int)(bits >> 52) & 0x7FF;
        ulong fraction = bits & ((1UL << 52) - 1);
        if (exponent == 0x7FF)
        {
            ulong significand = fraction == 0 ? IntegerBit : IntegerBit | QuietBit | (fraction << 11);
            return new LongDouble((ushort)(sign | ExponentMask), significand);
        }

        if (exponent == 0 && fraction == 0)
        {
            return new LongDouble(sign, 0);
        }

        ulong m = exponent == 0 ? fraction : fraction | (1UL << 52);
        int q = Math.Max(exponent, 1) - 1075;
        int shift = BitOperations.LeadingZeroCount(m);
        return new LongDouble((ushort)(sign | (q - shift + QOffset)), m << shift);
    }

    /// <summary>Rounds to the nearest double (ties to even), like the C cast <c>(double)x</c>.</summary>
    public double ToDouble()
    {
        bool negative = IsNegative;
        if (!IsFinite)
        {
            if (!IsNaN)
            {
                return negative ? double.NegativeInfinity : double.PositiveInfinity;
            }

            ulong nan = (negative ? 1UL << 63 : 0) | (0x7FFUL << 52) | (1UL << 51) | ((_significand >> 11) & ((1UL << 52) - 1));
            return BitConverter.UInt64BitsToDouble(nan);
        }

        ulong m = _significand;
        if (m == 0)
        {
            return negative ? -0.0 : 0.0;
        }

        int q = Q;
        int bits = 64 - BitOperations.LeadingZeroCount(m);
        int shift = Math.Max(bits - 53, -1074 - q);
        double magnitude;
        if (shift <= 0)
        {
            magnitude = Math.ScaleB((double)m, q);
        }
        else if (shift > 64)
        {
            magnitude = 0.0;
        }
        else
        {
            UInt128 wide = m;
            ulong kept = (ulong)(wide >> shift);
            UInt128 rest = wide & ((UInt128.One << shift) - 1);
            UInt128 half = UInt128.One << (shift - 1);
            if (rest > half || (rest == half && (kept & 1) != 0))
            {
                kept++;
            }

            magnitude = Math.ScaleB((double)kept, q + shift);
        }

        return negative ? -magnitude : magnitude;
    }

    /// <summary>
    /// x87 addition: the exact sum rounded to nearest-even in 64 significand bits, with gradual underflow,
    /// overflow to infinity, NaN propagation, inf + −inf = NaN, and x + (−x) = +0.
    /// </summary>
    public static LongDouble operator +(LongDouble a, LongDouble b)
    {
        if (!a.IsFinite || !b.IsFinite)
        {
            return AddSpecial(a, b);
        }

        if (a.IsZero)
        {
            return b.IsZero ? new LongDouble((ushort)(a._signExponent & b._signExponent & SignMask), 0) : b;
        }

        if (b.IsZero)
        {
            return a;
        }

        int qa = a.Q;
        int qb = b.Q;
        if (qa < qb)
        {
            (a, b) = (b, a);
            (qa, qb) = (qb, qa);
        }

        // 62 guard bits; a right-shifted b keeps a "sticky" low bit when anything nonzero falls off,
        // which cannot change a rounding decision made at least 2 bits higher.
        UInt128 x = (UInt128)a._significand << 62;
        UInt128 y = (UInt128)b._significand << 62;
        int d = qa - qb;
        if (d >= 127)
        {
            y = UInt128.One;
        }
        else if (d > 0)
        {
            bool lost = (y & ((UInt128.One << d) - 1)) != UInt128.Zero;
            y >>= d;
            if (lost)
            {
                y |= UInt128.One;
            }
        }

        bool negative = a.IsNegative;
        UInt128 sum;
        if (a.IsNegative == b.IsNegative)
        {
            sum = x + y;
        }
        else if (x >= y)
        {
            sum = x - y;
        }
        else
        {
            sum = y - x;
            negative = b.IsNegative;
        }

        return sum == UInt128.Zero ? default : Round(negative, sum, qa - 62, false);
    }

    /// <summary>Formats like <c>ld2string(..., LD_STR_HUMAN)</c>; see <see cref="FormatHuman"/>.</summary>
    public override string ToString()
    {
        byte[] buffer = new byte[MaxFormattedLength];
        int length = FormatHuman(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, length);
    }

    private static LongDouble AddSpecial(LongDouble a, LongDouble b)
    {
        if (a.IsNaN || b.IsNaN)
        {
            LongDouble nan = a.IsNaN ? a : b;
            return new LongDouble(nan._signExponent, nan._significand | IntegerBit | QuietBit);
        }

        if (!a.IsFinite && !b.IsFinite && a.IsNegative != b.IsNegative)
        {
            // The x87 "real indefinite" default NaN.
            return new LongDouble(SignMask | ExponentMask, IntegerBit | QuietBit);
        }

        return a.IsFinite ? b : a;
    }

    private static LongDouble Infinity(bool negative) =>
        new((ushort)((negative ? SignMask : 0) | ExponentMask), IntegerBit);

    /// <summary>
    /// Rounds <c>(mantissa + δ) × 2^q</c> to nearest-even, where δ ∈ (0, 1) when <paramref name="sticky"/>
    /// is set and 0 otherwise. Callers pass at least 66 significant bits whenever sticky is set.
    /// </summary>
    private static LongDouble Round(bool negative, UInt128 mantissa, int q, bool sticky)
    {
        ushort sign = negative ? SignMask : (ushort)0;
        if (mantissa == UInt128.Zero)
        {
            return new LongDouble(sign, 0);
        }

        int bits = 128 - (int)UInt128.LeadingZeroCount(mantissa);
        int shift = Math.Max(bits - 64, MinQ - q);
        ulong m;
        if (shift <= 0)
        {
            m = (ulong)(mantissa << -shift);
        }
        else if (shift > 128)
        {
            m = 0;
        }
        else
        {
            UInt128 rest;
            UInt128 half;
            if (shift == 128)
            {
                m = 0;
                rest = mantissa;
                half = UInt128.One << 127;
            }
            else
            {
                m = (ulong)(mantissa >> shift);
                rest = mantissa & ((UInt128.One << shift) - 1);
                half = UInt128.One << (shift - 1);
            }

            if (rest > half || (rest == half && (sticky || (m & 1) != 0)))
            {
                m++;
                if (m == 0)
                {
                    m = IntegerBit;
                    shift++;
                }
            }
        }

        if (m == 0)
        {
            return new LongDouble(sign, 0);
        }

        long exponent = (m & IntegerBit) != 0 ? (long)q + shift + QOffset : 0;
        return exponent >= ExponentMask ? Infinity(negative) : new LongDouble((ushort)(sign | (int)exponent), m);
    }
}
