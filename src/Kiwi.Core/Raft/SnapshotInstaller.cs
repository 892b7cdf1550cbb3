namespace Kiwi.Core.Raft;

/// <summary>
/// Installs the snapshots a leader sends, independently of the Raft request that carried each manifest: the
/// request only waits for the install, and when it gives up (its timeout is short, so elections stay fast) the
/// install goes on; the leader's next transfer of the same snapshot waits for the same install, and a newer
/// snapshot stops the fetch of an older one and reuses the files it has (<see cref="SnapshotFetcher"/>). One
/// install at a time: a newer one starts after the one loading into storage has finished.
/// </summary>
internal sealed class SnapshotInstaller : IDisposable
{
    private readonly SnapshotFetcher _fetcher;
    private readonly Func<SnapshotManifest, SnapshotFetcher, Task> _load;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Job? _job;
    private long _rejected;

    /// <param name="fetcher">Fetches the files into staging.</param>
    /// <param name="load">Loads the fetched files into storage (not cancelled once begun).</param>
    public SnapshotInstaller(SnapshotFetcher fetcher, Func<SnapshotManifest, SnapshotFetcher, Task> load)
    {
        _fetcher = fetcher;
        _load = load;
    }

    /// <summary>Installs whose files arrived altered or did not load as a snapshot, since start.</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>True while an install is under way (fetching or loading).</summary>
    public bool Busy
    {
        get
        {
            lock (_lock)
            {
                return _job is { Task.IsCompleted: false };
            }
        }
    }

    /// <summary>The install of <paramref name="manifest"/>: the one under way for it, or a new one.</summary>
    public Task InstallAsync(SnapshotManifest manifest)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (_job is { } current && current.Index == manifest.Index && current.Term == manifest.Term
                && !current.Task.IsFaulted && !current.Task.IsCanceled)
            {
                return current.Task;
            }

            Job? previous = _job;
            previous?.StopFetching();
            _job = new Job(manifest.Index, manifest.Term, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
            _job.Task = RunAsync(manifest, previous?.Task, _job);
            return _job.Task;
        }
    }

    /// <summary>The install under way, if any, to wait for before applying log entries.</summary>
    public Task Current
    {
        get
        {
            lock (_lock)
            {
                return _job?.Task ?? Task.CompletedTask;
            }
        }
    }

    public void Dispose()
    {
        Task running;
        lock (_lock)
        {
            _stop.Cancel();
            running = _job?.Task ?? Task.CompletedTask;
        }

        // A load in progress ends by itself (the writer finishes or refuses it once stopping).
        try
        {
            running.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Its failure was reported to whoever waited for it.
        }
    }

    private async Task RunAsync(SnapshotManifest manifest, Task? previous, Job job)
    {
        if (previous is not null)
        {
            try
            {
                await previous.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Its own waiters saw its failure; this one starts afresh.
            }
        }

        try
        {
            try
            {
                await _fetcher.FetchAsync(manifest, job.Fetching.Token).ConfigureAwait(false);
            }
            finally
            {
                job.Fetching.Dispose();
            }

            await _load(manifest, _fetcher).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref _rejected);
            throw;
        }
    }

    private sealed class Job(long index, long term, CancellationTokenSource fetching)
    {
        public long Index => index;

        public long Term => term;

        public CancellationTokenSource Fetching => fetching;

        public Task Task { get; set; } = Task.CompletedTask;

        public void StopFetching()
        {
            try
            {
                fetching.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Done fetching already.
            }
        }
    }
}
