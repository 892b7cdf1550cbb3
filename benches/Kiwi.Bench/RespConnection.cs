using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kiwi.Bench;

/// <summary>
/// A load generator's RESP connection to 127.0.0.1: a request buffer the client fills and sends in one write, and
/// replies skipped in a receive buffer as they arrive, not materialized. Pooled async state machines: nothing is
/// allocated per request once warm. <see cref="LoadClient"/> and <see cref="ScaleClient"/> build their commands on it.
/// </summary>
internal abstract class RespConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _bulkLeft;

    protected RespConnection(int port, int requestCapacity)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        Request = new byte[requestCapacity];
    }

    /// <summary>What one reply was.</summary>
    protected enum Reply
    {
        /// <summary>A simple string, an integer or a bulk string.</summary>
        Value,

        /// <summary>A nil bulk string.</summary>
        Nil,

        /// <summary>An error reply (the first one's text in <see cref="FirstError"/>).</summary>
        Error,
    }

    /// <summary>The request buffer; commands go at <see cref="RequestLength"/>.</summary>
    protected byte[] Request { get; }

    /// <summary>Bytes of <see cref="Request"/> filled.</summary>
    protected int RequestLength { get; set; }

    /// <summary>The text of the first error reply, or null (kept once: later errors allocate nothing).</summary>
    public string? FirstError { get; private set; }

    /// <summary>Empties the request buffer.</summary>
    public void Clear() => RequestLength = 0;

    /// <summary>Appends a command written out by the caller.</summary>
    public void AppendRaw(ReadOnlySpan<byte> command)
    {
        command.CopyTo(Request.AsSpan(RequestLength));
        RequestLength += command.Length;
    }

    /// <summary>Sends <c>INFO section</c> and returns the reply's text (admin path: allocates).</summary>
    public async Task<string> InfoAsync(string section)
    {
        Clear();
        AppendRaw(Encoding.ASCII.GetBytes($"*2\r\n$4\r\nINFO\r\n${section.Length}\r\n{section}\r\n"));
        await SendAsync();
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

    public void Dispose() => _socket.Dispose();

    /// <summary>Sends the request buffer whole.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected async ValueTask SendAsync()
    {
        int sent = 0;
        while (sent < RequestLength)
        {
            sent += await _socket.SendAsync(Request.AsMemory(sent, RequestLength - sent), SocketFlags.None);
        }
    }

    /// <summary>Reads one reply, receiving until it is all in.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected async ValueTask<Reply> ReadReplyAsync()
    {
        Reply reply;
        while (!TryReadReply(out reply))
        {
            await FillAsync();
        }

        return reply;
    }

    // Consumes one reply (simple string, error, integer, bulk string) when it is all in. A bulk string longer
    // than what has arrived is skipped as it comes (_bulkLeft).
    private bool TryReadReply(out Reply reply)
    {
        reply = Reply.Value;
        if (_bulkLeft == 0)
        {
            int cr = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (cr < 0)
            {
                return false;
            }

            int lineEnd = _start + cr;
            byte type = _receive[_start];
            ReadOnlySpan<byte> header = _receive.AsSpan(_start + 1, lineEnd - _start - 1);
            _start = lineEnd + 2;
            if (type == (byte)'-')
            {
                FirstError ??= Encoding.ASCII.GetString(header);
                reply = Reply.Error;
                return true;
            }

            if (type != (byte)'$')
            {
                return true;
            }

            if (header[0] == (byte)'-')
            {
                reply = Reply.Nil;
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
