using System.Buffers;
using System.Text;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Tests;

/// <summary>A segment of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory, TestSegment? previous)
    {
        Memory = memory;
        if (previous is not null)
        {
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}

/// <summary>Builds request buffers and reads parse results for the RESP tests.</summary>
internal static class RespTestData
{
    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>One segment per part (parts may be empty).</summary>
    public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        if (parts.Length == 1)
        {
            return new ReadOnlySequence<byte>(parts[0]);
        }

        TestSegment first = new(parts[0], null);
        TestSegment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = new TestSegment(parts[i], last);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="data"/> cut into segments at the given offsets (ascending).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] cuts)
    {
        var parts = new List<byte[]>();
        int previous = 0;
        foreach (int cut in cuts)
        {
            parts.Add(data[previous..cut]);
            previous = cut;
        }

        parts.Add(data[previous..]);
        return Sequence([.. parts]);
    }

    /// <summary><paramref name="data"/> in segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] data, int size)
    {
        var cuts = new List<int>();
        for (int i = size; i < data.Length; i += size)
        {
            cuts.Add(i);
        }

        return SplitAt(data, [.. cuts]);
    }

    /// <summary>Parses once: the status, the arguments (as Latin-1 strings) and how much was consumed.</summary>
    public static (RespParseStatus Status, string[] Args, long Consumed) ParseOne(
        ReadOnlySequence<byte> buffer, CommandArgs args, RespLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(buffer);
        RespLimits l = limits ?? RespLimits.Default;
        RespParseStatus status = RespReader.TryParseCommand(ref reader, args, l);
        return (status, ArgsOf(args), reader.Consumed);
    }

    /// <summary>Parses every complete command; returns them, the final status and the bytes consumed.</summary>
    public static (List<string[]> Commands, RespParseStatus Last, long Consumed) ParseAll(
        ReadOnlySequence<byte> buffer, CommandArgs args, RespLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(buffer);
        RespLimits l = limits ?? RespLimits.Default;
        var commands = new List<string[]>();
        RespParseStatus status;
        while ((status = RespReader.TryParseCommand(ref reader, args, l)) == RespParseStatus.Complete)
        {
            commands.Add(ArgsOf(args));
        }

        return (commands, status, reader.Consumed);
    }

    public static string[] ArgsOf(CommandArgs args)
    {
        string[] result = new string[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            result[i] = Text(args[i]);
        }

        return result;
    }

    /// <summary>The reply line Redis sends for the error the reader reported.</summary>
    public static string ErrorReply(CommandArgs args)
    {
        var output = new ArrayBufferWriter<byte>();
        new RespWriter(output).WriteProtocolError(args.Error, args.UnexpectedByte);
        return Text(output.WrittenSpan);
    }

    /// <summary>A multibulk request for the given arguments.</summary>
    public static string Multibulk(params string[] args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            sb.Append('$').Append(arg.Length).Append("\r\n").Append(arg).Append("\r\n");
        }

        return sb.ToString();
    }
}
