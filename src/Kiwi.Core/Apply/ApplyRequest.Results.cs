using System.Threading.Tasks.Sources;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Apply;

/// <summary>
/// Typed awaiting without an async state machine: the request itself is the value task source, and reading
/// the result converts the reply and returns the request to the pool. Nothing is allocated per await.
/// </summary>
internal sealed partial class ApplyRequest : IValueTaskSource<bool>, IValueTaskSource<long>, IValueTaskSource<KiwiValue>
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
            EndAwait();
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
            EndAwait();
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
            EndAwait();
            return Reply switch
            {
                ReplyKind.Bulk => KiwiValue.Copy(BulkReply),
                ReplyKind.Null => KiwiValue.Null,
                _ => throw ToException(),
            };
        }
        finally
        {
            ApplyRequestPool.Return(this);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => Status(token);

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token) => Status(token);

    ValueTaskSourceStatus IValueTaskSource<KiwiValue>.GetStatus(short token) => Status(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => Register(continuation, state, token, flags);

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => Register(continuation, state, token, flags);

    void IValueTaskSource<KiwiValue>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => Register(continuation, state, token, flags);

    /// <summary>The shape of the (first) reply, decoded from <see cref="ReplyBuffer"/>.</summary>
    public ReplyKind Reply
    {
        get
        {
            int position = 0;
            if (!RespValue.TryRead(ReplyBuffer.WrittenSpan, ref position, out RespValue value))
            {
                return ReplyKind.None;
            }

            return value.Type switch
            {
                RespType.Simple => value.Text.SequenceEqual("OK"u8) ? ReplyKind.Ok : ReplyKind.Status,
                RespType.Error => ReplyKind.Error,
                RespType.Integer => ReplyKind.Integer,
                RespType.Bulk => ReplyKind.Bulk,
                RespType.Null => ReplyKind.Null,
                RespType.Array => ReplyKind.Array,
                _ => ReplyKind.Other,
            };
        }
    }

    /// <summary>The integer of an integer reply (0 otherwise).</summary>
    public long Integer
    {
        get
        {
            int position = 0;
            return RespValue.TryRead(ReplyBuffer.WrittenSpan, ref position, out RespValue value) && value.Type == RespType.Integer ? value.Integer : 0;
        }
    }

    /// <summary>The bytes of a bulk-string reply (empty otherwise); valid until the request is reused.</summary>
    public ReadOnlySpan<byte> BulkReply
    {
        get
        {
            int position = 0;
            return RespValue.TryRead(ReplyBuffer.WrittenSpan, ref position, out RespValue value) && value.Type == RespType.Bulk ? value.Text : default;
        }
    }

    /// <summary>The exception for a reply that is not the expected shape (an error, or a bug).</summary>
    public KiwiException ToException()
    {
        int position = 0;
        if (RespValue.TryRead(ReplyBuffer.WrittenSpan, ref position, out RespValue value) && value.Type == RespType.Error)
        {
            return KiwiException.FromErrorLine(value.Text);
        }

        return new KiwiException($"ERR unexpected reply {Reply}");
    }
}
