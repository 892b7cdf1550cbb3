using System.Buffers;
using System.Runtime.CompilerServices;
using Kiwi.Core.Commands;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;
using ParseMode = Kiwi.Core.Resp.CommandArgs.ParseMode;

namespace Kiwi.Resp;

/// <summary>
/// Parses client requests the way Redis's <c>processMultibulkBuffer</c> and <c>processInlineBuffer</c> do
/// (networking.c), from the buffers a pipe hands out, without allocating.
/// </summary>
/// <remarks>
/// Usage: wrap the buffer in a <see cref="SequenceReader{T}"/>, call <see cref="TryParseCommand"/> until it
/// stops returning <see cref="RespParseStatus.Complete"/>, then release <c>reader.Position</c> as consumed.
/// A command that has not fully arrived is left unconsumed, but its parsed prefix is remembered in the
/// <see cref="CommandArgs"/>, so retrying with more data costs only the new bytes.
/// </remarks>
internal static partial class RespReader
{
    /// <summary>The smallest copy into the scratch buffer: a command split across segments is usually short.</summary>
    private const int MinScratchCopy = 256;

    /// <summary>A command must fit one contiguous block (offsets are <see cref="int"/>).</summary>
    private const int MaxCommandLength = 0x7FFFFFC7;

    private enum Step : byte
    {
        Incomplete,
        Complete,
        Skip,
        Error,
    }

    private enum Line : byte
    {
        Ok,
        Incomplete,
        TooLong,
        NotANumber,
    }

    /// <summary>
    /// Reads the next command into <paramref name="args"/>. Empty commands (<c>*0</c>, <c>*-1</c>, blank inline
    /// lines) are consumed and skipped, so <see cref="RespParseStatus.Complete"/> always means at least one argument.
    /// </summary>
    /// <param name="reader">Positioned at the next command; advanced past it when it is complete.</param>
    /// <param name="args">The connection's reusable argument container (also holds the progress of a partial command).</param>
    /// <param name="limits">The limits to enforce.</param>
    public static RespParseStatus TryParseCommand(ref SequenceReader<byte> reader, CommandArgs args, in RespLimits limits)
    {
        ArgumentNullException.ThrowIfNull(args);
        while (true)
        {
            if (args.Mode == ParseMode.None)
            {
                if (!reader.TryPeek(out byte first))
                {
                    args.Begin(ParseMode.None);
                    return RespParseStatus.Incomplete;
                }

                args.Begin(first == (byte)'*' ? ParseMode.Multibulk : ParseMode.Inline);
            }

            Step step;
            if (args.Mode == ParseMode.Multibulk && !args.InScratch)
            {
                ReadOnlySpan<byte> span = reader.UnreadSpan;
                step = ParseMultibulk(span, args, limits, out long needed);
                if (step == Step.Complete)
                {
                    // The whole command lies in this segment: its arguments are slices of the receive buffer.
                    args.Complete(reader.UnreadSequence.First);
                    reader.Advance(args.Next);
                    return RespParseStatus.Complete;
                }

                if (step == Step.Incomplete && reader.Remaining > span.Length)
                {
                    step = ParseMultibulkInScratch(ref reader, args, limits, needed);
                }
            }
            else
            {
                step = ParseSlow(ref reader, args, limits);
            }

            switch (step)
            {
                case Step.Complete:
                    args.Complete(default);
                    reader.Advance(args.Next);
                    return RespParseStatus.Complete;
                case Step.Skip:
                    reader.Advance(args.Next);
                    args.Skip();
                    continue;
                case Step.Error:
                    return RespParseStatus.Error;
                default:
                    return RespParseStatus.Incomplete;
            }
        }
    }

    /// <summary>
    /// Parses (or resumes parsing) a multibulk command over <paramref name="data"/>, which starts at the
    /// command's first byte. On <see cref="Step.Incomplete"/>, <paramref name="needed"/> is the total length that
    /// lets the parse progress (exact for bulk data, "one more byte" for a line).
    /// </summary>
    private static Step ParseMultibulk(ReadOnlySpan<byte> data, CommandArgs args, in RespLimits limits, out long needed)
    {
        // A resumed parse may find less data than before (the caller re-laid the same bytes out differently):
        // every read below is bounds-checked against data, and a short span just means "incomplete".
        needed = 0;
        if (args.Expected == 0)
        {
            Step header = ReadMultibulkHeader(data, args, limits, out needed);
            if (header != Step.Complete)
            {
                return header;
            }
        }

        while (args.Parsed < args.Expected)
        {
            int start = args.Next;
            if ((uint)start >= (uint)data.Length)
            {
                needed = data.Length + 1L;
                return Step.Incomplete;
            }

            if (data[start] != (byte)'$' || !TryReadLengthFast(data, start, out long length, out int dataStart))
            {
                Step bulkHeader = ReadBulkHeaderSlow(data, start, args, limits, out length, out dataStart);
                if (bulkHeader != Step.Complete)
                {
                    needed = data.Length + 1L;
                    return bulkHeader;
                }
            }

            if ((ulong)length > (ulong)limits.MaxBulkLength
                || (limits.Unauthenticated && length > RespLimits.UnauthenticatedMaxBulkLength))
            {
                return FailBulkLength(args, length, limits);
            }

            long end = dataStart + length + 2;
            if (end > MaxCommandLength)
            {
                return FailBulkLength(args, length, limits);
            }

            if (end > data.Length)
            {
                // Only the '$' line is known: the data is awaited, the line is read again next time.
                needed = end;
                return Step.Incomplete;
            }

            // Like Redis, the two bytes after the data are taken as the CRLF without looking at them.
            args.Add(dataStart, (int)length);
            args.Next = (int)end;
        }

        return Step.Complete;
    }

    /// <summary>Reads the '*' line: <see cref="Step.Complete"/> when a positive count was stored.</summary>
    private static Step ReadMultibulkHeader(ReadOnlySpan<byte> data, CommandArgs args, in RespLimits limits, out long needed)
    {
        needed = 0;
        if (!TryReadLengthFast(data, 0, out long count, out int next))
        {
            Line line = ReadLineSlow(data, 0, limits.MaxInlineLength, out count, out next);
            if (line == Line.Incomplete)
            {
                needed = data.Length + 1L;
                return Step.Incomplete;
            }

            if (line != Line.Ok)
            {
                return Fail(args, line == Line.TooLong ? RespProtocolError.TooBigMbulkCountString : RespProtocolError.InvalidMultibulkLength);
            }
        }

        if (count > limits.MaxMultibulkCount)
        {
            return Fail(args, RespProtocolError.InvalidMultibulkLength);
        }

        if (limits.Unauthenticated && count > RespLimits.UnauthenticatedMaxMultibulkCount)
        {
            return Fail(args, RespProtocolError.UnauthenticatedMultibulkLength);
        }

        args.Next = next;
        if (count <= 0)
        {
            return Step.Skip;
        }

        args.Expected = (int)count;
        return Step.Complete;
    }

    /// <summary>
    /// The common shape of a count line: the prefix byte, up to 9 digits without a leading zero (or a lone
    /// "0"), '\r' and one more byte. Anything else goes to <see cref="ReadLineSlow"/>, which has Redis's rules.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadLengthFast(ReadOnlySpan<byte> data, int start, out long value, out int next)
    {
        value = 0;
        next = 0;
        int i = start + 1;
        if ((uint)i >= (uint)data.Length)
        {
            return false;
        }

        uint digit = (uint)(data[i] - '0');
        if (digit > 9)
        {
            return false;
        }

        long v = digit;
        i++;
        if (digit != 0)
        {
            int end = Math.Min(data.Length, start + 10);
            while (i < end && (digit = (uint)(data[i] - '0')) <= 9)
            {
                v = (v * 10) + digit;
                i++;
            }
        }

        if ((uint)(i + 1) >= (uint)data.Length || data[i] != (byte)'\r')
        {
            return false;
        }

        value = v;
        next = i + 2;
        return true;
    }

    /// <summary>
    /// Redis's rules for a count line starting at <paramref name="start"/>: the first '\r' must come within
    /// <paramref name="maxLine"/> bytes (else the line is too long however the data was split), one more byte must
    /// follow it (the '\n', which Redis does not check), and the digits must pass <c>string2ll</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Line ReadLineSlow(ReadOnlySpan<byte> data, int start, int maxLine, out long value, out int next)
    {
        value = 0;
        next = 0;
        ReadOnlySpan<byte> rest = data.Slice(start);
        int window = (int)Math.Min(rest.Length, (long)maxLine + 1);
        int cr = rest.Slice(0, window).IndexOf((byte)'\r');
        if (cr < 0)
        {
            return rest.Length > maxLine ? Line.TooLong : Line.Incomplete;
        }

        if (cr + 1 >= rest.Length)
        {
            return Line.Incomplete;
        }

        next = start + cr + 2;
        return cr > 0 && RedisNumbers.TryParseInt64(rest.Slice(1, cr - 1), out value) ? Line.Ok : Line.NotANumber;
    }

    /// <summary>A '$' line off the fast path: <see cref="Step.Complete"/> when a length was read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Step ReadBulkHeaderSlow(ReadOnlySpan<byte> data, int start, CommandArgs args, in RespLimits limits, out long length, out int dataStart)
    {
        Line line = ReadLineSlow(data, start, limits.MaxInlineLength, out length, out dataStart);
        if (line == Line.Incomplete)
        {
            return Step.Incomplete;
        }

        if (line == Line.TooLong)
        {
            return Fail(args, RespProtocolError.TooBigBulkCountString);
        }

        // Redis looks at the prefix only once the whole line is there, and before the number.
        if (data[start] != (byte)'$')
        {
            args.Fail(RespProtocolError.ExpectedDollar, data[start]);
            return Step.Error;
        }

        return line == Line.Ok ? Step.Complete : Fail(args, RespProtocolError.InvalidBulkLength);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Step FailBulkLength(CommandArgs args, long length, in RespLimits limits)
        => Fail(args, length >= 0 && length <= limits.MaxBulkLength && limits.Unauthenticated && length > RespLimits.UnauthenticatedMaxBulkLength
            ? RespProtocolError.UnauthenticatedBulkLength
            : RespProtocolError.InvalidBulkLength);

    private static Step Fail(CommandArgs args, RespProtocolError error)
    {
        args.Fail(error);
        return Step.Error;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Step ParseSlow(ref SequenceReader<byte> reader, CommandArgs args, in RespLimits limits)
        => args.Mode == ParseMode.Inline
            ? ParseInline(ref reader, args, limits)
            : ParseMultibulkInScratch(ref reader, args, limits, args.Scratch.Length + 1L);

    /// <summary>
    /// A command that crosses a segment boundary: its bytes are copied into the scratch buffer as far as the
    /// parse needs them (never again: a retry copies only what is new), and parsed there.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Step ParseMultibulkInScratch(ref SequenceReader<byte> reader, CommandArgs args, in RespLimits limits, long needed)
    {
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        long available = rest.Length;
        if (!args.InScratch)
        {
            args.UseScratch();
        }

        ByteBuffer scratch = args.Scratch;
        while (true)
        {
            int copied = scratch.Length;

            // Copy at least what the parse asked for; grow geometrically so a long run of short lines is not
            // copied a few bytes at a time.
            long target = Math.Min(Math.Min(available, MaxCommandLength), Math.Max(needed, copied + (long)Math.Max(MinScratchCopy, copied)));
            if (target <= copied)
            {
                return Step.Incomplete;
            }

            int count = (int)(target - copied);
            rest.Slice(copied, count).CopyTo(scratch.GetSpan(count));
            scratch.Advance(count);
            Step step = ParseMultibulk(scratch.WrittenSpan, args, limits, out needed);
            if (step != Step.Incomplete)
            {
                return step;
            }
        }
    }
}
