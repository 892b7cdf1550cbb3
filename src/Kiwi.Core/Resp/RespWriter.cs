using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Resp;

/// <summary>
/// Writes RESP2 or RESP3 replies straight into an <see cref="IBufferWriter{T}"/> (a connection's
/// <c>PipeWriter</c>), the way Redis's <c>addReply*</c> functions render them. Each call writes one complete
/// element; nothing is buffered here and nothing is allocated. Cheap to copy; may be kept in a field.
/// </summary>
internal readonly partial struct RespWriter
{
    /// <summary>A bulk string up to this size is written with one <c>GetSpan</c>; bigger ones in chunks.</summary>
    private const int ChunkSize = 4096;

    /// <summary>Prefix byte, a 64-bit integer, CRLF.</summary>
    private const int MaxLengthLine = 1 + 20 + 2;

    private readonly IBufferWriter<byte> _output;
    private readonly IErrorReplyObserver? _errors;

    /// <summary>Creates a writer for <paramref name="output"/> speaking <paramref name="version"/>.</summary>
    public RespWriter(IBufferWriter<byte> output, RespVersion version = RespVersion.Resp2)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Version = version;
    }

    /// <summary>A writer that also tells <paramref name="errors"/> of every error reply it writes (INFO errorstats).</summary>
    internal RespWriter(IBufferWriter<byte> output, RespVersion version, IErrorReplyObserver? errors)
        : this(output, version)
    {
        _errors = errors;
    }

    /// <summary>The protocol the replies are written in.</summary>
    public RespVersion Version { get; }

    /// <summary>The buffer replies are written to.</summary>
    public IBufferWriter<byte> Output => _output;

    /// <summary>True for RESP3.</summary>
    public bool IsResp3 => Version == RespVersion.Resp3;

    /// <summary>Copies already-encoded reply bytes (for example a <see cref="RespReplies"/> constant).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        Span<byte> span = _output.GetSpan(Math.Min(encoded.Length, ChunkSize));
        if (span.Length < encoded.Length)
        {
            WriteRawChunked(encoded);
            return;
        }

        encoded.CopyTo(span);
        _output.Advance(encoded.Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteRawChunked(ReadOnlySpan<byte> encoded)
    {
        while (!encoded.IsEmpty)
        {
            Span<byte> span = _output.GetSpan(Math.Min(encoded.Length, ChunkSize));
            int n = Math.Min(span.Length, encoded.Length);
            encoded.Slice(0, n).CopyTo(span);
            _output.Advance(n);
            encoded = encoded.Slice(n);
        }
    }

    /// <summary>"+OK".</summary>
    public void WriteOk() => WriteRaw(RespReplies.Ok);

    /// <summary>"+" <paramref name="text"/> CRLF. The text must not contain CR or LF.</summary>
    public void WriteSimpleString(ReadOnlySpan<byte> text) => WriteLine((byte)'+', text);

    /// <summary>
    /// "-" <paramref name="line"/> CRLF, where the line starts with the error code ("ERR …", "WRONGTYPE …") and
    /// contains no CR or LF.
    /// </summary>
    public void WriteError(ReadOnlySpan<byte> line)
    {
        _errors?.OnErrorReply(line);
        WriteLine((byte)'-', line);
    }

    /// <summary>The error line of <paramref name="error"/> (Redis's text).</summary>
    public void WriteError(KiwiError error) => WriteError(KiwiErrorText.Utf8(error));

    /// <summary>
    /// "-ERR Protocol error: …" for a request the reader refused; <paramref name="unexpected"/> is the byte
    /// found instead of '$' (<see cref="CommandArgs.UnexpectedByte"/>). CR and LF there become spaces, as in
    /// Redis's <c>addReplyErrorFormat</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void WriteProtocolError(RespProtocolError error, byte unexpected = 0)
    {
        ReadOnlySpan<byte> prefix = RespProtocolErrorText.Prefix;
        _errors?.OnErrorReply(prefix);
        ReadOnlySpan<byte> reason = RespProtocolErrorText.Utf8(error);
        bool withByte = error == RespProtocolError.ExpectedDollar;
        int length = 1 + prefix.Length + reason.Length + (withByte ? 2 : 0) + 2;
        Span<byte> span = _output.GetSpan(length);
        span[0] = (byte)'-';
        prefix.CopyTo(span.Slice(1));
        reason.CopyTo(span.Slice(1 + prefix.Length));
        int pos = 1 + prefix.Length + reason.Length;
        if (withByte)
        {
            span[pos++] = unexpected is (byte)'\r' or (byte)'\n' ? (byte)' ' : unexpected;
            span[pos++] = RespProtocolErrorText.ExpectedDollarSuffix[0];
        }

        span[pos++] = (byte)'\r';
        span[pos++] = (byte)'\n';
        _output.Advance(pos);
    }

    /// <summary>":" <paramref name="value"/> CRLF.</summary>
    public void WriteInteger(long value) => WriteLengthLine((byte)':', value);

    /// <summary>A bulk string: "$" length CRLF bytes CRLF.</summary>
    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        int total = MaxLengthLine + value.Length + 2;
        Span<byte> span = _output.GetSpan(Math.Min(total, ChunkSize));
        if (span.Length < total)
        {
            WriteBulkChunked(value);
            return;
        }

        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(value.Length, span.Slice(1), out int digits);
        int pos = 1 + digits;
        span[pos++] = (byte)'\r';
        span[pos++] = (byte)'\n';
        value.CopyTo(span.Slice(pos));
        pos += value.Length;
        span[pos++] = (byte)'\r';
        span[pos++] = (byte)'\n';
        _output.Advance(pos);
    }

    /// <summary>Null: RESP2 "$-1" (the null bulk string), RESP3 "_".</summary>
    public void WriteNull() => WriteRaw(IsResp3 ? RespReplies.Null : RespReplies.NullBulk);

    /// <summary>Null array: RESP2 "*-1", RESP3 "_".</summary>
    public void WriteNullArray() => WriteRaw(IsResp3 ? RespReplies.Null : RespReplies.NullArray);

    /// <summary>"*" <paramref name="count"/>: the next <paramref name="count"/> elements form an array.</summary>
    public void WriteArrayHeader(int count) => WriteLengthLine((byte)'*', count);

    /// <summary>A map of <paramref name="count"/> pairs: RESP3 "%" count, RESP2 a flat array "*" 2×count.</summary>
    public void WriteMapHeader(int count) => WriteLengthLine(IsResp3 ? (byte)'%' : (byte)'*', IsResp3 ? count : 2L * count);

    /// <summary>A set: RESP3 "~" count, RESP2 "*" count.</summary>
    public void WriteSetHeader(int count) => WriteLengthLine(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>An out-of-band push (pub/sub messages): RESP3 "&gt;" count, RESP2 "*" count.</summary>
    public void WritePushHeader(int count) => WriteLengthLine(IsResp3 ? (byte)'>' : (byte)'*', count);

    /// <summary>A boolean: RESP3 "#t"/"#f", RESP2 ":1"/":0".</summary>
    public void WriteBoolean(bool value)
        => WriteRaw(IsResp3 ? (value ? RespReplies.True : RespReplies.False) : (value ? RespReplies.One : RespReplies.Zero));

    /// <summary>A double formatted like Redis (<see cref="RedisDouble"/>): RESP3 "," text, RESP2 a bulk string.</summary>
    public void WriteDouble(double value)
    {
        Span<byte> text = stackalloc byte[RedisDouble.MaxLength];
        int length = RedisDouble.Format(value, text);
        if (IsResp3)
        {
            WriteLine((byte)',', text.Slice(0, length));
        }
        else
        {
            WriteBulk(text.Slice(0, length));
        }
    }

    /// <summary>
    /// A verbatim string (INFO, LATENCY DOCTOR…): RESP3 "=" length CRLF "txt:" text CRLF, RESP2 a bulk string.
    /// <paramref name="format"/> is cut or padded with spaces to three bytes, as Redis does; "txt" when empty.
    /// </summary>
    public void WriteVerbatim(ReadOnlySpan<byte> text, ReadOnlySpan<byte> format = default)
    {
        if (!IsResp3)
        {
            WriteBulk(text);
            return;
        }

        if (format.IsEmpty)
        {
            format = "txt"u8;
        }

        WriteLengthLine((byte)'=', text.Length + 4L);
        Span<byte> head = _output.GetSpan(4);
        for (int i = 0; i < 3; i++)
        {
            head[i] = i < format.Length ? format[i] : (byte)' ';
        }

        head[3] = (byte)':';
        _output.Advance(4);
        WriteBody(text);
    }

    /// <summary>prefix text CRLF.</summary>
    private void WriteLine(byte prefix, ReadOnlySpan<byte> text)
    {
        int total = 1 + text.Length + 2;
        Span<byte> span = _output.GetSpan(Math.Min(total, ChunkSize));
        if (span.Length < total)
        {
            WriteLineChunked(prefix, text);
            return;
        }

        span[0] = prefix;
        text.CopyTo(span.Slice(1));
        span[1 + text.Length] = (byte)'\r';
        span[2 + text.Length] = (byte)'\n';
        _output.Advance(total);
    }

    /// <summary>prefix number CRLF: integers and every length header.</summary>
    private void WriteLengthLine(byte prefix, long value)
    {
        Span<byte> span = _output.GetSpan(MaxLengthLine);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span.Slice(1), out int digits);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        _output.Advance(digits + 3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteBulkChunked(ReadOnlySpan<byte> value)
    {
        WriteLengthLine((byte)'$', value.Length);
        WriteBody(value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteLineChunked(byte prefix, ReadOnlySpan<byte> text)
    {
        Span<byte> span = _output.GetSpan(1);
        span[0] = prefix;
        _output.Advance(1);
        WriteBody(text);
    }

    /// <summary>bytes CRLF, in pieces no bigger than the writer offers (a huge value never needs one huge block).</summary>
    private void WriteBody(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            Span<byte> span = _output.GetSpan(Math.Min(value.Length, ChunkSize));
            int n = Math.Min(span.Length, value.Length);
            value.Slice(0, n).CopyTo(span);
            _output.Advance(n);
            value = value.Slice(n);
        }

        WriteRaw(RespReplies.Crlf);
    }
}
