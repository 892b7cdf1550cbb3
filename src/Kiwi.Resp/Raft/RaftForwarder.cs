using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Raft;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Raft;

/// <summary>
/// Forwards writes made on a follower to the leader, transparently: each encoded entry goes over one pipelined
/// connection to the leader's RESP endpoint (announced in its Raft metadata) as <c>KIWI.APPLY entry</c>, and the
/// leader's reply completes the follower's own request, so the client sees the reply it would have had from
/// the leader. A lost connection or a leader change fails the writes in flight with <c>-TRYAGAIN</c> (their
/// outcome is unknown, as with any timeout); the next write connects to the new leader.
/// </summary>
internal sealed class RaftForwarder : IWriteForwarder
{
    private readonly KiwiRaftNode _node;
    private readonly string? _password;
    private readonly Lock _lock = new();
    private Connection? _connection;
    private bool _disposed;
    private long _forwarded;

    public RaftForwarder(KiwiRaftNode node, string? password)
    {
        _node = node;
        _password = password;
    }

    /// <summary>Writes forwarded since start.</summary>
    public long Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Sends <paramref name="request"/> to <paramref name="leader"/> (its Raft endpoint).</summary>
    public void Forward(ApplyRequest request, EndPoint leader, bool registered)
    {
        var sent = new Sent(request, request.WriteOrigin, request.WriteSeq, registered);
        Connection connection;
        lock (_lock)
        {
            if (_disposed)
            {
                Abandon(sent, "ERR server is shutting down");
                return;
            }

            if (_connection is null || _connection.Closed || !_connection.Leader.Equals(leader))
            {
                _connection?.Close("TRYAGAIN the Raft leader changed while the write was forwarded; its outcome is unknown");
                _connection = new Connection(this, leader);
            }

            connection = _connection;
        }

        Interlocked.Increment(ref _forwarded);
        connection.Send(sent);
    }

    /// <summary>Ends the connection to an earlier leader, if any: its writes in flight are retried or failed.</summary>
    public void OnLeaderChanged(EndPoint leader)
    {
        Connection? stale = null;
        lock (_lock)
        {
            if (_connection is not null && !_connection.Leader.Equals(leader))
            {
                stale = _connection;
                _connection = null;
            }
        }

        stale?.Close("TRYAGAIN the Raft leader changed while the write was forwarded; its outcome is unknown");
    }

    public async ValueTask DisposeAsync()
    {
        Connection? connection;
        lock (_lock)
        {
            _disposed = true;
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            connection.Close("ERR server is shutting down");
            await connection.Completion.ConfigureAwait(false);
        }
    }

    private static void Fail(ApplyRequest request, string text)
    {
        request.ReplyErrorText(text);
        request.Complete();
    }

    // An attempt that ended without the leader's answer: retried when registered, else failed.
    private void Abandon(in Sent sent, string reason)
    {
        if (sent.Registered)
        {
            _node.RetryLater(sent.Request, sent.Seq);
        }
        else
        {
            Fail(sent.Request, reason);
        }
    }

    // The leader's answer to one attempt.
    private void Answer(in Sent sent, ReadOnlySequence<byte> reply)
    {
        if (sent.Registered)
        {
            Span<byte> head = stackalloc byte[64];
            int n = (int)Math.Min(reply.Length, head.Length);
            reply.Slice(0, n).CopyTo(head);
            if (KiwiRaftNode.IsRetryable(head[..n]))
            {
                _node.RetryLater(sent.Request, sent.Seq);
                return;
            }

            if (!_node.TryTakePending(sent.Seq, sent.Request))
            {
                // This node applied the write already and answered its client from there.
                return;
            }
        }

        foreach (ReadOnlyMemory<byte> segment in reply)
        {
            sent.Request.ReplyBuffer.Write(segment.Span);
        }

        sent.Request.Complete();
    }

    /// <summary>A write on its way: its request (owned by the node's table when registered) and its id.</summary>
    private readonly record struct Sent(ApplyRequest Request, ulong Origin, ulong Seq, bool Registered);

    private sealed class Connection
    {
        private readonly RaftForwarder _owner;
        private readonly Channel<Sent> _outgoing = Channel.CreateUnbounded<Sent>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ConcurrentQueue<Sent> _inFlight = new();
        private readonly CancellationTokenSource _stop = new();
        private string? _closeReason;
        private Socket? _socket;

        public Connection(RaftForwarder owner, EndPoint leader)
        {
            _owner = owner;
            Leader = leader;
            Completion = RunAsync();
        }

        public EndPoint Leader { get; }

        public Task Completion { get; }

        public bool Closed => Volatile.Read(ref _closeReason) is not null;

        public void Send(in Sent sent)
        {
            if (!_outgoing.Writer.TryWrite(sent))
            {
                _owner.Abandon(sent, Volatile.Read(ref _closeReason) ?? "TRYAGAIN the connection to the Raft leader closed");
            }
        }

        public void Close(string reason)
        {
            if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
            {
                return;
            }

            _outgoing.Writer.TryComplete();
            _stop.Cancel();
            _socket?.Dispose();
            AbandonAll(reason);
        }

        private void AbandonAll(string reason)
        {
            while (_outgoing.Reader.TryRead(out Sent queued))
            {
                _owner.Abandon(queued, reason);
            }

            while (_inFlight.TryDequeue(out Sent sent))
            {
                _owner.Abandon(sent, reason);
            }
        }

        private async Task RunAsync()
        {
            await Task.Yield();
            try
            {
                IPEndPoint target = await ResolveAsync().ConfigureAwait(false);
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _socket = socket;
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(target, connectTimeout.Token).ConfigureAwait(false);
                var stream = new NetworkStream(socket, ownsSocket: true);
                await using ConfiguredAsyncDisposable streamScope = stream.ConfigureAwait(false);
                PipeReader reader = PipeReader.Create(stream);
                PipeWriter writer = PipeWriter.Create(stream);
                if (_owner._password is { } password)
                {
                    await AuthenticateAsync(reader, writer, password).ConfigureAwait(false);
                }

                Task receiving = ReceiveAsync(reader);
                await foreach (Sent sent in _outgoing.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    // Written before it is queued for its answer: once queued, a cut may hand it to a retry, whose
                    // success lets its owner reuse the request.
                    WriteApply(writer, sent.Request.Payload.WrittenSpan, sent.Request.Protocol, sent.Origin, sent.Seq);
                    _inFlight.Enqueue(sent);
                    if (!_outgoing.Reader.TryPeek(out _))
                    {
                        await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
                    }
                }

                await receiving.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException or KiwiException)
            {
                Close(ex is KiwiException ? ex.Message : "TRYAGAIN the write could not be forwarded to the Raft leader (" + ex.Message + "); its outcome is unknown");
            }
            finally
            {
                Close("TRYAGAIN the connection to the Raft leader closed; the write's outcome is unknown");

                // A write the send loop took while the connection was closing was queued after Close drained.
                AbandonAll(Volatile.Read(ref _closeReason)!);
            }
        }

        private async Task<IPEndPoint> ResolveAsync()
        {
            string? text = await _owner._node.GetClientEndPointAsync(Leader, _stop.Token).ConfigureAwait(false);
            return text is not null && IPEndPoint.TryParse(text, out IPEndPoint? endPoint)
                ? endPoint
                : throw new KiwiException(RaftProposer.FollowerError(Leader));
        }

        private async Task AuthenticateAsync(PipeReader reader, PipeWriter writer, string password)
        {
            var resp = new RespWriter(writer);
            resp.WriteArrayHeader(2);
            resp.WriteBulk("AUTH"u8);
            resp.WriteBulk(Encoding.UTF8.GetBytes(password));
            await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
            while (true)
            {
                ReadResult result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var sequence = new SequenceReader<byte>(result.Buffer);
                if (RespFrame.TrySkip(ref sequence))
                {
                    ReadOnlySequence<byte> reply = result.Buffer.Slice(0, sequence.Position);
                    reader.AdvanceTo(sequence.Position);
                    if (reply.FirstSpan[0] == (byte)'-')
                    {
                        throw new KiwiException("ERR the Raft leader refused this node's AUTH: " + Encoding.UTF8.GetString(reply.Slice(1)).TrimEnd());
                    }

                    return;
                }

                if (result.IsCompleted)
                {
                    throw new IOException("the leader closed the connection");
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }

        private async Task ReceiveAsync(PipeReader reader)
        {
            try
            {
                while (true)
                {
                    ReadResult result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                    var sequence = new SequenceReader<byte>(result.Buffer);
                    SequencePosition start = sequence.Position;
                    while (!_inFlight.IsEmpty && RespFrame.TrySkip(ref sequence))
                    {
                        _inFlight.TryDequeue(out Sent head);
                        _owner.Answer(head, result.Buffer.Slice(start, sequence.Position));
                        start = sequence.Position;
                    }

                    reader.AdvanceTo(sequence.Position, result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        // The leader closed the connection (CLIENT KILL, a restart): the writes still waiting for an
                        // answer never get one here, and the send loop would not notice until a write fails.
                        Close("TRYAGAIN the Raft leader closed the connection; the write's outcome is unknown");
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
            {
                Close("TRYAGAIN the connection to the Raft leader failed (" + ex.Message + "); the write's outcome is unknown");
            }
        }

        // KIWI.APPLY entry protocol id: the leader writes the reply in the protocol of this node's client, and it is
        // relayed byte for byte; the id (origin:u64 | seq:u64, little endian) makes every attempt the same write.
        private static void WriteApply(PipeWriter writer, ReadOnlySpan<byte> entry, RespVersion protocol, ulong origin, ulong seq)
        {
            var resp = new RespWriter(writer);
            resp.WriteArrayHeader(4);
            resp.WriteBulk("KIWI.APPLY"u8);
            resp.WriteBulk(entry);
            resp.WriteBulk(protocol == RespVersion.Resp2 ? "2"u8 : "3"u8);
            Span<byte> id = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(id, origin);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(id[8..], seq);
            resp.WriteBulk(id);
        }
    }
}
