using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kiwi.Bench;

/// <summary>
/// One RESP connection of <c>kiwi-bench scale</c>: commands are written into a request buffer the caller fills
/// in place (fixed-width keys, so a command is rewritten by overwriting its digits), replies are skipped in a
/// receive buffer. Async sockets with pooled state machines: no allocation per request once warm.
/// </summary>
internal sealed class ScaleClient : IDisposable
{
    /// <summary>Width of the decimal key index in <c>key:NNNNNNNNNN</c>.</summary>
    public const int Digits = 10;

    private const int KeyLength = 4 + Digits;

    // "*2\r\n$3\r\nGET\r\n$14\r\n" and its SET twin: the bytes before the key.
    private const int PrefixLength = 18;

    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _receive = new byte[1 << 16];
    private int _requestLength;
    private int _start;
    private int _end;
    private long _bulkLeft;

    public ScaleClient(int port, int requestCapacity)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _request = new byte[requestCapacity];
    }

    /// <summary>Bytes of one <c>SET key value</c> command with a value of <paramref name="valueSize"/> bytes.</summary>
    public static int SetLength(int valueSize) => PrefixLength + KeyLength + 2 + 1 + valueSize.ToString(CultureInfo.InvariantCulture).Length + 2 + valueSize + 2;

    /// <summary>Bytes of one <c>GET key</c> command.</summary>
    public static int GetLength => PrefixLength + KeyLength + 2;

    /// <summary>Empties the request buffer.</summary>
    public void Clear() => _requestLength = 0;

    /// <summary>Appends <c>GET key:index</c>.</summary>
    public void AppendGet(long index)
    {
        Span<byte> span = _request.AsSpan(_requestLength);
        "*2\r\n$3\r\nGET\r\n$14\r\n"u8.CopyTo(span);
        int at = WriteKey(span, PrefixLength, index);
        _requestLength += at;
    }

    /// <summary>Appends <c>SET key:index value</c>, the value taken from <paramref name="values"/> at an offset of the key.</summary>
    public void AppendSet(long index, ReadOnlySpan<byte> values, int valueSize)
    {
        Span<byte> span = _request.AsSpan(_requestLength);
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
        _requestLength += at;
    }

    /// <summary>Appends a command written out by the caller.</summary>
    public void AppendRaw(ReadOnlySpan<byte> command)
    {
        command.CopyTo(_request.AsSpan(_requestLength));
        _requestLength += command.Length;
    }

    /// <summary>Sends the request buffer and reads <paramref name="replies"/> replies; returns how many were nil bulk strings.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExecuteAsync(int replies)
    {
        int sent = 0;
        while (sent < _requestLength)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, _requestLength - sent), SocketFlags.None);
        }

        int nil = 0;
        for (int i = 0; i < replies; i++)
        {
            bool isNil;
            while (!TryReadReply(out isNil))
            {
                await FillAsync();
            }

            nil += isNil ? 1 : 0;
        }

        return nil;
    }

    /// <summary>Sends <c>INFO section</c> and returns the reply's text (admin path: allocates).</summary>
    public async Task<string> InfoAsync(string section)
    {
        Clear();
        AppendRaw(Encoding.ASCII.GetBytes($"*2\r\n$4\r\nINFO\r\n${section.Length}\r\n{section}\r\n"));
        int sent = 0;
        while (sent < _requestLength)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, _requestLength - sent), SocketFlags.None);
        }

        while (true)
        {
            int cr = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (cr > 0 && _receive[_start] == (byte)'$')
            {
                int length = int.Parse(_receive.AsSpan(_start + 1, cr - 1), CultureInfo.InvariantCulture);
                int body = _start + cr + 2;
                if (_end - body >= length + 2)
                {
                    string text = Encoding.ASCII.GetString(_receive, body, length);
                    _start = body + length + 2;
                    return text;
                }
            }
            else if (cr >= 0)
            {
                throw new InvalidOperationException("INFO: unexpected reply " + Encoding.ASCII.GetString(_receive, _start, cr));
            }

            await FillAsync();
        }
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

    public void Dispose() => _socket.Dispose();

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

    // Consumes one reply (simple string, integer, bulk string) when it is all in; nil is set for a nil bulk
    // string. A bulk string longer than what has arrived is skipped as it comes (_bulkLeft).
    private bool TryReadReply(out bool nil)
    {
        nil = false;
        if (_bulkLeft == 0)
        {
            int cr = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (cr < 0)
            {
                return false;
            }

            int lineEnd = _start + cr;
            byte type = _receive[_start];
            if (type == (byte)'-')
            {
                throw new InvalidOperationException("server error: " + Encoding.ASCII.GetString(_receive, _start, lineEnd - _start));
            }

            ReadOnlySpan<byte> header = _receive.AsSpan(_start + 1, lineEnd - _start - 1);
            _start = lineEnd + 2;
            if (type != (byte)'$')
            {
                return true;
            }

            if (header[0] == (byte)'-')
            {
                nil = true;
                return true;
            }

            _bulkLeft = long.Parse(header, CultureInfo.InvariantCulture) + 2;
        }

        int take = (int)Math.Min(_bulkLeft, _end - _start);
        _start += take;
        _bulkLeft -= take;
        return _bulkLeft == 0;
    }

    // Moves the unread bytes to the front and receives more.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync()
    {
        if (_start > 0)
        {
            _receive.AsSpan(_start, _end - _start).CopyTo(_receive);
            _end -= _start;
            _start = 0;
        }

        int n = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None);
        if (n == 0)
        {
            throw new IOException("server closed the connection");
        }

        _end += n;
    }
}
