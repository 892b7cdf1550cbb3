using Kiwi.Core.Apply;

namespace Kiwi.Core.Raft;

// Retrying a client's write with its id (#15): when an attempt ended without an answer (the connection to the leader
// was cut, the leader lost its leadership before committing, it answered TRYAGAIN) this node sends the same bytes
// with the same id to the current leader again, as a copy ("retry attempt"), until one attempt is answered or the
// retry timeout passes. Every member applies an id once (WriteDedup), so however many attempts reach the log the
// write takes effect at most once. The client's own request stays registered in PendingWrites meanwhile and is
// completed by whichever comes first: an attempt's answer, or this node applying an entry with its id (the first
// attempt that reached the log: its reply, computed here, is the reply every member computed).
public sealed partial class KiwiRaftNode
{
    private const int MaxRetryAttempts = 50;

    private readonly PendingWrites _pending;
    private readonly TimeSpan _retryTimeout;
    private long _retries;
    private long _retriedWrites;
    private long _retriesGivenUp;

    // Completed (and replaced) when a leader becomes known: retries waiting out their pause go at once.
    private TaskCompletionSource _leaderKnown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Attempts this node sent again for writes whose earlier attempt ended without an answer, since start.</summary>
    public long WriteRetries => Volatile.Read(ref _retries);

    /// <summary>Client writes that needed a retry, since start.</summary>
    public long RetriedWrites => Volatile.Read(ref _retriedWrites);

    /// <summary>Retried writes answered TRYAGAIN because no attempt was answered in time, since start.</summary>
    public long RetriesGivenUp => Volatile.Read(ref _retriesGivenUp);

    /// <summary>Entries not applied because an earlier attempt of their write was (or too old to tell), since start.</summary>
    public long DuplicatesSkipped => _worker.DuplicatesSkipped;

    /// <summary>This node's write-id origin (random per start).</summary>
    internal ulong WriteOrigin => _pending.Origin;

    /// <summary>
    /// Gives up this node's leadership (DotNext's resign): the members elect a leader again, this node included.
    /// Writes this node had proposed and not committed are retried with their ids (see
    /// <see cref="KiwiRaftOptions.WriteRetryTimeout"/>). False when this node was not the leader.
    /// </summary>
    public async Task<bool> ResignAsync(CancellationToken token = default) => await ((DotNext.Net.Cluster.ICluster)_cluster).ResignAsync(token).ConfigureAwait(false);

    /// <summary>
    /// Takes a registered request (see <see cref="PendingWrites"/>) to complete it; false when somebody else has
    /// (then it must not be touched).
    /// </summary>
    internal bool TryTakePending(ulong seq, ApplyRequest request) => _pending.TryTake(seq, request, out _);

    /// <summary>
    /// Retries <paramref name="request"/>, registered under <paramref name="seq"/>, whose attempt ended without an
    /// answer; does nothing when somebody has taken it from the table meanwhile.
    /// </summary>
    internal void RetryLater(ApplyRequest request, ulong seq)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            GiveUp(request, seq, "ERR server is shutting down");
            return;
        }

        _ = RetryAsync(request, seq);
    }

    // Once the forwarder exists: the proposer hands over the writes it could not commit, and a new leader ends the
    // forwarding connection to the old one (not "no leader": during an election the old leader may still answer).
    private void StartRetrying()
    {
        _proposer.Retry = _retryTimeout > TimeSpan.Zero ? TryRetryUnproposed : null;
        if (_forwarder is { } forwarder)
        {
            _cluster.LeaderChanged += (_, leader) =>
            {
                if (leader?.EndPoint is { } endPoint)
                {
                    forwarder.OnLeaderChanged(endPoint);
                    Interlocked.Exchange(ref _leaderKnown, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            };
        }
    }

    /// <summary>
    /// The proposer's writes that could not be committed here (this node lost or never won the leadership): retried
    /// when they are this node's own; false when the caller must fail it.
    /// </summary>
    private bool TryRetryUnproposed(ApplyRequest request)
    {
        // Without a forwarder a follower cannot reach the leader: its writes are answered with a redirect as before.
        if (_forwarder is null || request.Forwarded || request.IsRetry || request.WriteOrigin != _pending.Origin || !_pending.TryRegister(request))
        {
            return false;
        }

        RetryLater(request, request.WriteSeq);
        return true;
    }

    /// <summary>True for an error that means "this attempt was not answered by a leader": try again.</summary>
    internal static bool IsRetryable(ReadOnlySpan<byte> reply)
        => reply.StartsWith("-TRYAGAIN"u8) && !reply.SequenceEqual(ApplyWorker.TooOldReply)
            || reply.StartsWith("-CLUSTERDOWN"u8)
            || reply.StartsWith("-READONLY"u8)
            || reply.StartsWith("-MOVED"u8)
            || reply.StartsWith("-ERR server is shutting down"u8);

    private async Task RetryAsync(ApplyRequest request, ulong seq)
    {
        Interlocked.Increment(ref _retriedWrites);
        long deadline = Environment.TickCount64 + (long)_retryTimeout.TotalMilliseconds;
        int pause = 5;
        for (int attempt = 0; attempt < MaxRetryAttempts && Environment.TickCount64 < deadline; attempt++)
        {
            // A short pause first: the cut that brought us here usually means a leader change is under way. The
            // pause grows while the same leader keeps failing the attempts, and ends when a leader becomes known.
            Task leaderKnown = Volatile.Read(ref _leaderKnown).Task;
            await Task.WhenAny(Task.Delay(pause), leaderKnown).ConfigureAwait(false);
            pause = Math.Min(pause * 2, 200);
            while (_cluster.Leader is null && Environment.TickCount64 < deadline && Volatile.Read(ref _disposed) == 0)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _disposed) != 0)
            {
                break;
            }

            ApplyRequest retry = ApplyRequestPool.Rent();
            if (!_pending.TryCopy(seq, request, retry))
            {
                // Completed meanwhile (this node applied an attempt of it).
                ApplyRequestPool.Return(retry);
                return;
            }

            Interlocked.Increment(ref _retries);
            Propose(retry);
            await retry.WaitAsync().ConfigureAwait(false);
            ReadOnlySpan<byte> reply = retry.ReplyBuffer.WrittenSpan;
            if (reply.SequenceEqual(ApplyWorker.DuplicateReply))
            {
                // An earlier attempt is in the log: this node's apply of it completes the request.
                ApplyRequestPool.Return(retry);
                await WaitForApplyAsync(request, seq, deadline).ConfigureAwait(false);
                break;
            }

            if (!IsRetryable(reply))
            {
                // This attempt was applied (or refused for good): its answer is the write's.
                if (_pending.TryTake(seq, request, out _))
                {
                    request.ReplyBuffer.Write(reply);
                    request.Complete();
                }

                ApplyRequestPool.Return(retry);
                return;
            }

            ApplyRequestPool.Return(retry);
        }

        Interlocked.Increment(ref _retriesGivenUp);
        GiveUp(request, seq, Volatile.Read(ref _disposed) != 0
            ? "ERR server is shutting down"
            : "TRYAGAIN the Raft leader changed while the write was in flight and no retry was answered in time; its outcome is unknown");
    }

    private async Task WaitForApplyAsync(ApplyRequest request, ulong seq, long deadline)
    {
        while (_pending.Holds(seq, request) && Environment.TickCount64 < deadline && Volatile.Read(ref _disposed) == 0)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private void GiveUp(ApplyRequest request, ulong seq, string text)
    {
        if (_pending.TryTake(seq, request, out _))
        {
            request.ReplyErrorText(text);
            request.Complete();
        }
    }

    // Stopping: nothing completes the registered writes any more.
    private void FailPending()
    {
        foreach (ApplyRequest request in _pending.TakeAll())
        {
            request.ReplyErrorText("ERR server is shutting down; the write's outcome is unknown");
            request.Complete();
        }
    }
}
