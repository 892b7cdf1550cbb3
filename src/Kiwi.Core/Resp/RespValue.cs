using System.Buffers.Text;

namespace Kiwi.Core.Resp;

/// <summary>The type of one RESP value, from its first byte.</summary>
internal enum RespType : byte
{
    /// <summary>Not a complete or valid value.</summary>
    None,

    /// <summary>"+" a simple string.</summary>
    Simple,

    /// <summary>"-" an error line.</summary>
    Error,

    /// <summary>":" an integer.</summary>
    Integer,

    /// <summary>"$" a bulk string.</summary>
    Bulk,

    /// <summary>"_", "$-1" or "*-1": null.</summary>
    Null,

    /// <summary>"*" an array of <see cref="RespValue.Count"/> values.</summary>
    Array,

    /// <summary>"%" a map of <see cref="RespValue.Count"/> pairs.</summary>
    Map,

    /// <summary>"~" a set.</summary>
    Set,

    /// <summary>"," a double (its text in <see cref="RespValue.Text"/>).</summary>
    Double,

    /// <summary>"#" a boolean.</summary>
    Boolean,

    /// <summary>"=" a verbatim string (the text after its "xxx:" format).</summary>
    Verbatim,

    /// <summary>"(" a big number (its digits in <see cref="RespValue.Text"/>).</summary>
    BigNumber,

    /// <summary>"&gt;" an out-of-band push.</summary>
    Push,
}

/// <summary>
/// One RESP2/RESP3 value read from a reply held in memory (a request's reply buffer): its type, its text or
/// integer, and for aggregates the number of elements that follow it. Reading allocates nothing.
/// </summary>
internal readonly ref struct RespValue
{
    private RespValue(RespType type, ReadOnlySpan<byte> text, long integer)
    {
        Type = type;
        Text = text;
        Integer = integer;
    }

    /// <summary>The value's type.</summary>
    public RespType Type { get; }

    /// <summary>The bytes of a simple string, error line (without '-'), bulk string, double, verbatim or big number.</summary>
    public ReadOnlySpan<byte> Text { get; }

    /// <summary>An integer's value, a boolean as 1/0, or an aggregate's element count (a map's pair count).</summary>
    public long Integer { get; }

    /// <summary>For aggregates: the elements that follow (pairs count twice for a map).</summary>
    public long Count => Type == RespType.Map ? Integer * 2 : Integer;

    /// <summary>
    /// Reads the value starting at <paramref name="position"/> of <paramref name="data"/> and moves the position
    /// past its header (past the whole value for scalars; an aggregate's elements follow it). False when the data
    /// is incomplete or not RESP.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, scoped ref int position, out RespValue value)
    {
        value = default;
        ReadOnlySpan<byte> rest = data[position..];
        int eol = rest.IndexOf("\r\n"u8);
        if (eol < 1)
        {
            return false;
        }

        ReadOnlySpan<byte> line = rest[1..eol];
        int next = position + eol + 2;
        switch (rest[0])
        {
            case (byte)'+':
                value = new RespValue(RespType.Simple, line, 0);
                break;
            case (byte)'-':
                value = new RespValue(RespType.Error, line, 0);
                break;
            case (byte)',':
                value = new RespValue(RespType.Double, line, 0);
                break;
            case (byte)'(':
                value = new RespValue(RespType.BigNumber, line, 0);
                break;
            case (byte)'_':
                value = new RespValue(RespType.Null, default, 0);
                break;
            case (byte)'#':
                value = new RespValue(RespType.Boolean, default, line.SequenceEqual("t"u8) ? 1 : 0);
                break;
            case (byte)':':
                if (!Utf8Parser.TryParse(line, out long integer, out int used) || used != line.Length)
                {
                    return false;
                }

                value = new RespValue(RespType.Integer, default, integer);
                break;
            case (byte)'$':
            case (byte)'=':
                if (!Utf8Parser.TryParse(line, out long length, out used) || used != line.Length || length < -1)
                {
                    return false;
                }

                if (length == -1)
                {
                    value = new RespValue(RespType.Null, default, 0);
                    break;
                }

                if (data.Length - next < length + 2)
                {
                    return false;
                }

                ReadOnlySpan<byte> body = data.Slice(next, (int)length);
                next += (int)length + 2;
                value = rest[0] == (byte)'$'
                    ? new RespValue(RespType.Bulk, body, 0)
                    : new RespValue(RespType.Verbatim, body.Length >= 4 ? body[4..] : default, 0);
                break;
            case (byte)'*':
            case (byte)'%':
            case (byte)'~':
            case (byte)'>':
                if (!Utf8Parser.TryParse(line, out long count, out used) || used != line.Length || count < -1)
                {
                    return false;
                }

                RespType type = rest[0] switch
                {
                    (byte)'*' => RespType.Array,
                    (byte)'%' => RespType.Map,
                    (byte)'~' => RespType.Set,
                    _ => RespType.Push,
                };
                value = count == -1 ? new RespValue(RespType.Null, default, 0) : new RespValue(type, default, count);
                break;
            default:
                return false;
        }

        position = next;
        return true;
    }

    /// <summary>Moves <paramref name="position"/> past one whole value (aggregates with every element). False when incomplete.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> data, ref int position)
    {
        long pending = 1;
        while (pending > 0)
        {
            if (!TryRead(data, ref position, out RespValue value))
            {
                return false;
            }

            pending += value.Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push ? value.Count - 1 : -1;
        }

        return true;
    }
}
