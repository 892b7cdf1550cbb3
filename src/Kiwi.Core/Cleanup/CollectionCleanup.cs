using System.Diagnostics;
using Kiwi.Core.Metrics;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Cleanup;

/// <summary>
/// Deletes the members of collections that were deleted, overwritten or expired: deleting a collection only
/// changes its meta record, and since versions are never reused, a member group <c>(db, key, version)</c> that the
/// key's meta record does not name is unreachable for good. On a timer, walks the collection key spaces one
/// bounded slice at a time (resuming where the last slice stopped, wrapping around), one seek per group, and has
/// the writer range-delete the dead groups. Reads never see a difference: nothing names those members.
/// The pause after a slice grows with the time the slice's walk took (<see cref="Pause"/>), so the pass takes at
/// most a fiftieth of a core however slow its walks get: a walk from the start of a key space steps over every
/// tombstone a drained queue left there, until compaction drops them.
/// </summary>
internal sealed class CollectionCleanup : IDisposable
{
    private static readonly KeySpace[] s_spaces = [KeySpace.Hash, KeySpace.Set, KeySpace.ZSet, KeySpace.List];

    private readonly IStorageEngine _engine;
    private readonly Func<ReadOnlyMemory<byte>, Task<long>> _delete;
    private readonly int _sliceGroups;
    private readonly ByteBuffer _dead = new();
    private readonly ByteBuffer _resume = new();
    private readonly ByteBuffer _metaKey = new();
    private readonly ByteBuffer _meta = new();
    private readonly SemaphoreSlim _slice = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _space;
    private long _lastScanTicks;
    private long _groupsScanned;
    private long _groupsDeleted;

    /// <summary>Starts the pass.</summary>
    /// <param name="engine">The committed state the pass reads.</param>
    /// <param name="delete">Has the writer delete a list of groups (see <c>ApplyWorker.RunCleanupAsync</c>).</param>
    /// <param name="interval">Pause between slices; <see cref="Timeout.InfiniteTimeSpan"/>: slices run only through <see cref="RunSliceAsync"/>.</param>
    /// <param name="sliceGroups">Most groups one slice looks at.</param>
    public CollectionCleanup(IStorageEngine engine, Func<ReadOnlyMemory<byte>, Task<long>> delete, TimeSpan interval, int sliceGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceGroups, 1);
        _engine = engine;
        _delete = delete;
        _sliceGroups = sliceGroups;
        _loop = interval == Timeout.InfiniteTimeSpan ? Task.CompletedTask : Task.Run(() => LoopAsync(interval));
    }

    /// <summary>Member groups looked at since start.</summary>
    public long GroupsScanned => Volatile.Read(ref _groupsScanned);

    /// <summary>Dead member groups deleted since start.</summary>
    public long GroupsDeleted => Volatile.Read(ref _groupsDeleted);

    /// <summary>Stops the pass (waits for a slice in progress).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
        }

        _slice.Wait();
        _stop.Dispose();
        _dead.Dispose();
        _resume.Dispose();
        _metaKey.Dispose();
        _meta.Dispose();
    }

    /// <summary>
    /// Runs one slice: looks at up to the slice size of groups (or once around every key space, if fewer) and has
    /// the writer delete the dead ones. Returns how many groups it looked at and how many it deleted.
    /// </summary>
    public async Task<(int Scanned, long Deleted)> RunSliceAsync()
    {
        await _slice.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            long started = Stopwatch.GetTimestamp();
            int scanned = Scan();
            Volatile.Write(ref _lastScanTicks, Stopwatch.GetTimestamp() - started);
            long deleted = _dead.WrittenSpan.IsEmpty ? 0 : await _delete(_dead.WrittenMemory).ConfigureAwait(false);
            Interlocked.Add(ref _groupsScanned, scanned);
            Interlocked.Add(ref _groupsDeleted, deleted);
            KiwiMetrics.CleanupGroupsDeleted.Add(deleted);
            return (scanned, deleted);
        }
        finally
        {
            _slice.Release();
        }
    }

    /// <summary>
    /// The pause before the next slice: <paramref name="interval"/>, or 49 times the last walk's time when that is
    /// longer, so walking takes at most 2% of the time.
    /// </summary>
    internal static TimeSpan Pause(TimeSpan interval, TimeSpan lastScan)
    {
        TimeSpan paced = lastScan * (100 / MaxDutyPercent - 1);
        return paced > interval ? paced : interval;
    }

    /// <summary>The most of one core's time the walks take, in percent.</summary>
    internal const int MaxDutyPercent = 2;

    private async Task LoopAsync(TimeSpan interval)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Pause(interval, Stopwatch.GetElapsedTime(0, Volatile.Read(ref _lastScanTicks))), _stop.Token).ConfigureAwait(false);
                await RunSliceAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is KiwiException or Kiwi.Native.Rocks.StorageException)
            {
                // A failed storage write: the groups stay dead and the next round of the walk finds them again.
            }
        }
    }

    // Walks from the resume point, collecting dead groups into _dead; stops after the slice size of groups or
    // after reaching the end of every key space once.
    private int Scan()
    {
        _dead.Clear();
        int scanned = 0;
        int ends = 0;
        while (scanned < _sliceGroups && ends < s_spaces.Length)
        {
            KeySpace space = s_spaces[_space];
            using IStorageCursor cursor = _engine.OpenCursor(space);
            cursor.Seek(_resume.WrittenSpan);
            while (scanned < _sliceGroups && cursor.Valid)
            {
                ReadOnlySpan<byte> dataKey = cursor.Key;
                int length = KeyCodec.GroupLength(dataKey);
                if (length == 0)
                {
                    // Not a data key (nothing writes one): step over it.
                    _resume.Set(dataKey);
                    _resume.Write([0]);
                    cursor.Next();
                    continue;
                }

                ReadOnlySpan<byte> group = dataKey[..length];
                scanned++;
                if (!IsLive(group))
                {
                    _dead.Write([(byte)space]);
                    _dead.Write(group);
                }

                // Past the whole group, live or dead, with one seek.
                _resume.Clear();
                KeyCodec.GroupEnd(group, _resume.GetSpan(length)[..length]);
                _resume.Advance(length);
                cursor.Seek(_resume.WrittenSpan);
            }

            if (!cursor.Valid)
            {
                ends++;
                _space = (_space + 1) % s_spaces.Length;
                _resume.Clear();
            }
        }

        return scanned;
    }

    // A first look at the committed meta record; the writer looks again before it deletes (ApplyWorker.Cleanup).
    private bool IsLive(ReadOnlySpan<byte> group)
    {
        KeyCodec.ReadGroup(group, out int db, out ReadOnlySpan<byte> key, out ulong version);
        return _engine.TryGet(KeySpace.Meta, KeyCodec.Meta(_metaKey, db, key), _meta)
            && MetaValue.IsCollection(_meta.WrittenSpan) && MetaValue.Version(_meta.WrittenSpan) == version;
    }
}
