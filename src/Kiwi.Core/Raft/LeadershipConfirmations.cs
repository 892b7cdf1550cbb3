namespace Kiwi.Core.Raft;

/// <summary>
/// The leader's read index, confirmed by a commit: a read that starts at time S may answer from this node once an
/// entry of this node's term, proposed after S, is committed. A majority accepted it, so no member of a later term
/// existed in that majority; every write acknowledged before S is in the log before it and applied here with it.
/// <para>Why not DotNext's strong read barrier: a leader resumed from SIGSTOP passed it and answered a read
/// without a write its successor had acknowledged (the randomized fault run found it, 1 round in 370).</para>
/// <para>Readers share confirmations: while one is in flight, later readers wait for the next, which starts when
/// it ends, so one empty entry serves every read that arrived meanwhile (and with writes flowing the entry rides
/// in the same replication round as theirs).</para>
/// </summary>
internal sealed class LeadershipConfirmations(Func<CancellationToken, Task> confirm, CancellationToken stopping)
{
    private readonly Lock _lock = new();
    private bool _running;
    private TaskCompletionSource? _next;
    private long _started;

    /// <summary>Confirmations started since start (each one empty log entry).</summary>
    public long Started => Volatile.Read(ref _started);

    /// <summary>
    /// Completes once an entry of this node's term proposed after the call has committed; throws
    /// <see cref="DotNext.Net.Cluster.Consensus.Raft.NotLeaderException"/> when this node does not lead (any more).
    /// </summary>
    public Task ConfirmAsync()
    {
        TaskCompletionSource started;
        lock (_lock)
        {
            if (_running)
            {
                // The one in flight may have been proposed before this reader arrived: wait for the next.
                _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }

            _running = true;
            started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = RunAsync(started);
        return started.Task;
    }

    private async Task RunAsync(TaskCompletionSource current)
    {
        while (true)
        {
            Interlocked.Increment(ref _started);
            try
            {
                await confirm(stopping).ConfigureAwait(false);
                current.TrySetResult();
            }
            catch (Exception ex)
            {
                current.TrySetException(ex);
            }

            lock (_lock)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                current = _next;
                _next = null;
            }
        }
    }
}
