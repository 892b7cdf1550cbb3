using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kiwi.Bench;

/// <summary>
/// One RESP connection of <c>kiwi-bench scale</c>: commands are written into a request buffer the caller fills
/// in place (fixed-width keys, so a command is rewritten by overwriting its digits), replies are skipped in a
/// receive buffer. Async sockets with pooled state machines: no allocation per request once warm.
/// </summary>
internal sealed class ScaleClient : RespConnection
{
    /// <summary>Width of the decimal key index in <c>key:NNNNNNNNNN</c>.</summary>
    public const int Digits = 10;

    private const int KeyLength = 4 + Digits;

    // "*2\r\n$3\r\nGET\r\n$14\r\n" and its SET twin: the bytes before the key.
    private const int PrefixLength = 18;

    public ScaleClient(int port, int requestCapacity)
        : base(port, requestCapacity)
    {
    }

    /// <summary>Bytes of one <c>SET key value</c> command with a value of <paramref name="valueSize"/> bytes.</summary>
    public static int SetLength(int valueSize) => PrefixLength + KeyLength + 2 + 1 + valueSize.ToString(CultureInfo.InvariantCulture).Length + 2 + valueSize + 2;

    /// <summary>Bytes of one <c>GET key</c> command.</summary>
    public static int GetLength => PrefixLength + KeyLength + 2;

    /// <summary>Appends <c>GET key:index</c>.</summary>
    public void AppendGet(long index)
    {
        Span<byte> span = Request.AsSpan(RequestLength);
        "*2\r\n$3\r\nGET\r\n$14\r\n"u8.CopyTo(span);
        int at = WriteKey(span, PrefixLength, index);
        RequestLength += at;
    }

    /// <summary>Appends <c>SET key:index value</c>, the value taken from <paramref name="values"/> at an offset of the key.</summary>
    public void AppendSet(long index, ReadOnlySpan<byte> values, int valueSize)
    {
        Span<byte> span = Request.AsSpan(RequestLength);
        "*3\r\n$3\r\nSET\r\n$14\r\n"u8.CopyTo(span);
        int at = WriteKey(span, PrefixLength, index);
        span[at++] = (byte)'$';
        at += WriteDecimal(span[at..], valueSize);
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        int offset = (int)(((ulong)index * 0x9E3779B97F4A7C15UL) % (ulong)(values.Length - valueSize));
        values.Slice(offset, valueSize).CopyTo(span[at..]);
        at += valueSize;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        RequestLength += at;
    }

    /// <summary>Sends the request buffer and reads <paramref name="replies"/> replies; returns how many were nil bulk strings.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExecuteAsync(int replies)
    {
        await SendAsync();
        int nil = 0;
        for (int i = 0; i < replies; i++)
        {
            switch (await ReadReplyAsync())
            {
                case Reply.Nil:
                    nil++;
                    break;
                case Reply.Error:
                    throw new InvalidOperationException("server error: " + FirstError);
            }
        }

        return nil;
    }

    /// <summary>The value of <paramref name="name"/> in INFO text (<c>name:value</c> lines), or null.</summary>
    public static string? InfoField(string info, string name)
    {
        foreach (string line in info.Split("\r\n"))
        {
            if (line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.Ordinal))
            {
                return line[(name.Length + 1)..];
            }
        }

        return null;
    }

    // "key:" then the index as a fixed-width decimal, then CRLF; returns the offset after it.
    private static int WriteKey(Span<byte> span, int at, long index)
    {
        "key:"u8.CopyTo(span[at..]);
        at += 4;
        for (int d = Digits - 1; d >= 0; d--)
        {
            span[at + d] = (byte)('0' + (index % 10));
            index /= 10;
        }

        at += Digits;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        return at;
    }

    private static int WriteDecimal(Span<byte> span, int value)
    {
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
