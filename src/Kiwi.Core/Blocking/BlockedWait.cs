using Kiwi.Core.Apply;

namespace Kiwi.Core.Blocking;

/// <summary>How a blocked command ended.</summary>
internal enum BlockOutcome
{
    /// <summary>An attempt got data (or an error): its reply is <see cref="BlockedWait.Reply"/>.</summary>
    Served,

    /// <summary>The timeout passed, or CLIENT UNBLOCK id TIMEOUT.</summary>
    TimedOut,

    /// <summary>CLIENT UNBLOCK id ERROR.</summary>
    Unblocked,

    /// <summary>The client left, was killed, or the server stops.</summary>
    Cancelled,
}

/// <summary>What a signal did to a wait.</summary>
internal enum WakeResult
{
    /// <summary>It had ended (or was already told): nothing.</summary>
    None,

    /// <summary>It was waiting: it retries now.</summary>
    Woken,

    /// <summary>Its attempt is in flight: it tries once more if that attempt finds nothing.</summary>
    LooksAgain,
}

/// <summary>
/// One blocked command (a client in BLPOP, BLMOVE, BLMPOP...): its keys, its timeout, and its state. It tries its pop
/// as an ordinary write entry; a null reply means nothing was there, and it waits for <see cref="BlockingKeys"/> to wake
/// it. State changes happen under <see cref="BlockingKeys.Sync"/>: <c>Attempting</c> (an entry in flight) ⇄
/// <c>Waiting</c>, then <c>Done</c> once. A timeout, an unblock or a cancellation that arrives while an attempt is in
/// flight takes effect when it returns empty, so an element it popped is never dropped. Subclasses encode the attempt.
/// </summary>
internal abstract class BlockedWait
{
    private const int Attempting = 0;
    private const int Waiting = 1;
    private const int Done = 2;

    private readonly BlockingKeys _keys;
    private readonly ReadOnlyMemory<byte>[] _waitKeys;
    private readonly TaskCompletionSource<BlockOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private bool _again;
    private bool _blocked;
    private BlockOutcome? _stopAs;
    private Timer? _timer;
    private CancellationTokenRegistration _cancellation;

    /// <summary>Creates a wait on <paramref name="keys"/> of database <paramref name="database"/>.</summary>
    protected BlockedWait(BlockingKeys keys, int database, ReadOnlyMemory<byte>[] waitKeys)
    {
        _keys = keys;
        Database = database;
        _waitKeys = waitKeys;
    }

    /// <summary>The database of the keys.</summary>
    public int Database { get; }

    /// <summary>Number of keys waited on.</summary>
    public int KeyCount => _waitKeys.Length;

    /// <summary>Order among all waits (FIFO per key).</summary>
    public long Ticket { get; set; }

    /// <summary>The reply of the attempt that served it (<see cref="BlockOutcome.Served"/>); the caller returns it to the pool.</summary>
    public ApplyRequest? Reply { get; private set; }

    /// <summary>Completes with the outcome, never faulted.</summary>
    public Task<BlockOutcome> Outcome => _outcome.Task;

    /// <summary>Key <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Key(int index) => _waitKeys[index].Span;

    /// <summary>The keys, as the attempt's arguments.</summary>
    protected ReadOnlySpan<ReadOnlyMemory<byte>> Keys => _waitKeys;

    /// <summary>
    /// Registers on the keys and sends the first attempt (which replies WRONGTYPE like the non-blocking command).
    /// <paramref name="timeoutMs"/> 0 waits forever.
    /// </summary>
    public void Start(long timeoutMs, CancellationToken cancellation)
    {
        _keys.Register(this);
        if (timeoutMs > 0)
        {
            _timer = new Timer(static state => ((BlockedWait)state!).Stop(BlockOutcome.TimedOut), this, Math.Min(timeoutMs, uint.MaxValue - 1), Timeout.Infinite);
        }

        if (cancellation.CanBeCanceled)
        {
            _cancellation = cancellation.UnsafeRegister(static state => ((BlockedWait)state!).Stop(BlockOutcome.Cancelled), this);
        }

        SubmitAttempt(retry: false);
    }

    /// <summary>
    /// Ends the wait as <paramref name="outcome"/> (timeout, CLIENT UNBLOCK, cancellation): at once while waiting, or
    /// when the attempt in flight returns empty. False when it already ended.
    /// </summary>
    public bool Stop(BlockOutcome outcome)
    {
        lock (_keys.Sync)
        {
            if (_state == Done || _stopAs is not null)
            {
                return false;
            }

            if (_state == Attempting)
            {
                _stopAs = outcome;
                return true;
            }

            FinishLocked();
        }

        Complete(outcome);
        return true;
    }

    /// <summary>The index of (<paramref name="db"/>, <paramref name="key"/>) among the keys of this wait, or -1.</summary>
    internal int IndexOf(int db, ReadOnlySpan<byte> key)
    {
        if (db == Database)
        {
            for (int i = 0; i < _waitKeys.Length; i++)
            {
                if (_waitKeys[i].Span.SequenceEqual(key))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// The key that woke the wait for its current retry: Redis serves a client blocked on several keys from the key
    /// that got data, so the retry tries that one first.
    /// </summary>
    protected int WokenBy { get; private set; }

    /// <summary>The keys with the one that woke the current retry first, the others after it in their order.</summary>
    protected ReadOnlySpan<ReadOnlyMemory<byte>> KeysWokenFirst()
    {
        if (WokenBy == 0)
        {
            return _waitKeys;
        }

        var ordered = new ReadOnlyMemory<byte>[_waitKeys.Length];
        ordered[0] = _waitKeys[WokenBy];
        for (int i = 0, j = 1; i < _waitKeys.Length; i++)
        {
            if (i != WokenBy)
            {
                ordered[j++] = _waitKeys[i];
            }
        }

        return ordered;
    }

    /// <summary>Under the lock: key <paramref name="keyIndex"/> of this wait got data.</summary>
    internal WakeResult SignalLocked(int keyIndex)
    {
        if (_state == Waiting)
        {
            _state = Attempting;
            WokenBy = keyIndex;
            return WakeResult.Woken;
        }

        if (_state == Attempting && _stopAs is null)
        {
            // The attempt in flight may have run before the data arrived: one more when it returns empty.
            _again = true;
            return WakeResult.LooksAgain;
        }

        return WakeResult.None;
    }

    /// <summary>Encodes one attempt; <paramref name="retry"/> after a wake-up (a key of another type then counts as empty).</summary>
    protected abstract ApplyRequest EncodeAttempt(bool retry);

    /// <summary>
    /// The non-blocking command's entry for <paramref name="target"/>, not submitted: inside MULTI a blocking command
    /// runs once, as its non-blocking form (nil when there is nothing to pop), as in Redis.
    /// </summary>
    internal virtual Commands.EncodedEntry EncodeOnce(Commands.EntryTarget target)
        => Commands.EncodedEntry.Refused("ERR this blocking command is not supported inside MULTI"u8);

    /// <summary>Sends an attempt through the writer and handles its reply when it comes back.</summary>
    internal void SubmitAttempt(bool retry)
    {
        ApplyRequest request;
        try
        {
            request = EncodeAttempt(retry);
            _ = AwaitAttemptAsync(request);
        }
        catch (ObjectDisposedException)
        {
            EndAttempt(null);
        }
    }

    private async Task AwaitAttemptAsync(ApplyRequest request)
    {
        await request.WaitAsync().ConfigureAwait(false);
        if (_keys.OnWriterThread)
        {
            await Task.Yield();
        }

        EndAttempt(request);
    }

    // An attempt came back: served (data or an error) ends the wait; empty waits again, retries, or stops.
    private void EndAttempt(ApplyRequest? request)
    {
        bool empty = request is not null && IsNull(request.ReplyBuffer.WrittenSpan);
        BlockOutcome outcome;
        lock (_keys.Sync)
        {
            if (request is not null && !empty)
            {
                outcome = BlockOutcome.Served;
                Reply = request;
                if (KeyCount > 1 || request.ReplyBuffer.WrittenSpan is [(byte)'-', ..])
                {
                    // It may have been woken for a key it did not pop from (or an error took nothing).
                    _keys.PassOnLocked(this);
                }
            }
            else if (request is null)
            {
                outcome = BlockOutcome.Cancelled;
            }
            else if (_stopAs is { } stop)
            {
                outcome = stop;
                if (_again)
                {
                    // It kept its place for data it will not take now: the next waiter gets a look.
                    _keys.PassOnLocked(this);
                }
            }
            else if (_again)
            {
                _again = false;
                ApplyRequestPool.Return(request);
                _keys.EnqueueRetry(this);
                return;
            }
            else
            {
                _state = Waiting;
                if (!_blocked)
                {
                    _blocked = true;
                    _keys.BlockedLocked();
                }

                ApplyRequestPool.Return(request);
                return;
            }

            FinishLocked();
        }

        if (outcome != BlockOutcome.Served && request is not null)
        {
            ApplyRequestPool.Return(request);
        }

        Complete(outcome);
    }

    private void FinishLocked()
    {
        _state = Done;
        _keys.UnregisterLocked(this, _blocked);
    }

    private void Complete(BlockOutcome outcome)
    {
        _timer?.Dispose();
        _cancellation.Dispose();
        _outcome.TrySetResult(outcome);
    }

    private static bool IsNull(ReadOnlySpan<byte> reply)
        => reply.StartsWith("_\r\n"u8) || reply.StartsWith("*-1\r\n"u8) || reply.StartsWith("$-1\r\n"u8);
}
