using Kiwi.Core.Resp;
using static Kiwi.Resp.Tests.RespTestData;

namespace Kiwi.Resp.Tests;

/// <summary>Protocol errors with Redis 7's exact texts (networking.c processMultibulkBuffer / processInlineBuffer).</summary>
public sealed class RespReaderErrorTests
{
    private const int InlineMax = RespLimits.DefaultMaxInlineLength;

    [Theory]
    [InlineData("*abc\r\n")]
    [InlineData("*\r\n")]
    [InlineData("*01\r\n")]
    [InlineData("*+1\r\n")]
    [InlineData("*-0\r\n")]
    [InlineData("*1 \r\n")]
    [InlineData("*2147483648\r\n")]
    [InlineData("*99999999999999999999\r\n")]
    public void BadMultibulkCount_IsInvalidMultibulkLength(string request)
        => AssertError(request, "-ERR Protocol error: invalid multibulk length\r\n");

    [Fact]
    public void MultibulkCount_AboveAConfiguredLimit_IsInvalid()
    {
        var limits = new RespLimits { MaxMultibulkCount = 1024 * 1024 };
        AssertError("*1048577\r\n", "-ERR Protocol error: invalid multibulk length\r\n", limits);

        using var args = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*1048576\r\n")), args, limits).Status);
    }

    [Theory]
    [InlineData("*1\r\n$-1\r\n")]
    [InlineData("*1\r\n$abc\r\n")]
    [InlineData("*1\r\n$\r\n")]
    [InlineData("*1\r\n$01\r\n")]
    [InlineData("*1\r\n$+1\r\n")]
    [InlineData("*1\r\n$536870913\r\n")]
    [InlineData("*1\r\n$99999999999999999999\r\n")]
    public void BadBulkLength_IsInvalidBulkLength(string request)
        => AssertError(request, "-ERR Protocol error: invalid bulk length\r\n");

    [Fact]
    public void BulkLength_OverTheLimit_FailsWithoutWaitingForTheData()
    {
        AssertError("*2\r\n$3\r\nSET\r\n$11\r\n", "-ERR Protocol error: invalid bulk length\r\n", new RespLimits { MaxBulkLength = 10 });

        using var args = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*2\r\n$3\r\nSET\r\n$10\r\n")), args, new RespLimits { MaxBulkLength = 10 }).Status);
        using var other = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*1\r\n$536870912\r\n")), other).Status);
    }

    [Theory]
    [InlineData("*1\r\nX\r\n", "X")]
    [InlineData("*2\r\n$1\r\na\r\n:5\r\n", ":")]
    [InlineData("*1\r\n\r\n", " ")]
    [InlineData("*1\r\n\n\r\n", " ")]
    public void MissingDollar_NamesTheByteFound(string request, string got)
        => AssertError(request, "-ERR Protocol error: expected '$', got '" + got + "'\r\n");

    [Fact]
    public void MissingDollar_WaitsForTheWholeLine_LikeRedis()
    {
        using var args = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*1\r\nX")), args).Status);
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*1\r\nXY\r")), args).Status);
    }

    [Fact]
    public void CountLine_LongerThanTheInlineLimit_IsTooBig()
    {
        string digits = new('1', InlineMax);
        AssertError("*" + digits, "-ERR Protocol error: too big mbulk count string\r\n");
        AssertIncomplete("*" + digits[1..]);

        // Decided the same way however the data was split: a '\r' beyond the limit does not help.
        AssertError("*" + digits + "\r\n", "-ERR Protocol error: too big mbulk count string\r\n");
    }

    [Fact]
    public void BulkLengthLine_LongerThanTheInlineLimit_IsTooBig()
    {
        string digits = new('1', InlineMax);
        AssertError("*1\r\n$" + digits, "-ERR Protocol error: too big bulk count string\r\n");
        AssertIncomplete("*1\r\n$" + digits[1..]);
    }

    [Fact]
    public void InlineLine_LongerThanTheLimit_IsTooBig()
    {
        string line = new('a', InlineMax);
        AssertError(line + "a", "-ERR Protocol error: too big inline request\r\n");
        AssertError(line + "a\r\n", "-ERR Protocol error: too big inline request\r\n");
        AssertIncomplete(line);

        using var args = new CommandArgs();
        var (status, parsed, _) = ParseOne(Sequence(Bytes(line + "\n")), args);
        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(InlineMax, parsed[0].Length);
    }

    [Theory]
    [InlineData("SET \"abc\r\n")]
    [InlineData("SET 'abc\r\n")]
    [InlineData("SET \"abc\"def\r\n")]
    [InlineData("SET 'abc'def\r\n")]
    [InlineData("SET \"abc\\\"\r\n")]
    [InlineData("SET \"abc\\\r\n")]
    public void UnbalancedQuotes_InAnInlineCommand(string request)
        => AssertError(request, "-ERR Protocol error: unbalanced quotes in request\r\n");

    [Fact]
    public void UnauthenticatedClient_IsLimitedToTenArgumentsOf16KB()
    {
        var limits = new RespLimits { Unauthenticated = true };
        AssertError("*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n", limits);
        AssertError("*2\r\n$4\r\nAUTH\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n", limits);

        // The general checks come first, as in Redis.
        AssertError("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n", limits);
        AssertError("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n", limits);

        using var args = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(Sequence(Bytes("*10\r\n$16384\r\n")), args, limits).Status);
    }

    [Fact]
    public void Error_ConsumesNothingAndLeavesNoArguments()
    {
        using var args = new CommandArgs();
        byte[] data = Bytes("*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n");
        var (commands, last, consumed) = ParseAll(Sequence(data), args);

        Assert.Single(commands);
        Assert.Equal(RespParseStatus.Error, last);
        Assert.Equal(14, consumed);
        Assert.Equal(0, args.Count);
        Assert.Equal(RespProtocolError.InvalidBulkLength, args.Error);
    }

    [Fact]
    public void Errors_AreFoundAcrossSegmentsToo()
    {
        byte[] data = Bytes("*2\r\n$3\r\nGET\r\n$-7\r\n");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            using var args = new CommandArgs();
            var (status, _, consumed) = ParseOne(SplitAt(data, cut), args);
            Assert.Equal(RespParseStatus.Error, status);
            Assert.Equal(0, consumed);
            Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", ErrorReply(args));
        }

        using var big = new CommandArgs();
        Assert.Equal(RespParseStatus.Error, ParseOne(Chunked(Bytes("*1\r\n$" + new string('1', InlineMax)), 1000), big).Status);
        Assert.Equal(RespProtocolError.TooBigBulkCountString, big.Error);
    }

    private static void AssertError(string request, string reply, RespLimits? limits = null)
    {
        using var args = new CommandArgs();
        var (status, _, consumed) = ParseOne(Sequence(Bytes(request)), args, limits);
        Assert.Equal(RespParseStatus.Error, status);
        Assert.Equal(0, consumed);
        Assert.Equal(reply, ErrorReply(args));
    }

    private static void AssertIncomplete(string request)
    {
        using var args = new CommandArgs();
        var (status, _, consumed) = ParseOne(Sequence(Bytes(request)), args);
        Assert.Equal(RespParseStatus.Incomplete, status);
        Assert.Equal(0, consumed);
    }
}
