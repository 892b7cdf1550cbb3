using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Commands.SortedSets;

/// <summary>The sorted-set formats are persisted (append only): fixed bytes; and scores read and written as Redis 7.0 does.</summary>
public sealed class ZSetFormatTests
{
    [Fact]
    public void OpCodes_AndFlags_AreFixed()
    {
        Assert.Equal([70, 71, 72, 73, 74, 75], new[] { OpCode.ZAdd, OpCode.ZRem, OpCode.ZPop, OpCode.ZRemRange, OpCode.ZStore, OpCode.ZRangeStore }.Select(o => (int)o));
        Assert.Equal([1, 2, 4, 8, 16, 32], new[] { ZAddFlags.Nx, ZAddFlags.Xx, ZAddFlags.Gt, ZAddFlags.Lt, ZAddFlags.Ch, ZAddFlags.Incr }.Select(f => (int)f));
        Assert.Equal([0, 1, 2, 4, 8], new[] { ZPopFlags.Min, ZPopFlags.Max, ZPopFlags.Multi, ZPopFlags.Retry, ZPopFlags.SingleReply }.Select(f => (int)f));
        Assert.Equal([1, 2, 3], new[] { ZRangeKind.Rank, ZRangeKind.Score, ZRangeKind.Lex }.Select(f => (int)f));
        Assert.Equal(4, (int)ZRangeStoreFlags.Reverse);
        Assert.Equal(0x1A, ZStoreFlags.Pack(SetOperation.Union, ZAggregate.Max, ZStoreFlags.SyntaxError) & 0xFF);
        Assert.Equal(SetOperation.Union, ZStoreFlags.Operation(0x1A));
        Assert.Equal(ZAggregate.Max, ZStoreFlags.Aggregate(0x1A));
        Assert.Equal(ZStoreFlags.SyntaxError, ZStoreFlags.Error(0x1A));
    }

    [Fact]
    public void MemberAndScoreEntries_HaveFixedBytes()
    {
        using var buffer = new ByteBuffer();
        Assert.Equal(new byte[] { 0x00, (byte)'m' }, ZSetKeys.Member(buffer, "m"u8).ToArray());
        Assert.Equal(new byte[] { 0x01, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0, (byte)'m' }, ZSetKeys.Score(buffer, 1.0, "m"u8).ToArray());
        Assert.Equal(new byte[] { 0x01, 0x40, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, ZSetKeys.Score(buffer, -1.0, default).ToArray());
        Assert.Equal(new byte[] { 0x01, 0x80, 0, 0, 0, 0, 0, 0, 0 }, ZSetKeys.Score(buffer, -0.0, default).ToArray());
        Span<byte> value = stackalloc byte[8];
        ZSetKeys.WriteScoreValue(value, 1.5);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0xF8, 0x3F }, value.ToArray());
    }

    [Fact]
    public void SortableBytes_OrderAsTheScores()
    {
        double[] scores = [double.NegativeInfinity, double.MinValue, -1e300, -2.5, -1, -double.Epsilon, 0, double.Epsilon, 1e-300, 1, 2.5, 1e300, double.MaxValue, double.PositiveInfinity];
        for (int i = 1; i < scores.Length; i++)
        {
            Assert.True(ZSetKeys.Sortable(scores[i - 1]) < ZSetKeys.Sortable(scores[i]), $"{scores[i - 1]} < {scores[i]}");
        }

        foreach (double score in scores)
        {
            Assert.Equal(score, ZSetKeys.FromSortable(ZSetKeys.Sortable(score)));
        }
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-2.25", -2.25)]
    [InlineData("+1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E-2", 0.01)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    [InlineData("5.0e-324", 4.9406564584124654e-324)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("3.0000000000000000001", 3.0)]
    public void Scores_ParseAsStrtod(string text, double expected)
    {
        Assert.True(ZScore.TryParse(Encoding.ASCII.GetBytes(text), out double value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("nan")]
    [InlineData("-nan")]
    [InlineData("x")]
    [InlineData("1e")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e-400")]
    [InlineData("(1")]
    [InlineData(".")]
    [InlineData("infinit")]
    [InlineData("∞")]
    public void Scores_RefuseWhatRedisRefuses(string text)
        => Assert.False(ZScore.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("", 0.0)]
    [InlineData(" 1", 1.0)]
    [InlineData("1e400", double.PositiveInfinity)]
    [InlineData("-1e400", double.NegativeInfinity)]
    [InlineData("1e-400", 0.0)]
    public void RangeBounds_AreLaxerLikePlainStrtod(string text, double expected)
    {
        Assert.True(ZScore.TryParseBound(Encoding.ASCII.GetBytes(text), out double value));
        Assert.Equal(expected, value);
        Assert.False(ZScore.TryParseBound("nan"u8, out _));
        Assert.False(ZScore.TryParseBound(" "u8, out _));
        Assert.False(ZScore.TryParseBound("1 "u8, out _));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.0, "1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.10000000000000001")]
    [InlineData(100.0, "100")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1e17, "1e+17")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1.0000000000000001e-05")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "4.9406564584124654e-324")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1.5e-7, "1.4999999999999999e-07")]
    public void Scores_FormatAsPrintfPercent17g(double value, string expected)
    {
        Span<byte> text = stackalloc byte[ZScore.MaxLength];
        Assert.Equal(expected, Encoding.ASCII.GetString(text[..ZScore.Format(value, text)]));
    }

    /// <summary>Whole numbers take a shortcut past the general %.17g path: it must write what that path writes, up to 2^53 and at it.</summary>
    [Fact]
    public void Whole_scores_format_as_the_general_path_does()
    {
        Span<byte> fast = stackalloc byte[ZScore.MaxLength];
        Span<byte> general = stackalloc byte[ZScore.MaxLength];
        var random = new Random(7);
        var values = new List<double> { 0, 1, -1, 9, 10, 99, 100, 1e15, 9007199254740991.0, -9007199254740991.0, 9007199254740992.0, 1e16, long.MaxValue / 1024 };
        for (int i = 0; i < 10000; i++)
        {
            values.Add(Math.Floor((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(1, 17))));
        }

        foreach (double value in values)
        {
            string expected = Encoding.ASCII.GetString(general[..ZScore.FormatGeneral(value, general)]);
            Assert.Equal(expected, Encoding.ASCII.GetString(fast[..ZScore.Format(value, fast)]));
        }
    }

    [Fact]
    public void ScoreRanges_FollowZslParseRange()
    {
        Assert.True(ZScoreRange.TryParse("(1"u8, "+inf"u8, out ZScoreRange range));
        Assert.False(range.AboveMin(1));
        Assert.True(range.AboveMin(1.0000001));
        Assert.True(range.BelowMax(double.PositiveInfinity));
        Assert.True(ZScoreRange.TryParse("("u8, "("u8, out range));
        Assert.True(range.IsEmpty);
        Assert.False(ZScoreRange.TryParse("x"u8, "1"u8, out _));
        Assert.False(ZScoreRange.TryParse("1"u8, "(nan"u8, out _));
    }

    [Fact]
    public void LexRanges_FollowZslParseLexRange()
    {
        Assert.True(ZLexRange.TryParse("-"u8, "+"u8, out ZLexRange all));
        Assert.True(all.AboveMin(""u8) && all.BelowMax("\xff"u8.ToArray()));
        Assert.True(ZLexRange.TryParse("(a"u8, "[c"u8, out ZLexRange range));
        Assert.False(range.AboveMin("a"u8));
        Assert.True(range.AboveMin("aa"u8));
        Assert.True(range.BelowMax("c"u8));
        Assert.False(range.BelowMax("ca"u8));
        Assert.True(ZLexRange.TryParse("+"u8, "-"u8, out ZLexRange empty));
        Assert.True(empty.IsEmpty);
        Assert.True(ZLexRange.TryParse("[a"u8, "(a"u8, out empty));
        Assert.True(empty.IsEmpty);
        Assert.False(ZLexRange.TryParse("a"u8, "+"u8, out _));
        Assert.False(ZLexRange.TryParse(""u8, "+"u8, out _));
        Assert.False(ZLexRange.TryParse("+x"u8, "+"u8, out _));
        Assert.False(ZLexRange.TryParse("-"u8, "--"u8, out _));
    }
}
