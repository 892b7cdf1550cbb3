using System.Threading.Tasks.Sources;

namespace Kiwi.Core.Apply;

/// <summary>
/// Typed awaiting without an async state machine: the request itself is the value task source, and reading
/// the result converts the reply and returns the request to the pool. Nothing is allocated per await.
/// </summary>
public sealed partial class ApplyRequest : IValueTaskSource<bool>, IValueTaskSource<long>, IValueTaskSource<KiwiValue>
{
    /// <summary>Awaits "+OK" (anything else throws); the request goes back to the pool when awaited.</summary>
    public ValueTask AsOkTask()
    {
        _returnOnResult = true;
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Awaits OK/1 → true, nil/0 → false; the request goes back to the pool when awaited.</summary>
    public ValueTask<bool> AsStatusTask() => new(this, _core.Version);

    /// <summary>Awaits an integer reply; the request goes back to the pool when awaited.</summary>
    public ValueTask<long> AsIntegerTask() => new(this, _core.Version);

    /// <summary>Awaits a bulk (copied into a pooled <see cref="KiwiValue"/>) or nil; the request goes back to the pool when awaited.</summary>
    public ValueTask<KiwiValue> AsValueTask() => new(this, _core.Version);

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
            return Reply switch
            {
                ReplyKind.Ok => true,
                ReplyKind.Integer => Integer != 0,
                ReplyKind.Null => false,
                _ => throw ToException(),
            };
        }
        finally
        {
            ApplyRequestPool.Return(this);
        }
    }

    long IValueTaskSource<long>.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
            return Reply == ReplyKind.Integer ? Integer : throw ToException();
        }
        finally
        {
            ApplyRequestPool.Return(this);
        }
    }

    KiwiValue IValueTaskSource<KiwiValue>.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
            return Reply switch
            {
                ReplyKind.Bulk => KiwiValue.Copy(Bulk.WrittenSpan),
                ReplyKind.Null => KiwiValue.Null,
                _ => throw ToException(),
            };
        }
        finally
        {
            ApplyRequestPool.Return(this);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource<KiwiValue>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<KiwiValue>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <summary>The exception for a reply that is not the expected shape (an error, or a bug).</summary>
    public KiwiException ToException()
        => Reply == ReplyKind.Error
            ? (Error == KiwiError.None && FailureDetail is not null ? new KiwiException(FailureDetail) : new KiwiException(Error, FailureDetail))
            : new KiwiException($"ERR unexpected reply {Reply}");
}
