using System.Buffers;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;
using static Kiwi.Resp.Tests.RespTestData;

namespace Kiwi.Resp.Tests;

public sealed class RespReaderTests
{
    private static readonly byte[] s_set = Bytes("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");

    private static readonly byte[] s_pipeline = Bytes(
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n" +
        "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n" +
        "*1\r\n$4\r\nPING\r\n");

    private static readonly string[][] s_pipelineCommands = [["SET", "k", "v1"], ["GET", "k"], ["PING"]];

    [Fact]
    public void SingleCommand_IsReadAndConsumed()
    {
        using var args = new CommandArgs();
        var (status, parsed, consumed) = ParseOne(Sequence(s_set), args);

        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(["SET", "key", "value"], parsed);
        Assert.Equal(s_set.Length, consumed);
        Assert.Equal(s_set.Length, args.WireLength);
        Assert.True(args.Is(0, "SET"u8));
    }

    [Fact]
    public void Pipeline_InOneBuffer_YieldsEveryCommandThenIncomplete()
    {
        using var args = new CommandArgs();
        var (commands, last, consumed) = ParseAll(Sequence(s_pipeline), args);

        Assert.Equal(s_pipelineCommands, commands);
        Assert.Equal(RespParseStatus.Incomplete, last);
        Assert.Equal(s_pipeline.Length, consumed);
        Assert.Equal(0, args.Count);
    }

    [Fact]
    public void Pipeline_EndingInAPartialCommand_ConsumesOnlyTheWholeOnes()
    {
        using var args = new CommandArgs();
        byte[] data = [.. s_set, .. Bytes("*2\r\n$3\r\nGET\r\n$3\r\nke")];
        var (commands, last, consumed) = ParseAll(Sequence(data), args);

        Assert.Single(commands);
        Assert.Equal(RespParseStatus.Incomplete, last);
        Assert.Equal(s_set.Length, consumed);
    }

    [Fact]
    public void Pipeline_SplitAtEveryPosition_ParsesTheSame()
    {
        for (int cut = 0; cut <= s_pipeline.Length; cut++)
        {
            using var args = new CommandArgs();
            var (commands, last, consumed) = ParseAll(SplitAt(s_pipeline, cut), args);

            Assert.Equal(s_pipelineCommands, commands);
            Assert.Equal(RespParseStatus.Incomplete, last);
            Assert.Equal(s_pipeline.Length, consumed);
        }
    }

    [Fact]
    public void Pipeline_OneSegmentPerByte_ParsesTheSame()
    {
        using var args = new CommandArgs();
        var (commands, _, consumed) = ParseAll(Chunked(s_pipeline, 1), args);

        Assert.Equal(s_pipelineCommands, commands);
        Assert.Equal(s_pipeline.Length, consumed);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Pipeline_InSmallSegments_ParsesTheSame(int size)
    {
        using var args = new CommandArgs();
        var (commands, _, consumed) = ParseAll(Chunked(s_pipeline, size), args);

        Assert.Equal(s_pipelineCommands, commands);
        Assert.Equal(s_pipeline.Length, consumed);
    }

    [Fact]
    public void EveryPrefix_IsIncompleteAndConsumesNothing_ThenTheWholeCommandParses()
    {
        // The same CommandArgs keeps the progress between attempts, as a connection does across reads.
        for (int k = 0; k < s_set.Length; k++)
        {
            using var args = new CommandArgs();
            var (status, _, consumed) = ParseOne(Sequence(s_set[..k]), args);
            Assert.Equal(RespParseStatus.Incomplete, status);
            Assert.Equal(0, consumed);
            Assert.Equal(0, args.Count);

            // More data arrives in another segment: the parse resumes there (in the scratch copy).
            var (whole, parsed, used) = ParseOne(SplitAt(s_set, k), args);
            Assert.Equal(RespParseStatus.Complete, whole);
            Assert.Equal(["SET", "key", "value"], parsed);
            Assert.Equal(s_set.Length, used);
        }
    }

    [Fact]
    public void ByteByByteArrival_ResumesEachTime()
    {
        foreach (bool segmented in new[] { false, true })
        {
            using var args = new CommandArgs();
            for (int k = 1; k < s_set.Length; k++)
            {
                ReadOnlySequence<byte> prefix = segmented ? Chunked(s_set[..k], 1) : Sequence(s_set[..k]);
                var (status, _, consumed) = ParseOne(prefix, args);
                Assert.Equal(RespParseStatus.Incomplete, status);
                Assert.Equal(0, consumed);
            }

            var (whole, parsed, used) = ParseOne(segmented ? Chunked(s_set, 1) : Sequence(s_set), args);
            Assert.Equal(RespParseStatus.Complete, whole);
            Assert.Equal(["SET", "key", "value"], parsed);
            Assert.Equal(s_set.Length, used);
        }
    }

    [Fact]
    public void BinaryArguments_KeepCrLfAndZeroBytes()
    {
        using var args = new CommandArgs();
        byte[] value = [0, (byte)'\r', (byte)'\n', (byte)'*', (byte)'$', 0xFF, (byte)'\r', (byte)'\n'];
        byte[] data = [.. Bytes("*2\r\n$3\r\nSET\r\n$8\r\n"), .. value, .. Bytes("\r\n")];

        for (int cut = 0; cut <= data.Length; cut++)
        {
            var (status, _, consumed) = ParseOne(SplitAt(data, cut), args);
            Assert.Equal(RespParseStatus.Complete, status);
            Assert.Equal(value, args[1].ToArray());
            Assert.Equal(data.Length, consumed);
        }
    }

    [Fact]
    public void EmptyBulk_IsAnEmptyArgument()
    {
        using var args = new CommandArgs();
        var (status, parsed, _) = ParseOne(Sequence(Bytes("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n")), args);

        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(["SET", "", ""], parsed);
        Assert.True(args[1].IsEmpty);
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*-5\r\n")]
    public void EmptyMultibulk_IsSkipped(string empty)
    {
        using var args = new CommandArgs();
        byte[] data = Bytes(empty + empty + "*1\r\n$4\r\nPING\r\n");
        var (commands, _, consumed) = ParseAll(Sequence(data), args);
        Assert.Equal([["PING"]], commands);
        Assert.Equal(data.Length, consumed);

        // Alone it is consumed, and there is no command.
        var (status, _, used) = ParseOne(Sequence(Bytes(empty)), args);
        Assert.Equal(RespParseStatus.Incomplete, status);
        Assert.Equal(empty.Length, used);
    }

    [Fact]
    public void EmptyBuffer_IsIncomplete()
    {
        using var args = new CommandArgs();
        Assert.Equal(RespParseStatus.Incomplete, ParseOne(ReadOnlySequence<byte>.Empty, args).Status);
    }

    [Fact]
    public void BytesAfterAnArgument_AreNotChecked_LikeRedis()
    {
        // networking.c takes the two bytes after the data (and the byte after each '\r') as the line end unseen.
        using var args = new CommandArgs();
        var (status, parsed, consumed) = ParseOne(Sequence(Bytes("*1\r\n$4\r\nPINGxx")), args);
        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(["PING"], parsed);
        Assert.Equal(14, consumed);

        (status, parsed, _) = ParseOne(Sequence(Bytes("*1\rX$4\rXPINGab")), args);
        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(["PING"], parsed);
    }

    [Fact]
    public void Is_ComparesAsciiIgnoringCase()
    {
        using var args = new CommandArgs();
        ParseOne(Sequence(Bytes(Multibulk("sEt", "k", "\u00e9x"))), args);

        Assert.True(args.Is(0, "SET"u8));
        Assert.True(args.Is(0, "set"u8));
        Assert.False(args.Is(0, "SETX"u8));
        Assert.False(args.Is(1, "SET"u8));
        Assert.False(args.Is(2, Bytes("\u00c9X")));
        Assert.False(args.Is(3, "SET"u8));
        Assert.False(args.Is(-1, "SET"u8));
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        using var args = new CommandArgs();
        ParseOne(Sequence(s_set), args);
        Assert.Throws<ArgumentOutOfRangeException>(() => args[3].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => args[-1].Length);
    }

    [Fact]
    public void ManyArguments_GrowTheContainerOnce()
    {
        using var args = new CommandArgs();
        string[] many = [.. Enumerable.Range(0, 1000).Select(i => "a" + i)];
        byte[] data = Bytes(Multibulk(many) + Multibulk("GET", "k"));

        var (commands, _, consumed) = ParseAll(Chunked(data, 4096), args);
        Assert.Equal(many, commands[0]);
        Assert.Equal(["GET", "k"], commands[1]);
        Assert.Equal(data.Length, consumed);
    }

    [Fact]
    public void LargeValue_AcrossManySegments_ArrivingInPieces()
    {
        using var args = new CommandArgs();
        string value = new('v', 100_000);
        byte[] data = Bytes(Multibulk("SET", "k", value));
        for (int have = 4096; have < data.Length; have += 4096)
        {
            var (status, _, consumed) = ParseOne(Chunked(data[..have], 4096), args);
            Assert.Equal(RespParseStatus.Incomplete, status);
            Assert.Equal(0, consumed);
        }

        var (whole, parsed, used) = ParseOne(Chunked(data, 4096), args);
        Assert.Equal(RespParseStatus.Complete, whole);
        Assert.Equal(value, parsed[2]);
        Assert.Equal(data.Length, used);
    }

    [Fact]
    public void Reset_DropsAPartialCommand()
    {
        using var args = new CommandArgs();
        ParseOne(Sequence(Bytes("*2\r\n$3\r\nGET\r\n")), args);
        args.Reset();

        var (status, parsed, _) = ParseOne(Sequence(s_set), args);
        Assert.Equal(RespParseStatus.Complete, status);
        Assert.Equal(["SET", "key", "value"], parsed);
    }

    [Fact]
    public void Dispose_ReturnsTheScratchBuffer()
    {
        using var pool = new NativeBufferPool(retainPerClass: 4);
        var args = new CommandArgs(pool);
        ParseAll(Chunked(s_pipeline, 3), args);
        Assert.NotEqual(0, pool.Outstanding);

        args.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }
}
