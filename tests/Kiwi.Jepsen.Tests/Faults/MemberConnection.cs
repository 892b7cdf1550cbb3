using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// A RESP connection to one member at its namespace address, every call bounded by the caller's deadline: a
/// paused or cut-off member must cost a client a timeout, not hang it. Replies handled: simple strings, errors,
/// integers and bulk strings (what SET, GET, INCR and INFO answer), returned as their raw text.
/// </summary>
internal sealed class MemberConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly StringBuilder _pending = new();

    private MemberConnection(Socket socket) => _socket = socket;

    /// <summary>Connects within <paramref name="timeout"/>; throws <see cref="TimeoutException"/> or <see cref="SocketException"/>.</summary>
    public static async Task<MemberConnection> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await socket.ConnectAsync(endPoint, cts.Token);
            return new MemberConnection(socket);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new TimeoutException($"no connection to {endPoint} within {timeout.TotalMilliseconds} ms");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a command (its arguments as bulk strings) and returns the reply's text. Throws
    /// <see cref="TimeoutException"/> past the deadline and <see cref="IOException"/> when the member closed the
    /// connection; either way the connection is no longer usable.
    /// </summary>
    public async Task<string> CallAsync(TimeSpan timeout, params string[] args)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(Kiwi.Server.Tests.RawClient.Command(args)), SocketFlags.None, cts.Token);
            while (true)
            {
                if (TryTakeReply(out string? reply))
                {
                    return reply;
                }

                int read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    throw new IOException("the member closed the connection");
                }

                _pending.Append(Encoding.Latin1.GetString(_buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no reply to {args[0]} within {timeout.TotalMilliseconds} ms");
        }
        catch (SocketException ex)
        {
            throw new IOException(ex.Message, ex);
        }
    }

    public void Dispose() => _socket.Dispose();

    private bool TryTakeReply([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? reply)
    {
        reply = null;
        string text = _pending.ToString();
        int lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (lineEnd < 0)
        {
            return false;
        }

        int end = lineEnd + 2;
        if (text[0] == '$')
        {
            int length = int.Parse(text.AsSpan(1, lineEnd - 1), System.Globalization.CultureInfo.InvariantCulture);
            if (length >= 0)
            {
                end += length + 2;
                if (text.Length < end)
                {
                    return false;
                }
            }
        }

        reply = text[..end];
        _pending.Remove(0, end);
        return true;
    }
}
