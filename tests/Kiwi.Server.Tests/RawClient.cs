using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kiwi.Server.Tests;

/// <summary>
/// A plain TCP client for protocol edge cases: sends bytes as given and reads whole RESP replies back,
/// every read bounded by a deadline so a missing reply fails the test instead of hanging it.
/// </summary>
internal sealed class RawClient : IDisposable
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(DefaultDeadline);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return new RawClient(socket);
    }

    /// <summary>A command as a RESP array of bulk strings (ASCII arguments).</summary>
    public static string Command(params string[] args)
    {
        var text = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            text.Append('$').Append(arg.Length).Append("\r\n").Append(arg).Append("\r\n");
        }

        return text.ToString();
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        using var cts = new CancellationTokenSource(DefaultDeadline);
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None, cts.Token);
            data = data[sent..];
        }
    }

    /// <summary>Sends <paramref name="command"/> and returns its one reply.</summary>
    public async Task<string> CallAsync(string command)
    {
        await SendAsync(command);
        return await ReadReplyAsync();
    }

    /// <summary>Reads one complete RESP2/RESP3 reply and returns its bytes as Latin-1 text.</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var cts = new CancellationTokenSource(DefaultDeadline);
        while (true)
        {
            int end = TryScan(_buffer.AsSpan(0, _end), _start);
            if (end >= 0)
            {
                string reply = Encoding.Latin1.GetString(_buffer, _start, end - _start);
                _start = end;
                return reply;
            }

            if (!await FillAsync(cts.Token))
            {
                throw new IOException("the server closed the connection in the middle of a reply: " + Encoding.Latin1.GetString(_buffer, _start, _end - _start));
            }
        }
    }

    /// <summary>Reads until the server closes the connection; returns what came before the close.</summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        using var cts = new CancellationTokenSource(DefaultDeadline);
        while (await FillAsync(cts.Token))
        {
        }

        string rest = Encoding.Latin1.GetString(_buffer, _start, _end - _start);
        _start = _end;
        return rest;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Reads more bytes after those buffered; false when the peer has closed the connection.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellation)
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read;
        try
        {
            read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            read = 0;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no reply from the server before the deadline; got so far: " + Encoding.Latin1.GetString(_buffer, _start, _end - _start));
        }

        _end += read;
        return read > 0;
    }

    /// <summary>Where the reply starting at <paramref name="at"/> ends, or -1 if it has not fully arrived.</summary>
    private static int TryScan(ReadOnlySpan<byte> data, int at)
    {
        if (at >= data.Length)
        {
            return -1;
        }

        int lineEnd = data[at..].IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return -1;
        }

        byte type = data[at];
        string header = Encoding.Latin1.GetString(data.Slice(at + 1, lineEnd - 1));
        int next = at + lineEnd + 2;
        switch ((char)type)
        {
            case '$' or '!' or '=':
                long length = long.Parse(header, System.Globalization.CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return next;
                }

                return data.Length >= next + length + 2 ? (int)(next + length + 2) : -1;
            case '*' or '~' or '>' or '%' or '|':
                long count = long.Parse(header, System.Globalization.CultureInfo.InvariantCulture);
                if (type is (byte)'%' or (byte)'|')
                {
                    count *= 2;
                }

                for (long i = 0; i < count && next >= 0; i++)
                {
                    next = TryScan(data, next);
                }

                if (next >= 0 && type == (byte)'|')
                {
                    // An attribute map is followed by the reply it annotates.
                    next = TryScan(data, next);
                }

                return next;
            default:
                return next;
        }
    }
}
