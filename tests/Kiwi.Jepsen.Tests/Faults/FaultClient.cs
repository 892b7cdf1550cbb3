using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kiwi.Jepsen.Tests.Cluster;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// A client of a fault test: a sequential process with a connection to each member, recording every operation.
/// Replies are classified as <see cref="RecordingClient"/> does. A connection that cannot be made is Fail
/// (nothing was sent); a request without a reply within the timeout, or on a connection the member cut, is
/// Unknown for a write (it may apply later) and the connection is dropped; the next operation on that member
/// connects again. Acknowledged writes are reported to the <see cref="AckWatch"/>.
/// </summary>
internal sealed class FaultClient(int id, HistoryRecorder recorder, IPEndPoint[] members, AckWatch acks, ErrorTally errors, TimeSpan timeout) : IDisposable
{
    private readonly MemberConnection?[] _connections = new MemberConnection?[members.Length];

    public Task<Reply> SetAsync(int member, string key, long value)
    {
        string text = value.ToString(CultureInfo.InvariantCulture);
        return CallAsync(member, HistoryRecorder.Invoke(id, key, OperationKind.Set, value), "SET", key, text);
    }

    public Task<Reply> GetAsync(int member, string key)
        => CallAsync(member, HistoryRecorder.Invoke(id, key, OperationKind.Get), "GET", key);

    public Task<Reply> IncrAsync(int member, string key)
        => CallAsync(member, HistoryRecorder.Invoke(id, key, OperationKind.Incr), "INCR", key);

    public void Dispose()
    {
        foreach (MemberConnection? connection in _connections)
        {
            connection?.Dispose();
        }
    }

    private async Task<Reply> CallAsync(int member, Invocation call, params string[] command)
    {
        call = HistoryRecorder.On(call, member);
        MemberConnection connection;
        try
        {
            connection = _connections[member] ??= await MemberConnection.ConnectAsync(members[member], timeout);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            errors.Add(call.Kind, "no connection, " + (ex is SocketException socket ? socket.SocketErrorCode.ToString() : "timed out"));
            recorder.Fail(call);
            return new Reply(Outcome.Fail, null);
        }

        string reply;
        try
        {
            reply = await connection.CallAsync(timeout, command);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            errors.Add(call.Kind, ex is TimeoutException ? "no reply in time" : "connection cut");
            connection.Dispose();
            _connections[member] = null;
            recorder.Unknown(call);
            return new Reply(Outcome.Unknown, null);
        }

        Reply parsed = RecordingClient.Parse(call.Kind, reply);
        if (reply[0] == '-')
        {
            errors.Add(call.Kind, reply);
        }

        switch (parsed.Outcome)
        {
            case Outcome.Ok:
                recorder.Ok(call, parsed.Value);
                if (call.Kind != OperationKind.Get)
                {
                    acks.OnAcknowledged(call.Invoke);
                }

                break;
            case Outcome.Fail:
                recorder.Fail(call);
                break;
            default:
                recorder.Unknown(call);
                break;
        }

        return parsed;
    }
}
