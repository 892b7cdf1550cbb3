using System.Threading.Tasks.Sources;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;
using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Apply;

/// <summary>
/// One entry in flight through the pipeline and its waiter: the encoded command payload (copied once into
/// pooled native memory), the reply the writer produces, and a pooled <see cref="IValueTaskSource"/> the
/// producer awaits. Rented from <see cref="ApplyRequestPool"/>; returned after the reply was read.
/// </summary>
internal sealed partial class ApplyRequest : IValueTaskSource, IThreadPoolWorkItem, IResettable
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private bool _returnOnResult;
    private bool _awaited;
    private bool _suspended;
    private ApplyWorker? _applier;

    /// <summary>Creates an empty request; use the pool.</summary>
    public ApplyRequest()
    {
        // The writer hands completion to the thread pool itself (see Complete), so the continuation runs
        // inline there and never on the writer thread.
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>What the entry carries.</summary>
    public EntryKind Kind { get; set; }

    /// <summary>Log index of the entry, or 0 to let the writer assign the next index (standalone mode).</summary>
    public long Index { get; set; }

    /// <summary>
    /// Complete this request on the writer thread itself, skipping the hand-off to the thread pool. Only for
    /// continuations that are short and never wait on the commit ring (the RESP sessions: they write the reply
    /// and flush it, and move any further work off the writer thread).
    /// </summary>
    public bool CompleteOnWriterThread { get; set; }

    /// <summary>Position of this client entry inside its log entry (a Raft batch entry carries many; 0 otherwise).</summary>
    public int SubIndex { get; set; }

    /// <summary>Client entries the log entry at <see cref="Index"/> carries (1 unless it is a Raft batch entry).</summary>
    public int SubCount { get; set; } = 1;

    /// <summary>
    /// Nobody waits for this entry (a follower applying the leader's log): the writer returns it to the pool
    /// once applied instead of completing a waiter.
    /// </summary>
    public bool ReturnWhenApplied { get; set; }

    /// <summary>A follower forwarded this write here: if this node is no longer the leader, do not forward it again.</summary>
    public bool Forwarded { get; set; }

    /// <summary>
    /// The write's identity in cluster mode: the node that first accepted it from a client (0: none, standalone or
    /// an entry of an older log), see <see cref="Raft.WriteId"/>. Every attempt of the write carries the same id,
    /// and the writer applies an id once.
    /// </summary>
    public ulong WriteOrigin { get; set; }

    /// <summary>The write's number at its <see cref="WriteOrigin"/> (increasing there from 1).</summary>
    public ulong WriteSeq { get; set; }

    /// <summary>
    /// A copy made to retry another request's write (same payload and id): its reply tells the retry what became
    /// of the attempt, and the origin's request is completed from it or from the origin's own apply.
    /// </summary>
    public bool IsRetry { get; set; }

    /// <summary>Log term of the entry (0 in standalone mode).</summary>
    public long Term { get; set; }

    /// <summary>The encoded entry (see <see cref="Commands.CommandFormat"/>).</summary>
    public ByteBuffer Payload { get; } = new();

    /// <summary>
    /// The protocol the reply is written in: the client's (a RESP session's HELLO version, or the one a forwarded
    /// write carries), RESP3 for the embedded API. Set before the request is published.
    /// </summary>
    public RespVersion Protocol { get; set; } = RespVersion.Resp3;

    /// <summary>
    /// The reply, as the RESP bytes the client receives (<see cref="Protocol"/>): written by the command as it is
    /// applied, copied to the socket unchanged, relayed unchanged by a follower, decoded by <see cref="KiwiDb"/>.
    /// An entry of several commands holds their replies one after the other.
    /// </summary>
    public ByteBuffer ReplyBuffer { get; } = new();

    /// <summary>A writer appending to <see cref="ReplyBuffer"/> in <see cref="Protocol"/>.</summary>
    public RespWriter Writer => new(ReplyBuffer, Protocol);

    /// <summary>
    /// A value task that completes when the writer has applied (or failed) the entry. The caller reads the
    /// reply afterwards and returns the request to the pool itself.
    /// </summary>
    public ValueTask WaitAsync()
    {
        _returnOnResult = false;
        return new(this, _core.Version);
    }

    /// <summary>Replies "+OK".</summary>
    public void ReplyOk() => ReplyBuffer.Write(RespReplies.Ok);

    /// <summary>Replies null (RESP2 "$-1", RESP3 "_").</summary>
    public void ReplyNull() => Writer.WriteNull();

    /// <summary>Replies an integer.</summary>
    public void ReplyInteger(long value) => Writer.WriteInteger(value);

    /// <summary>Replies a bulk string (copied).</summary>
    public void ReplyBulk(ReadOnlySpan<byte> value) => Writer.WriteBulk(value);

    /// <summary>Replies an error.</summary>
    public void ReplyError(KiwiError error) => Writer.WriteError(error);

    /// <summary>Replies a whole error line (no leading '-'; one byte per char), e.g. a syntax error found before submitting.</summary>
    public void ReplyErrorText(string line) => Writer.WriteError(KiwiError.None, line);

    /// <summary>
    /// Marks the entry failed because its batch could not be committed: whatever its commands replied is replaced
    /// by the storage-failure error carrying <paramref name="detail"/>.
    /// </summary>
    public void Fail(string detail)
    {
        ReplyBuffer.Clear();
        Writer.WriteError(KiwiError.StorageFailure, detail);
    }

    /// <summary>Signals the waiter from a thread-pool thread (never runs the continuation on the caller).</summary>
    public void Complete() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>Signals the waiter on the current thread: its continuation runs here.</summary>
    public void CompleteInline() => _core.SetResult(true);

    /// <summary>
    /// Signals the waiter here if nobody awaits the request yet: that only marks it done, and its caller's await then
    /// finishes at once, with no hand-off to another thread. False when a continuation is registered (complete it
    /// with <see cref="Complete"/> or a <see cref="CompletionChunk"/>, so it never runs on the applying thread).
    /// </summary>
    public bool TryCompleteUnawaited()
    {
        if (Volatile.Read(ref _awaited))
        {
            return false;
        }

        // A continuation registered between the check and the signal goes to the thread pool, never runs here.
        _core.RunContinuationsAsynchronously = true;
        _core.SetResult(true);
        return true;
    }

    /// <summary>
    /// Has <paramref name="worker"/> apply this request on the thread that awaits it, when that thread finds the
    /// writer idle (see <see cref="ApplyWorker.ApplyAwaited"/>). Set before the request is published.
    /// </summary>
    public void ApplyOnAwait(ApplyWorker worker) => _applier = worker;

    /// <summary>True once the request is complete (its waiter signalled).</summary>
    public bool IsCompleted => _core.GetStatus(_core.Version) != ValueTaskSourceStatus.Pending;

    // Awaiting asks for the status first: a request published for apply-on-await that is still pending is applied
    // here when the writer is idle, so the await that follows finishes without a thread switch.
    private ValueTaskSourceStatus Status(short token)
    {
        ValueTaskSourceStatus status = _core.GetStatus(token);
        if (status != ValueTaskSourceStatus.Pending || _applier is not { } applier)
        {
            return status;
        }

        applier.ApplyAwaited(this);
        return _core.GetStatus(token);
    }

    private void Register(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        // Read first: once registered, the continuation may run, consume the request and return it to the pool.
        ApplyWorker? applier = _applier;

        // Before registering: whoever completes the request and still reads false signals it with continuations
        // forced onto the thread pool (TryCompleteUnawaited).
        Volatile.Write(ref _awaited, true);
        if (applier is not null)
        {
            // A caller suspended on its write: until its GetResult, other callers leave theirs to the writer thread.
            _suspended = true;
            applier.AwaitSuspended();
        }

        _core.OnCompleted(continuation, state, token, flags);

        // An awaiter that never asked for the status: its entry may sit in the ring with the writer parked.
        applier?.WakeIfIdle();
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    /// <inheritdoc />
    public void GetResult(short token)
    {
        if (!_returnOnResult)
        {
            _core.GetResult(token);
            EndAwait();
            return;
        }

        try
        {
            _core.GetResult(token);
            EndAwait();
            if (Reply != ReplyKind.Ok)
            {
                throw ToException();
            }
        }
        finally
        {
            ApplyRequestPool.Return(this);
        }
    }

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => Status(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => Register(continuation, state, token, flags);

    // The awaiter reads the result: it no longer counts as suspended (see Register).
    private void EndAwait()
    {
        if (_suspended)
        {
            _suspended = false;
            _applier!.AwaitResumed();
        }
    }

    /// <summary>Clears the request for reuse (called by the pool).</summary>
    public bool TryReset()
    {
        _core.Reset();
        Kind = EntryKind.Normal;
        CompleteOnWriterThread = false;
        Index = 0;
        SubIndex = 0;
        SubCount = 1;
        ReturnWhenApplied = false;
        Forwarded = false;
        WriteOrigin = 0;
        WriteSeq = 0;
        IsRetry = false;
        Term = 0;
        Payload.Clear();
        ReplyBuffer.Clear();
        Protocol = RespVersion.Resp3;
        _returnOnResult = false;
        _awaited = false;

        // Returned without its result read: it must not keep counting as a caller waiting (see Register).
        EndAwait();
        _applier = null;
        _core.RunContinuationsAsynchronously = false;
        return true;
    }
}
