using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kiwi.Jepsen.Tests.Histories;

/// <summary>An operation invoked and not yet completed: what the client holds while its request is in flight.</summary>
internal readonly record struct Invocation(int Client, string Key, OperationKind Kind, long Argument, long Invoke, int Member = -1);

/// <summary>
/// Collects the operations of concurrent clients. Each client calls <see cref="Invoke"/> just before it sends a
/// request and one of <see cref="Ok"/>, <see cref="Fail"/> or <see cref="Unknown"/> once it knows the outcome;
/// only completed operations enter the shared queue (lock-free), so clients never wait on each other. A client
/// must complete every invocation, with <see cref="Unknown"/> when it is cut off: a write left out of the history
/// could hide a lost one.
/// </summary>
internal sealed class HistoryRecorder
{
    private readonly ConcurrentQueue<Operation> _operations = new();

    /// <summary>Operations completed so far.</summary>
    public int Count => _operations.Count;

    /// <summary>Stamps the invocation time of an operation about to be sent.</summary>
    public static Invocation Invoke(int client, string key, OperationKind kind, long argument = 0)
        => new(client, key, kind, argument, Stopwatch.GetTimestamp());

    /// <summary>The same invocation, noted as sent to member <paramref name="member"/> (reports name it).</summary>
    public static Invocation On(in Invocation call, int member) => call with { Member = member };

    /// <summary>The reply arrived: the operation took effect and returned <paramref name="result"/>.</summary>
    public void Ok(in Invocation call, long? result = null) => Add(call, Stopwatch.GetTimestamp(), Outcome.Ok, result);

    /// <summary>The operation was refused and certainly not applied.</summary>
    public void Fail(in Invocation call) => Add(call, Stopwatch.GetTimestamp(), Outcome.Fail, null);

    /// <summary>The client cannot tell whether the operation took effect.</summary>
    public void Unknown(in Invocation call) => Add(call, Operation.Open, Outcome.Unknown, null);

    /// <summary>The operations completed so far, as a history.</summary>
    public History ToHistory() => new(_operations);

    private void Add(in Invocation call, long complete, Outcome outcome, long? result)
        => _operations.Enqueue(new Operation(call.Client, call.Key, call.Kind, call.Argument, call.Invoke, complete, outcome, result) { Member = call.Member });
}
