using System.Buffers;
using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Tests.Resp;

/// <summary>Replies written into a request in its client's protocol, decoded back, and framed in a stream.</summary>
public sealed class ReplyBufferTests
{
    [Fact]
    public void Request_WritesItsReplyInItsProtocol()
    {
        using var scope = new RequestScope();
        ApplyRequest request = scope.Request;
        request.Protocol = RespVersion.Resp2;
        request.ReplyNull();
        Assert.Equal("$-1\r\n", Text(request));
        Assert.Equal(ReplyKind.Null, request.Reply);

        request.TryReset();
        Assert.Equal(RespVersion.Resp3, request.Protocol);
        request.ReplyNull();
        Assert.Equal("_\r\n", Text(request));

        request.TryReset();
        request.Protocol = RespVersion.Resp2;
        RespWriter writer = request.Writer;
        writer.WriteMapHeader(1);
        writer.WriteBulk("f"u8);
        writer.WriteDouble(1.5);
        Assert.Equal("*2\r\n$1\r\nf\r\n$3\r\n1.5\r\n", Text(request));
        Assert.Equal(ReplyKind.Array, request.Reply);

        request.TryReset();
        writer = request.Writer;
        writer.WriteMapHeader(1);
        writer.WriteBulk("f"u8);
        writer.WriteDouble(1.5);
        Assert.Equal("%1\r\n$1\r\nf\r\n,1.5\r\n", Text(request));
        Assert.Equal(ReplyKind.Other, request.Reply);
    }

    [Fact]
    public void Request_DecodesScalarReplies()
    {
        using var scope = new RequestScope();
        ApplyRequest request = scope.Request;
        request.ReplyOk();
        Assert.Equal(ReplyKind.Ok, request.Reply);

        request.TryReset();
        request.ReplyInteger(-42);
        Assert.Equal(ReplyKind.Integer, request.Reply);
        Assert.Equal(-42, request.Integer);

        request.TryReset();
        request.ReplyBulk("v\r\n"u8);
        Assert.Equal(ReplyKind.Bulk, request.Reply);
        Assert.Equal("v\r\n", Encoding.ASCII.GetString(request.BulkReply));
        Assert.Equal(0, request.Integer);

        request.TryReset();
        Assert.Equal(ReplyKind.None, request.Reply);
    }

    [Fact]
    public void Errors_KeepTheirKindThroughTheText()
    {
        using var scope = new RequestScope();
        ApplyRequest request = scope.Request;
        request.ReplyError(KiwiError.NotInteger);
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Text(request));
        KiwiException ex = request.ToException();
        Assert.Equal(KiwiError.NotInteger, ex.Error);
        Assert.Equal("ERR value is not an integer or out of range", ex.Message);

        request.TryReset();
        request.ReplyErrorText("ERR syntax error");
        Assert.Equal(KiwiError.None, request.ToException().Error);
        Assert.Equal("ERR syntax error", request.ToException().Message);
    }

    [Fact]
    public void Fail_ReplacesWhatWasReplied()
    {
        using var scope = new RequestScope();
        ApplyRequest request = scope.Request;
        request.ReplyInteger(7);
        request.Fail("IO error: disk\r\nfull");
        Assert.Equal("-ERR storage failure: the write was not applied (IO error: disk  full)\r\n", Text(request));
        Assert.Equal(KiwiError.StorageFailure, request.ToException().Error);
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("-ERR x\r\n")]
    [InlineData(":12\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("_\r\n")]
    [InlineData("$0\r\n\r\n")]
    [InlineData("$5\r\na\r\nbc\r\n")]
    [InlineData("*2\r\n$1\r\na\r\n*1\r\n:1\r\n")]
    [InlineData("%2\r\n+a\r\n,1.5\r\n#t\r\n(123\r\n")]
    [InlineData("~0\r\n")]
    [InlineData("=7\r\ntxt:abc\r\n")]
    [InlineData("*3\r\n_\r\n$-1\r\n*0\r\n")]
    public void Frame_FindsTheEndOfOneReply_InAnySplit(string reply)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(reply + ":99\r\n");
        for (int split = 0; split <= bytes.Length; split++)
        {
            ReadOnlySequence<byte> sequence = TwoSegments(bytes, split);
            var reader = new SequenceReader<byte>(sequence);
            Assert.True(RespFrame.TrySkip(ref reader));
            Assert.Equal(reply.Length, reader.Consumed);
            Assert.True(RespFrame.TrySkip(ref reader));
            Assert.True(reader.End);

            int position = 0;
            Assert.True(RespValue.TrySkip(bytes, ref position));
            Assert.Equal(reply.Length, position);
        }

        // Every proper prefix is incomplete and leaves the reader where it was.
        for (int length = 0; length < reply.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, length));
            Assert.False(RespFrame.TrySkip(ref reader));
            Assert.Equal(0, reader.Consumed);
            int position = 0;
            Assert.False(RespValue.TrySkip(bytes.AsSpan(0, length), ref position));
        }
    }

    [Fact]
    public void Frame_RefusesWhatIsNotResp()
    {
        byte[] bytes = "!3\r\nabc\r\n"u8.ToArray();
        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            RespFrame.TrySkip(ref reader);
        });
        int position = 0;
        Assert.False(RespValue.TryRead(bytes, ref position, out _));
        Assert.False(RespValue.TryRead(":1x\r\n"u8, ref position, out _));
    }

    private static string Text(ApplyRequest request) => Encoding.ASCII.GetString(request.ReplyBuffer.WrittenSpan);

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split), 0);
        Segment last = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class RequestScope : IDisposable
    {
        public ApplyRequest Request { get; } = new();

        public void Dispose()
        {
            Request.Payload.Dispose();
            Request.ReplyBuffer.Dispose();
        }
    }
}
