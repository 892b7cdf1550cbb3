namespace Kiwi.Core.Apply;

// Waiting for an index to be applied (linearizable reads in cluster mode): the writer releases waiters after
// each published batch, and only looks at them when there are some.
internal sealed partial class ApplyWorker
{
    private readonly Lock _waitersLock = new();
    private readonly List<(long Index, TaskCompletionSource Source)> _waiters = [];
    private int _waiterCount;

    /// <summary>
    /// Completes once every client entry up to <paramref name="index"/> is in storage
    /// (<see cref="FullyAppliedIndex"/>), or fails with <see cref="ObjectDisposedException"/> when the writer stops.
    /// </summary>
    public Task WaitForAppliedAsync(long index)
    {
        if (FullyAppliedIndex >= index)
        {
            return Task.CompletedTask;
        }

        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            _waiters.Add((index, source));
            Interlocked.Increment(ref _waiterCount);
        }

        // The writer may have published between the check and the registration.
        if (FullyAppliedIndex >= index || _ring.IsClosed)
        {
            ReleaseWaiters();
        }

        return source.Task;
    }

    private void ReleaseWaiters()
    {
        long applied = FullyAppliedIndex;
        bool stopped = _ring.IsCompleted;
        lock (_waitersLock)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                (long index, TaskCompletionSource source) = _waiters[i];
                if (index <= applied)
                {
                    source.TrySetResult();
                }
                else if (stopped)
                {
                    source.TrySetException(new ObjectDisposedException(nameof(ApplyWorker)));
                }
                else
                {
                    continue;
                }

                _waiters.RemoveAt(i);
                Interlocked.Decrement(ref _waiterCount);
            }
        }
    }
}
