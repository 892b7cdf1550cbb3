using Kiwi.Core.Resp;
using static Kiwi.Resp.Tests.RespTestData;

namespace Kiwi.Resp.Tests;

/// <summary>Inline commands: Redis's processInlineBuffer and sdssplitargs rules.</summary>
public sealed class RespReaderInlineTests
{
    [Theory]
    [InlineData("PING\r\n", new[] { "PING" })]
    [InlineData("PING\n", new[] { "PING" })]
    [InlineData("  SET   a \t b  \r\n", new[] { "SET", "a", "b" })]
    [InlineData("PING\r\r\n", new[] { "PING" })]
    [InlineData("\vPING \f\r\n", new[] { "PING" })]
    [InlineData("a\vb\r\n", new[] { "a\vb" })]
    [InlineData("SET k \"\"\r\n", new[] { "SET", "k", "" })]
    [InlineData("SET k ''\r\n", new[] { "SET", "k", "" })]
    [InlineData("SET \"hello world\" 'it''s'x\r\n", null)]
    [InlineData("SET \"hello world\" 'it\\'s'\r\n", new[] { "SET", "hello world", "it's" })]
    [InlineData("ab\"cd ef\" x\r\n", new[] { "abcd ef", "x" })]
    [InlineData("ab\"cd ef\"gh\r\n", null)]
    [InlineData("\"a\"\tb\r\n", new[] { "a", "b" })]
    [InlineData("'a\\nb\\\\c'\r\n", new[] { "a\\nb\\\\c" })]
    [InlineData("'a\\\\'\r\n", null)]
    [InlineData("\"\\x41\\x4a\\x4A\\xZZ\\x4\"\r\n", new[] { "AJJxZZx4" })]
    [InlineData("\"\\n\\r\\t\\b\\a\\\\\\\"\\q\"\r\n", new[] { "\n\r\t\b\a\\\"q" })]
    [InlineData("\"\\xff\\x00\"\r\n", new[] { "\u00ff\0" })]
    [InlineData("GET a\0b\r\n", new[] { "GET", "a\0b" })]
    public void Line_IsSplitLikeSdsSplitArgs(string request, string[]? expected)
    {
        using var args = new CommandArgs();
        var (status, parsed, consumed) = ParseOne(Sequence(Bytes(request)), args);
        if (expected is null)
        {
            Assert.Equal(RespParseStatus.Error, status);
            Assert.Equal(RespProtocolError.UnbalancedQuotes, args.Error);
            return;
        }

        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(expected, parsed);
        Assert.Equal(request.Length, consumed);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("   \t \r\n")]
    public void BlankLine_IsSkipped(string blank)
    {
        using var args = new CommandArgs();
        byte[] data = Bytes(blank + blank + "PING\r\n" + blank);
        var (commands, last, consumed) = ParseAll(Sequence(data), args);

        Assert.Equal([["PING"]], commands);
        Assert.Equal(RespParseStatus.Incomplete, last);
        Assert.Equal(data.Length, consumed);
    }

    [Fact]
    public void InlineAndMultibulk_MixInOnePipeline()
    {
        using var args = new CommandArgs();
        byte[] data = Bytes("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nECHO \"x y\"\r\n");
        var (commands, _, consumed) = ParseAll(Sequence(data), args);

        Assert.Equal([["PING"], ["GET", "k"], ["ECHO", "x y"]], commands);
        Assert.Equal(data.Length, consumed);
    }

    [Fact]
    public void InlineCommand_SplitAtEveryPosition()
    {
        byte[] data = Bytes("SET \"a b\" c\r\nPING\r\n");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            using var args = new CommandArgs();
            var (commands, _, consumed) = ParseAll(SplitAt(data, cut), args);
            Assert.Equal([["SET", "a b", "c"], ["PING"]], commands);
            Assert.Equal(data.Length, consumed);
        }
    }

    [Fact]
    public void PartialLine_IsIncompleteAndConsumesNothing()
    {
        byte[] data = Bytes("SET a b\r\n");
        using var args = new CommandArgs();
        for (int k = 1; k < data.Length; k++)
        {
            var (status, _, consumed) = ParseOne(Chunked(data[..k], 2), args);
            Assert.Equal(RespParseStatus.Incomplete, status);
            Assert.Equal(0, consumed);
        }

        Assert.Equal(["SET", "a", "b"], ParseOne(Sequence(data), args).Args);
    }
}
