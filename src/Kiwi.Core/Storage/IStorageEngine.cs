using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// The storage under the apply pipeline: point reads of committed state, atomic batch commits, and
/// ordered scans. Reads may run on any thread concurrently with the single writer's commits.
/// </summary>
internal interface IStorageEngine : IDisposable
{
    /// <summary>Reads <paramref name="key"/> into <paramref name="value"/> (replacing its content); false when absent.</summary>
    bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value);

    /// <summary>
    /// Reads the first bytes of <paramref name="key"/>'s value (a meta record's header) into <paramref name="prefix"/>:
    /// how many were copied, or -1 when the key is absent. Engines that can avoid copying a large value do.
    /// </summary>
    int TryGetPrefix(KeySpace space, ReadOnlySpan<byte> key, Span<byte> prefix)
    {
        using var value = new ByteBuffer();
        if (!TryGet(space, key, value))
        {
            return -1;
        }

        int n = Math.Min(value.Length, prefix.Length);
        value.WrittenSpan[..n].CopyTo(prefix);
        return n;
    }

    /// <summary>
    /// A hint that <paramref name="key"/> is about to be read by the writer: an engine with a cache in memory may start
    /// loading what the read will touch. Changes nothing that any read sees.
    /// </summary>
    void Prefetch(KeySpace space, ReadOnlySpan<byte> key)
    {
    }

    /// <summary>
    /// Commits every operation of <paramref name="writes"/> atomically: all of them or (on an exception)
    /// none. With <paramref name="sync"/> the commit is durable on disk before this returns.
    /// </summary>
    void Commit(WriteSet writes, bool sync);

    /// <summary>
    /// Commits started so far, or -1 when the engine does not count them. A cursor opened at one count sees the
    /// same data as long as the count has not moved, so the writer may reuse it for the next command.
    /// </summary>
    long Commits => -1;

    /// <summary>Makes every commit so far durable (fsync of the write-ahead log).</summary>
    void SyncWal();

    /// <summary>Opens an ordered cursor over <paramref name="space"/>.</summary>
    IStorageCursor OpenCursor(KeySpace space);

    /// <summary>
    /// Opens a read view of committed state as it is now: point reads and cursors that all see the same commits
    /// (see <see cref="StorageSnapshot"/>). Commands that read more than one record read through one.
    /// </summary>
    StorageSnapshot OpenSnapshot();

    /// <summary>
    /// Writes a consistent, self-contained copy of the whole store into <paramref name="directory"/> (which
    /// must not exist), as of the last commit. Engines that cannot (the in-memory one) throw
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    void Checkpoint(string directory) => throw new NotSupportedException($"{GetType().Name} cannot write checkpoints");
}

/// <summary>An ordered cursor; <see cref="Key"/> and <see cref="Value"/> are valid until the next move.</summary>
internal interface IStorageCursor : IDisposable
{
    /// <summary>True while positioned on an entry.</summary>
    bool Valid { get; }

    /// <summary>The current key.</summary>
    ReadOnlySpan<byte> Key { get; }

    /// <summary>The current value.</summary>
    ReadOnlySpan<byte> Value { get; }

    /// <summary>Moves to the first key at or after <paramref name="target"/>.</summary>
    void Seek(ReadOnlySpan<byte> target);

    /// <summary>Moves to the next key.</summary>
    void Next();

    /// <summary>Moves to the last key at or before <paramref name="target"/>.</summary>
    void SeekForPrev(ReadOnlySpan<byte> target);

    /// <summary>Moves to the previous key.</summary>
    void Prev();
}
