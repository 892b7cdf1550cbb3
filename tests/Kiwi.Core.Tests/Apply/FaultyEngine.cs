using Kiwi.Core.Storage;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Core.Tests.Apply;

/// <summary>Wraps a real engine and fails commits on demand, the way a full disk or an I/O error would.</summary>
internal sealed class FaultyEngine(IStorageEngine inner) : IStorageEngine
{
    private int _failNext;

    public int FailedCommits { get; private set; }

    public int CommitsStarted { get; private set; }

    /// <summary>Makes the next <paramref name="count"/> commits throw.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value) => inner.TryGet(space, key, value);

    public void Commit(WriteSet writes, bool sync)
    {
        CommitsStarted++;
        if (Volatile.Read(ref _failNext) > 0)
        {
            Interlocked.Decrement(ref _failNext);
            FailedCommits++;
            throw new StorageException("IO error: No space left on device (injected)");
        }

        inner.Commit(writes, sync);
    }

    public void SyncWal() => inner.SyncWal();

    public IStorageCursor OpenCursor(KeySpace space) => inner.OpenCursor(space);

    public StorageSnapshot OpenSnapshot() => inner.OpenSnapshot();

    public void Dispose() => inner.Dispose();
}
