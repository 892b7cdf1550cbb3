using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Sort;
using Kiwi.Core.Commands.SortedSets;

namespace Kiwi.Core.Tests.Commands.Sort;

/// <summary>SORT ... STORE's op code is persisted (append only); its options and values are read as Redis 7.0 reads them.</summary>
public sealed class SortFormatTests
{
    [Fact]
    public void SortStore_takes_op_code_76()
        => Assert.Equal(76, (int)OpCode.SortStore);

    [Theory]
    [InlineData("1", true, 1.0)]
    [InlineData(" 2.5", true, 2.5)]
    [InlineData("", true, 0.0)]
    [InlineData("-inf", true, double.NegativeInfinity)]
    [InlineData("1e400", false, 0.0)]
    [InlineData("1e-400", false, 0.0)]
    [InlineData("nan", false, 0.0)]
    [InlineData("1 ", false, 0.0)]
    [InlineData(" ", false, 0.0)]
    [InlineData("abc", false, 0.0)]
    public void Values_parse_as_redis_strtod(string text, bool valid, double expected)
    {
        Assert.Equal(valid, ZScore.TryParseSortValue(Encoding.ASCII.GetBytes(text), out double value));
        if (valid)
        {
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void Options_parse_in_redis_order_and_the_last_wins()
    {
        SortOptions? options = Parse("BY w_* LIMIT 1 2 GET # GET x_* DESC ALPHA ASC STORE d", readOnly: false, out string error);
        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.False(options.Descending);
        Assert.True(options.Alpha);
        Assert.False(options.DontSort);
        Assert.Equal((1, 2), (options.LimitStart, options.LimitCount));
        Assert.Equal(["#", "x_*"], options.Gets.Select(g => Encoding.ASCII.GetString(g)));
        Assert.Equal("d", Encoding.ASCII.GetString(options.Store!));
        Assert.True(Parse("BY nosort", readOnly: true, out _)!.DontSort);
        Assert.Null(Parse("STORE d", readOnly: true, out error));
        Assert.Equal("ERR syntax error", error);
        Assert.Null(Parse("LIMIT 1 x", readOnly: false, out error));
        Assert.Equal("ERR value is not an integer or out of range", error);
        Assert.Null(Parse("LIMIT 1", readOnly: false, out error));
        Assert.Equal("ERR syntax error", error);
    }

    private static SortOptions? Parse(string text, bool readOnly, out string error)
    {
        byte[][] args = text.Split(' ').Select(Encoding.ASCII.GetBytes).ToArray();
        SortOptions? options = SortOptions.TryParse(new Args(args), readOnly, out ReadOnlySpan<byte> span);
        error = Encoding.ASCII.GetString(span);
        return options;
    }

    private readonly struct Args(byte[][] args) : IEntryArgs
    {
        public int Count => args.Length;

        public ReadOnlySpan<byte> this[int index] => args[index];
    }
}
