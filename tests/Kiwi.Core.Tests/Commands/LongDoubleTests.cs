using System.Text;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Tests.Commands;

/// <summary>
/// Vectors produced by glibc 2.36 on x86-64 (strtold, x87 long double addition, printf "%.17Lf") run through
/// verbatim copies of Redis's string2ld and ld2string(LD_STR_HUMAN); several INCRBYFLOAT results were also
/// checked against redis-server 7.0.15. A null expectation means string2ld rejects the input.
/// </summary>
public sealed class LongDoubleTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("+0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("+.5e-3", "0.0005")]
    [InlineData("0x", null)]
    [InlineData("0X", null)]
    [InlineData("1\u0000abc", null)]
    [InlineData("\u0000", null)]
    [InlineData("\u0000abc", null)]
    [InlineData("-\u0000", null)]
    [InlineData("+\u0000", null)]
    [InlineData("1e", null)]
    [InlineData("1e+", null)]
    [InlineData("1e-", null)]
    [InlineData("", null)]
    [InlineData("1e5", "100000")]
    [InlineData("1E5", "100000")]
    [InlineData("1.e5", "100000")]
    [InlineData(".e5", null)]
    [InlineData(".", null)]
    [InlineData("+", null)]
    [InlineData("-", null)]
    [InlineData(" 1", null)]
    [InlineData("\u00091", null)]
    [InlineData("1 ", null)]
    [InlineData("\u000a1", null)]
    [InlineData("\u000b1", null)]
    [InlineData("\u000c1", null)]
    [InlineData("\u000d1", null)]
    [InlineData("+ 1", null)]
    [InlineData("inf", "inf")]
    [InlineData("-inf", "-inf")]
    [InlineData("+inf", "inf")]
    [InlineData("INF", "inf")]
    [InlineData("Infinity", "inf")]
    [InlineData("-INFINITY", "-inf")]
    [InlineData("infinit", null)]
    [InlineData("infinityx", null)]
    [InlineData("infinity\u0000junk", null)]
    [InlineData("nan", null)]
    [InlineData("-nan", null)]
    [InlineData("NaN", null)]
    [InlineData("nan(123)", null)]
    [InlineData("0x1p3", "8")]
    [InlineData("0x1.8p3", "12")]
    [InlineData("0X1.8P3", "12")]
    [InlineData("0x.8p1", "1")]
    [InlineData("0x1.", "1")]
    [InlineData("0x.p1", null)]
    [InlineData("0xp1", null)]
    [InlineData("0x1p", null)]
    [InlineData("0x1p-2", "0.25")]
    [InlineData("-0x1.8p3", "-12")]
    [InlineData("0x10", "16")]
    [InlineData("0xg", null)]
    [InlineData("0x1.8", "1.5")]
    [InlineData("0x1e1", "481")]
    [InlineData("0x1p-18", "0.00000381469726562")]
    [InlineData("0x3p-18", "0.00001144409179688")]
    [InlineData("0x1p-57", "0.00000000000000001")]
    [InlineData("0x1P-16445", "0")]
    [InlineData("0x1p-16446", null)]
    [InlineData("0x1.00000000000000000000001p-16446", "0")]
    [InlineData("0x1.ffffffffffffffffp16383", null)]
    [InlineData("0x1p16384", null)]
    [InlineData("0x0p99999999999", "0")]
    [InlineData("0e99999999999999", "0")]
    [InlineData("1e99999999999999", null)]
    [InlineData("1e-99999999999999", null)]
    [InlineData("1e4933", null)]
    [InlineData("1e-4950", "0")]
    [InlineData("1e-4951", null)]
    [InlineData("2e-4951", "0")]
    [InlineData("1.8225997659412373012e-4951", null)]
    [InlineData("1.8225997659412373013e-4951", "0")]
    [InlineData("4.9e-324", "0")]
    [InlineData("10.50", "10.5")]
    [InlineData("0.1", "0.1")]
    [InlineData("3.0", "3")]
    [InlineData("1000", "1000")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("18446744073709551616", "18446744073709551616")]
    [InlineData("18446744073709551617", "18446744073709551616")]
    [InlineData("18446744073709552640", "18446744073709552640")]
    [InlineData("9223372036854775807.5", "9223372036854775807.5")]
    [InlineData("0.000000000000000005", "0")]
    [InlineData("0.000000000000000015", "0.00000000000000002")]
    [InlineData("0.000000000000000025", "0.00000000000000002")]
    [InlineData("-0.000000000000000005", "0")]
    [InlineData("-1e-20", "0")]
    [InlineData("0.3", "0.3")]
    [InlineData("123456789012345678901234567890", "123456789012345678899921813504")]
    [InlineData("00.100", "0.1")]
    [InlineData("1_000", null)]
    [InlineData("1,5", null)]
    [InlineData("1.2.3", null)]
    [InlineData("--1", null)]
    [InlineData("+-1", null)]
    [InlineData("1e1.5", null)]
    [InlineData("\u00ff", null)]
    [InlineData("1\u00ff", null)]
    [InlineData("1\u0000\u00ff", null)]
    [InlineData("1.1", "1.1")]
    [InlineData("2.2", "2.2")]
    [InlineData("-17.25e-1", "-1.725")]
    [InlineData("1e-17", "0.00000000000000001")]
    [InlineData("7e22", "70000000000000000000000")]
    [InlineData("1e23", "100000000000000000000000")]
    public void TryParse_MatchesString2ld(string input, string? expected)
    {
        bool parsed = LongDouble.TryParse(Encoding.Latin1.GetBytes(input), out LongDouble value);
        if (expected is null)
        {
            Assert.False(parsed);
            return;
        }

        Assert.True(parsed);
        Assert.Equal(expected, Format(value));
    }

    [Theory]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("3.0", "0.1", "3.1")]
    [InlineData("1.1", "2.2", "3.3")]
    [InlineData("1000", "0.1", "1000.09999999999999998")]
    [InlineData("1e30", "1", "1000000000000000000024696061952")]
    [InlineData("-0.0", "0", "0")]
    [InlineData("-0", "-0", "0")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("1e300", "1", "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144")]
    [InlineData("0x1.8p3", "0x1p-2", "12.25")]
    [InlineData("0x10", "-0x1p4", "0")]
    [InlineData("1", "-1", "0")]
    [InlineData("0.3", "-0.1", "0.2")]
    [InlineData("-5", "2.25", "-2.75")]
    [InlineData("100", "1e-15", "100.000000000000001")]
    [InlineData("2.5", "-1e-18", "2.5")]
    [InlineData("1e-17", "1e-17", "0.00000000000000002")]
    [InlineData("18446744073709551615", "1", "18446744073709551616")]
    [InlineData("9223372036854775807", "1", "9223372036854775808")]
    [InlineData("1", "0x1p-64", "1")]
    [InlineData("1", "0x1.0000000000000001p-64", "1")]
    [InlineData("0x1.fffffffffffffffep0", "0x1p-64", "2")]
    [InlineData("0x1p-16445", "0x1p-16445", "0")]
    [InlineData("0x1p-16382", "-0x1p-16445", "0")]
    [InlineData("1e4932", "1e4932", "inf")]
    [InlineData("-1e4932", "-1e4932", "-inf")]
    [InlineData("inf", "1", "inf")]
    [InlineData("inf", "-inf", "nan")]
    [InlineData("-inf", "-inf", "-inf")]
    [InlineData("1", "nan", null)]
    [InlineData("abc", "1", null)]
    [InlineData("1", "1e", null)]
    [InlineData("1.5", "\u0000", null)]
    [InlineData("1e-4951", "1", null)]
    [InlineData("12345678901234567890", "0.5", "12345678901234567890")]
    [InlineData("-123.456", "123.456", "0")]
    [InlineData("0.1", "-0.1000000000000000000001", "0")]
    [InlineData("3.0e-4950", "1.0e-4950", "0")]
    [InlineData("1e20", "-1e20", "0")]
    [InlineData("99999999999999999999", "1", "100000000000000000000")]
    public void Add_MatchesIncrByFloat(string left, string right, string? expected)
    {
        bool parsed = LongDouble.TryParse(Encoding.Latin1.GetBytes(left), out LongDouble a)
            & LongDouble.TryParse(Encoding.Latin1.GetBytes(right), out LongDouble b);
        if (expected is null)
        {
            Assert.False(parsed);
            return;
        }

        Assert.True(parsed);
        LongDouble sum = a + b;
        Assert.Equal(expected, Format(sum));
        Assert.Equal(expected is not ("inf" or "-inf" or "nan"), sum.IsFinite);
    }

    [Theory]
    [InlineData("1e308", 0x43FE, 0x8E679C2F5E44FF8FUL, 0x7FE1CCF385EBC8A0UL, 308, "99999999999999999996", "28255046343928578048")]
    [InlineData("1e309", 0x4401, 0xB201833B35D63F73UL, 0x7FF0000000000000UL, 309, "99999999999999999998", "46207643423114002432")]
    [InlineData("1e4932", 0x7FFE, 0xD72CB2A95C7EF6CDUL, 0x7FF0000000000000UL, 4933, "10000000000000000000", "38418113791886622720")]
    [InlineData("-1e4932", 0xFFFE, 0xD72CB2A95C7EF6CDUL, 0xFFF0000000000000UL, 4934, "-1000000000000000000", "38418113791886622720")]
    [InlineData("1.18973149535723176502e4932", 0x7FFE, 0xFFFFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 4933, "11897314953572317650", "19552086811989770240")]
    [InlineData("0x1.fffffffffffffffep16383", 0x7FFE, 0xFFFFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 4933, "11897314953572317650", "19552086811989770240")]
    [InlineData("3.3621031431120935063e-4932", 0x0001, 0x8000000000000000UL, 0x0000000000000000UL, 1, "0", "0")]
    [InlineData("0x1p-16445", 0x0000, 0x0000000000000001UL, 0x0000000000000000UL, 1, "0", "0")]
    [InlineData("1.8225997659412373013e-4951", 0x0000, 0x0000000000000001UL, 0x0000000000000000UL, 1, "0", "0")]
    [InlineData("-0", 0x8000, 0x0000000000000000UL, 0x8000000000000000UL, 1, "0", "0")]
    [InlineData("0.1", 0x3FFB, 0xCCCCCCCCCCCCCCCDUL, 0x3FB999999999999AUL, 3, "0.1", "0.1")]
    [InlineData("1e-4000", 0x0C17, 0x9C3D73864F3805C0UL, 0x0000000000000000UL, 1, "0", "0")]
    [InlineData("0x1.fffffffffffffffe7ffffp16383", 0x7FFE, 0xFFFFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 4933, "11897314953572317650", "19552086811989770240")]
    [InlineData("0x10000000000000000000000000000001p-124", 0x3FFF, 0x8000000000000000UL, 0x3FF0000000000000UL, 1, "1", "1")]
    public void TryParse_IsBitExact(string input, int signExponent, ulong significand, ulong doubleBits, int length, string prefix, string suffix)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(input), out LongDouble value));
        AssertBits(signExponent, significand, value);
        Assert.Equal(doubleBits, BitConverter.DoubleToUInt64Bits(value.ToDouble()));
        string text = Format(value);
        Assert.Equal(length, text.Length);
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        Assert.EndsWith(suffix, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1p-16445", "0x1p-16445", 0x0000, 0x0000000000000002UL)]
    [InlineData("0x1p-16382", "-0x1p-16445", 0x0000, 0x7FFFFFFFFFFFFFFFUL)]
    [InlineData("0x1.fffffffffffffffep0", "0x1p-64", 0x4000, 0x8000000000000000UL)]
    [InlineData("1", "0x1.0000000000000001p-64", 0x3FFF, 0x8000000000000000UL)]
    [InlineData("1", "-0x1p-70", 0x3FFF, 0x8000000000000000UL)]
    [InlineData("-0", "-0", 0x8000, 0x0000000000000000UL)]
    [InlineData("-0", "0", 0x0000, 0x0000000000000000UL)]
    [InlineData("1", "-1", 0x0000, 0x0000000000000000UL)]
    [InlineData("0x1p-16382", "-0x1p-16382", 0x0000, 0x0000000000000000UL)]
    [InlineData("0x1.fffffffffffffffep16383", "0x1p16319", 0x7FFF, 0x8000000000000000UL)]
    [InlineData("0x1.fffffffffffffffep16383", "0x0.fffffffffffffffp16319", 0x7FFE, 0xFFFFFFFFFFFFFFFFUL)]
    [InlineData("10.50", "0.1", 0x4002, 0xA99999999999999AUL)]
    [InlineData("1e30", "1", 0x4062, 0xC9F2C9CD04674EDFUL)]
    [InlineData("3.0e-4950", "1.0e-4950", 0x0000, 0x000000000000000BUL)]
    [InlineData("-3.0e-4950", "1.0e-4950", 0x8000, 0x0000000000000005UL)]
    public void Add_IsBitExact(string left, string right, int signExponent, ulong significand)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(left), out LongDouble a));
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(right), out LongDouble b));
        AssertBits(signExponent, significand, a + b);
        AssertBits(signExponent, significand, b + a);
    }

    [Theory]
    [InlineData(0x0000000000000000UL, 0x0000, 0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, 0x8000, 0x0000000000000000UL, "0")]
    [InlineData(0x3FB999999999999AUL, 0x3FFB, 0xCCCCCCCCCCCCD000UL, "0.10000000000000001")]
    [InlineData(0x7FEFFFFFFFFFFFFFUL, 0x43FE, 0xFFFFFFFFFFFFF800UL, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368")]
    [InlineData(0x0000000000000001UL, 0x3BCD, 0x8000000000000000UL, "0")]
    [InlineData(0x7FF0000000000000UL, 0x7FFF, 0x8000000000000000UL, "inf")]
    [InlineData(0xFFF0000000000000UL, 0xFFFF, 0x8000000000000000UL, "-inf")]
    [InlineData(0xC00921FB54442D18UL, 0xC000, 0xC90FDAA22168C000UL, "-3.14159265358979312")]
    public void FromDouble_IsExact(ulong bits, int signExponent, ulong significand, string expected)
    {
        LongDouble value = LongDouble.FromDouble(BitConverter.UInt64BitsToDouble(bits));
        AssertBits(signExponent, significand, value);
        Assert.Equal(expected, Format(value));
        Assert.Equal(bits, BitConverter.DoubleToUInt64Bits(value.ToDouble()));
    }

    [Theory]
    [InlineData(0L, 0x0000, 0x0000000000000000UL, "0")]
    [InlineData(1L, 0x3FFF, 0x8000000000000000UL, "1")]
    [InlineData(-1L, 0xBFFF, 0x8000000000000000UL, "-1")]
    [InlineData(9223372036854775807L, 0x403D, 0xFFFFFFFFFFFFFFFEUL, "9223372036854775807")]
    [InlineData(-9223372036854775808L, 0xC03E, 0x8000000000000000UL, "-9223372036854775808")]
    [InlineData(1000000007L, 0x401C, 0xEE6B281C00000000UL, "1000000007")]
    public void FromInt64_IsExact(long input, int signExponent, ulong significand, string expected)
    {
        LongDouble value = LongDouble.FromInt64(input);
        AssertBits(signExponent, significand, value);
        Assert.Equal(expected, Format(value));
    }

    [Fact]
    public void TryParse_RejectsInputsOfMaxLongDoubleCharsOrMore()
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes("1." + new string('0', 5117)), out LongDouble one));
        Assert.Equal("1", Format(one));
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes("1." + new string('0', 5118)), out _));
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes("1\0" + new string('0', 5118)), out _));

        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes("0." + new string('3', 5117)), out LongDouble third));
        AssertBits(0x3FFD, 0xAAAAAAAAAAAAAAABUL, third);
        Assert.Equal("0.33333333333333333", Format(third));
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes("0x1" + new string('0', 4095)), out LongDouble big));
        AssertBits(0x7FFB, 0x8000000000000000UL, big);
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes("0x1" + new string('0', 4096)), out _));
    }

    [Fact]
    public void FormatHuman_MaxFormattedLengthFitsMostNegativeValue()
    {
        Assert.True(LongDouble.TryParse("-0x1.fffffffffffffffep16383"u8, out LongDouble value));
        byte[] buffer = new byte[LongDouble.MaxFormattedLength];
        Assert.Equal(LongDouble.MaxFormattedLength, value.FormatHuman(buffer));
        Assert.Equal((byte)'-', buffer[0]);
        Assert.Throws<ArgumentException>(() => value.FormatHuman(new byte[LongDouble.MaxFormattedLength - 1]));
        Assert.Throws<ArgumentException>(() => LongDouble.FromInt64(100).FormatHuman(new byte[2]));
    }

    [Fact]
    public void Default_IsPositiveZero()
    {
        LongDouble zero = default;
        Assert.True(zero.IsFinite);
        Assert.Equal("0", zero.ToString());
        Assert.Equal(0UL, BitConverter.DoubleToUInt64Bits(zero.ToDouble()));
    }

    private static void AssertBits(int signExponent, ulong significand, LongDouble value)
    {
        Assert.Equal(signExponent, value.SignExponent);
        Assert.Equal(significand, value.Significand);
    }

    private static string Format(LongDouble value)
    {
        byte[] buffer = new byte[LongDouble.MaxFormattedLength];
        int length = value.FormatHuman(buffer);
        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}
