using System.Buffers;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <content>Inline commands (a line of words, as typed into telnet): Redis's <c>processInlineBuffer</c> and <c>sdssplitargs</c>.</content>
internal static partial class RespReader
{
    /// <summary>Stands for "past the end of the line" where <c>sdssplitargs</c> sees the C string's NUL.</summary>
    private const int EndOfLine = -1;

    /// <summary>
    /// Reads one inline line: up to '\n' (a '\r' before it is dropped), which must come within the inline limit.
    /// The line is copied into the scratch buffer and split there in place (unquoting only shrinks it).
    /// </summary>
    private static Step ParseInline(ref SequenceReader<byte> reader, CommandArgs args, in RespLimits limits)
    {
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        long window = Math.Min(rest.Length, (long)limits.MaxInlineLength + 1);
        SequencePosition? newline = rest.Slice(0, window).PositionOf((byte)'\n');
        if (newline is null)
        {
            return rest.Length > limits.MaxInlineLength ? Fail(args, RespProtocolError.TooBigInlineRequest) : Step.Incomplete;
        }

        ReadOnlySequence<byte> line = rest.Slice(0, newline.Value);
        int length = (int)line.Length;
        args.UseScratch();
        ByteBuffer scratch = args.Scratch;
        line.CopyTo(scratch.GetSpan(length));
        scratch.Advance(length);
        Span<byte> text = scratch.WrittenSpanMutable;
        if (length > 0 && text[length - 1] == (byte)'\r')
        {
            text = text.Slice(0, length - 1);
        }

        if (!SplitArgs(text, args))
        {
            return Fail(args, RespProtocolError.UnbalancedQuotes);
        }

        args.Next = length + 1;
        return args.Parsed == 0 ? Step.Skip : Step.Complete;
    }

    /// <summary>
    /// Splits <paramref name="line"/> into arguments in place, exactly like Redis's <c>sdssplitargs</c>: words
    /// separated by blanks; "double quotes" with \n \r \t \b \a \xHH and \&lt;any&gt; escapes; 'single quotes' with
    /// \' only; a closing quote must be followed by a blank or the end of the line. False for unbalanced quotes.
    /// </summary>
    private static bool SplitArgs(Span<byte> line, CommandArgs args)
    {
        int n = line.Length;
        int read = 0;
        int write = 0;
        while (true)
        {
            while (read < n && IsSpace(line[read]))
            {
                read++;
            }

            if (read == n)
            {
                return true;
            }

            // Every byte written consumed at least one byte read, so writing never overtakes reading.
            int start = write;
            bool inDouble = false;
            bool inSingle = false;
            bool done = false;
            while (!done)
            {
                int c = At(line, read);
                if (inDouble)
                {
                    if (c == '\\' && At(line, read + 1) == 'x' && IsHex(At(line, read + 2)) && IsHex(At(line, read + 3)))
                    {
                        line[write++] = (byte)((HexValue(line[read + 2]) << 4) | HexValue(line[read + 3]));
                        read += 3;
                    }
                    else if (c == '\\' && read + 1 < n)
                    {
                        read++;
                        line[write++] = Unescape(line[read]);
                    }
                    else if (c == '"')
                    {
                        if (read + 1 < n && !IsSpace(line[read + 1]))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else if (c == EndOfLine)
                    {
                        return false;
                    }
                    else
                    {
                        line[write++] = (byte)c;
                    }
                }
                else if (inSingle)
                {
                    if (c == '\\' && At(line, read + 1) == '\'')
                    {
                        read++;
                        line[write++] = (byte)'\'';
                    }
                    else if (c == '\'')
                    {
                        if (read + 1 < n && !IsSpace(line[read + 1]))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else if (c == EndOfLine)
                    {
                        return false;
                    }
                    else
                    {
                        line[write++] = (byte)c;
                    }
                }
                else
                {
                    switch (c)
                    {
                        // Only these end a bare word (isspace's \v and \f do not, as in Redis).
                        case ' ':
                        case '\n':
                        case '\r':
                        case '\t':
                        case EndOfLine:
                            done = true;
                            break;
                        case '"':
                            inDouble = true;
                            break;
                        case '\'':
                            inSingle = true;
                            break;
                        default:
                            line[write++] = (byte)c;
                            break;
                    }
                }

                if (read < n)
                {
                    read++;
                }
            }

            args.Add(start, write - start);
        }
    }

    private static int At(ReadOnlySpan<byte> line, int index) => (uint)index < (uint)line.Length ? line[index] : EndOfLine;

    /// <summary>C's <c>isspace</c> in the "C" locale.</summary>
    private static bool IsSpace(byte c) => c == ' ' || (c >= '\t' && c <= '\r');

    private static bool IsHex(int c) => c >= 0 && char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static byte Unescape(byte c) => c switch
    {
        (byte)'n' => (byte)'\n',
        (byte)'r' => (byte)'\r',
        (byte)'t' => (byte)'\t',
        (byte)'b' => (byte)'\b',
        (byte)'a' => (byte)'\a',
        _ => c,
    };
}
