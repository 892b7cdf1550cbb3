using System.Buffers;
using System.Runtime.CompilerServices;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using static Kiwi.Resp.Tests.RespTestData;

namespace Kiwi.Resp.Tests;

/// <summary>
/// The hot paths allocate nothing: a deterministic count of this thread's allocations, not a timing.
/// </summary>
public sealed class RespAllocationTests
{
    private const int Iterations = 10_000;

    private static readonly byte[] s_pipeline = Bytes(
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n" +
        "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n" +
        "*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n");

    [Fact]
    public void Parsing_APipelineInOneSegment_AllocatesNothing()
        => AssertNoAllocation(Sequence(s_pipeline));

    [Fact]
    public void Parsing_APipelineAcrossSegments_AllocatesNothing()
        => AssertNoAllocation(Chunked(s_pipeline, 5));

    [Fact]
    public void Parsing_InlineCommands_AllocatesNothing()
        => AssertNoAllocation(Sequence(Bytes("SET key \"a value\"\r\nGET key\r\nPING\r\n")));

    [Fact]
    public void Writing_Replies_AllocatesNothing()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var request = new ApplyRequest();
        request.ReplyBulk("value"u8);
        WriteReplies(output, request, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        WriteReplies(output, request, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Tiered JIT recompilation may allocate a few bytes once on this thread; any allocation per
        // operation would be at least one object (24+ bytes) per iteration.
        Assert.True(allocated < Iterations, $"{allocated} bytes allocated over {Iterations} iterations");
        request.Payload.Dispose();
        request.ReplyBuffer.Dispose();
    }

    private static void AssertNoAllocation(ReadOnlySequence<byte> buffer)
    {
        using var args = new CommandArgs();
        Assert.Equal(3, ParseAll(buffer, args).Commands.Count);
        long total = ParseRepeatedly(buffer, args, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        total += ParseRepeatedly(buffer, args, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Tiered JIT recompilation may allocate a few bytes once on this thread; any allocation per
        // operation would be at least one object (24+ bytes) per iteration.
        Assert.True(allocated < Iterations, $"{allocated} bytes allocated over {Iterations} iterations");
        Assert.Equal(3 * (Iterations + 100), total);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ParseRepeatedly(ReadOnlySequence<byte> buffer, CommandArgs args, int iterations)
    {
        RespLimits limits = RespLimits.Default;
        long commands = 0;
        for (int i = 0; i < iterations; i++)
        {
            var reader = new SequenceReader<byte>(buffer);
            while (RespReader.TryParseCommand(ref reader, args, limits) == RespParseStatus.Complete)
            {
                if (args.Is(0, "SET"u8) || args[args.Count - 1].Length > 0)
                {
                    commands++;
                }
            }
        }

        return commands;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteReplies(ArrayBufferWriter<byte> output, ApplyRequest request, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            output.ResetWrittenCount();
            var writer = new RespWriter(output, (i & 1) == 0 ? RespVersion.Resp2 : RespVersion.Resp3);
            writer.WriteOk();
            writer.WriteInteger(i);
            writer.WriteBulk("value"u8);
            writer.WriteNull();
            writer.WriteArrayHeader(2);
            writer.WriteMapHeader(1);
            writer.WriteDouble(3.14 + i);
            writer.WriteBoolean(true);
            writer.WriteError(KiwiError.WrongType);
            writer.WriteRaw(request.ReplyBuffer.WrittenSpan);
        }
    }
}
