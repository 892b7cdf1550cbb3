using System.Globalization;
using System.Net.Sockets;
using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Server.Tests;

namespace Kiwi.Jepsen.Tests.Cluster;

/// <summary>What a recorded operation ended with, as its caller sees it.</summary>
internal readonly record struct Reply(Outcome Outcome, long? Value);

/// <summary>
/// One client of a history: a sequential process holding a RESP connection to each node, recording every
/// operation it makes. A reply is Ok; an error that means "not applied" (CLUSTERDOWN, MOVED, READONLY, or any
/// error to a read) is Fail; any other error to a write (TRYAGAIN: the leader changed while it was in flight)
/// and a connection cut or timed out after the request was sent are Unknown. A connection that failed is
/// opened again by the next operation on that node.
/// </summary>
internal sealed class RecordingClient(int id, HistoryRecorder recorder, int[] ports) : IDisposable
{
    private readonly RawClient?[] _connections = new RawClient?[ports.Length];

    public int Id => id;

    public Task<Reply> SetAsync(int node, string key, long value)
        => CallAsync(node, HistoryRecorder.Invoke(id, key, OperationKind.Set, value), RawClient.Command("SET", key, value.ToString(CultureInfo.InvariantCulture)));

    public Task<Reply> GetAsync(int node, string key)
        => CallAsync(node, HistoryRecorder.Invoke(id, key, OperationKind.Get), RawClient.Command("GET", key));

    public Task<Reply> IncrAsync(int node, string key)
        => CallAsync(node, HistoryRecorder.Invoke(id, key, OperationKind.Incr), RawClient.Command("INCR", key));

    public void Dispose()
    {
        foreach (RawClient? connection in _connections)
        {
            connection?.Dispose();
        }
    }

    private async Task<Reply> CallAsync(int node, Invocation call, string command)
    {
        RawClient connection;
        try
        {
            connection = _connections[node] ??= await RawClient.ConnectAsync(ports[node]);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Nothing was sent.
            recorder.Fail(call);
            return new Reply(Outcome.Fail, null);
        }

        string reply;
        try
        {
            reply = await connection.CallAsync(command);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or OperationCanceledException)
        {
            connection.Dispose();
            _connections[node] = null;
            recorder.Unknown(call);
            return new Reply(Outcome.Unknown, null);
        }

        Reply parsed = Parse(call.Kind, reply);
        switch (parsed.Outcome)
        {
            case Outcome.Ok: recorder.Ok(call, parsed.Value); break;
            case Outcome.Fail: recorder.Fail(call); break;
            default: recorder.Unknown(call); break;
        }

        return parsed;
    }

    /// <summary>A reply classified as the type summary says (the fault harness's clients share it).</summary>
    internal static Reply Parse(OperationKind kind, string reply)
    {
        switch (reply[0])
        {
            case '+':
                return new Reply(Outcome.Ok, null);
            case ':':
                return new Reply(Outcome.Ok, long.Parse(reply.AsSpan(1, reply.Length - 3), CultureInfo.InvariantCulture));
            case '$' when reply.StartsWith("$-1\r\n", StringComparison.Ordinal):
                return new Reply(Outcome.Ok, null);
            case '$':
                int start = reply.IndexOf("\r\n", StringComparison.Ordinal) + 2;
                return new Reply(Outcome.Ok, long.Parse(reply.AsSpan(start, reply.Length - start - 2), CultureInfo.InvariantCulture));
            case '-':
                bool refused = kind == OperationKind.Get
                    || reply.StartsWith("-CLUSTERDOWN", StringComparison.Ordinal)
                    || reply.StartsWith("-MOVED", StringComparison.Ordinal)
                    || reply.StartsWith("-READONLY", StringComparison.Ordinal);
                return new Reply(refused ? Outcome.Fail : Outcome.Unknown, null);
            default:
                throw new InvalidOperationException($"unexpected reply to {kind}: {reply}");
        }
    }
}
