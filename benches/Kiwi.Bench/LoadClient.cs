using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using HdrHistogram;

namespace Kiwi.Bench;

/// <summary>
/// One connection of <c>kiwi-bench server</c>: sends a batch of commands in one write and times each reply from
/// the moment the batch was sent until that reply is parsed (as redis-benchmark times a pipeline). Replies are
/// skipped, not materialized; an error reply is counted. Pooled async state machines: nothing allocated per batch.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _receive = new byte[1 << 16];
    private int _requestLength;
    private int _start;
    private int _end;
    private long _bulkLeft;

    public LoadClient(int port, int requestCapacity)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _request = new byte[requestCapacity];
    }

    /// <summary>Error replies seen.</summary>
    public long Errors { get; private set; }

    /// <summary>The first error reply, for the log.</summary>
    public string? FirstError { get; private set; }

    public void Clear() => _requestLength = 0;

    public void Append(LoadCommand command, Random random, long keyspace) =>
        _requestLength += command.Write(_request.AsSpan(_requestLength), random, keyspace);

    /// <summary>Sends the request buffer and reads <paramref name="replies"/> replies, each one's latency recorded when <paramref name="latencies"/> is set.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(int replies, LongHistogram? latencies)
    {
        long sentAt = Stopwatch.GetTimestamp();
        int sent = 0;
        while (sent < _requestLength)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, _requestLength - sent), SocketFlags.None);
        }

        for (int i = 0; i < replies; i++)
        {
            while (!TryReadReply())
            {
                await FillAsync();
            }

            latencies?.RecordValue((long)Stopwatch.GetElapsedTime(sentAt).TotalNanoseconds);
        }
    }

    public void Dispose() => _socket.Dispose();

    // Consumes one reply (simple string, error, integer, bulk string) when it is all in. A bulk string longer
    // than what has arrived is skipped as it comes (_bulkLeft).
    private bool TryReadReply()
    {
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
                Errors++;
                FirstError ??= Encoding.ASCII.GetString(header);
                return true;
            }

            if (type != (byte)'$' || header[0] == (byte)'-')
            {
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
