using System.Collections.Concurrent;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// Wraps an engine, records which thread made each commit and whether it was synced, and on demand holds commits
/// until the test lets them through (a slow disk, or an fsync that takes its time).
/// </summary>
internal sealed class GatedEngine(IStorageEngine inner) : IStorageEngine
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _entered = new(0);
    private readonly SemaphoreSlim _released = new(0);
    private volatile bool _holding;

    /// <summary>One per commit, in commit order: the committing thread's managed id and name, and the sync flag.</summary>
    public ConcurrentQueue<(int ThreadId, string? ThreadName, bool Sync)> Commits { get; } = new();

    /// <summary>While true, each commit waits in <see cref="Commit"/> until <see cref="ReleaseOne"/>.</summary>
    public bool Holding
    {
        get => _holding;
        set => _holding = value;
    }

    /// <summary>Waits until a held commit has entered; returns false after the deadline.</summary>
    public bool WaitEntered() => _entered.Wait(s_deadline);

    /// <summary>Lets one held commit through.</summary>
    public void ReleaseOne() => _released.Release();

    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value) => inner.TryGet(space, key, value);

    public void Commit(WriteSet writes, bool sync)
    {
        Commits.Enqueue((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, sync));
        if (_holding)
        {
            _entered.Release();
            if (!_released.Wait(s_deadline))
            {
                throw new TimeoutException("the test never released the held commit");
            }
        }

        inner.Commit(writes, sync);
    }

    public void SyncWal() => inner.SyncWal();

    public IStorageCursor OpenCursor(KeySpace space) => inner.OpenCursor(space);

    public StorageSnapshot OpenSnapshot() => inner.OpenSnapshot();

    public void Dispose()
    {
        inner.Dispose();
        _entered.Dispose();
        _released.Dispose();
    }
}
