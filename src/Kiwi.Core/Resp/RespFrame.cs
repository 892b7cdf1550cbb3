using System.Buffers;
using System.Buffers.Text;

namespace Kiwi.Core.Resp;

/// <summary>
/// Finds where one complete RESP2/RESP3 reply ends in a stream (a follower reading the leader's replies to its
/// forwarded writes), without decoding it: the reply's bytes are relayed as they are.
/// </summary>
internal static class RespFrame
{
    /// <summary>Longest header line accepted (type byte, a 64-bit length, CRLF).</summary>
    private const int MaxHeader = 32;

    /// <summary>
    /// Moves <paramref name="reader"/> past one whole reply (an aggregate with all its elements) and returns true;
    /// returns false, leaving it where it was, when the reply is not complete yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not RESP.</exception>
    public static bool TrySkip(ref SequenceReader<byte> reader)
    {
        SequenceReader<byte> probe = reader;
        long pending = 1;
        while (pending > 0)
        {
            if (!probe.TryRead(out byte type) || !probe.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
            {
                return false;
            }

            pending--;
            switch (type)
            {
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                    break;
                case (byte)'$' or (byte)'=':
                    long length = Number(line);
                    if (length >= 0)
                    {
                        if (probe.Remaining < length + 2)
                        {
                            return false;
                        }

                        probe.Advance(length + 2);
                    }

                    break;
                case (byte)'*' or (byte)'~' or (byte)'>':
                    pending += Math.Max(0, Number(line));
                    break;
                case (byte)'%':
                    pending += 2 * Math.Max(0, Number(line));
                    break;
                default:
                    throw new InvalidDataException($"unexpected RESP type byte 0x{type:x2}");
            }
        }

        reader = probe;
        return true;
    }

    private static long Number(ReadOnlySequence<byte> line)
    {
        if (line.Length > MaxHeader)
        {
            throw new InvalidDataException("RESP length line too long");
        }

        Span<byte> digits = stackalloc byte[MaxHeader];
        line.CopyTo(digits);
        Span<byte> text = digits[..(int)line.Length];
        return Utf8Parser.TryParse(text, out long value, out int used) && used == text.Length
            ? value
            : throw new InvalidDataException("bad RESP length");
    }
}
