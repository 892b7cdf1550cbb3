using System.Buffers.Binary;
using System.Diagnostics;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Expiry;

/// <summary>
/// The active expiry cycle: walks the expiry index in time order and, for every entry whose time has
/// passed, submits an <see cref="OpCode.ExpireSweep"/> through the writer (so replicas delete the same keys
/// at the same log position). Stale index entries (the key's expiry changed) are dropped the same way.
/// <para>
/// A walk resumes where the last one stopped, not at the index's start: every entry before that place was swept
/// (deleted), and RocksDB keeps their tombstones until compaction, so a walk from the start steps over each of them
/// again. Measured with 400k keys set to expire at once: each round of 512 walked over the tombstones of every round
/// before it (30-35 s to sweep them all), and once they were gone the idle server spent 46% of a core walking the
/// tombstones every 100 ms. A walk starts earlier when the writer has indexed an earlier time since
/// (<see cref="ExpiryIndexLow"/>), and from the start at least every 10 seconds (an index copied
/// whole by a snapshot install does not go through the writer's notes).
/// </para>
/// </summary>
internal sealed class ExpiryCycle : IDisposable
{
    private const int MaxPerRound = 512;

    /// <summary>The longest time between two walks from the index's start, by default.</summary>
    internal static readonly TimeSpan DefaultFullWalkEvery = TimeSpan.FromSeconds(10);

    private readonly KiwiDb _db;
    private readonly IStorageEngine _engine;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<ApplyRequest> _inFlight = new(MaxPerRound);
    private readonly ExpiryIndexLow _low;
    private readonly ByteBuffer _resume = new(); // where the next walk starts; empty: the index's start
    private readonly TimeSpan _fullWalkEvery;
    private long _lastFullWalk;
    private long _walks;

    public ExpiryCycle(KiwiDb db, IStorageEngine engine, TimeSpan interval, ExpiryIndexLow low, TimeSpan? fullWalkEvery = null)
    {
        _db = db;
        _engine = engine;
        _interval = interval;
        _low = low;
        _fullWalkEvery = fullWalkEvery ?? DefaultFullWalkEvery;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Walks of the index since start.</summary>
    internal long Walks => Volatile.Read(ref _walks);

    /// <summary>Keys deleted by the cycle since start.</summary>
    public long Deleted { get; private set; }

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

        _stop.Dispose();
        _resume.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                while (await SweepOnceAsync().ConfigureAwait(false) == MaxPerRound && !_stop.IsCancellationRequested)
                {
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Submits sweeps for up to <see cref="MaxPerRound"/> due index entries and waits for them.</summary>
    private async Task<int> SweepOnceAsync()
    {
        if (!_db.CanWrite)
        {
            // A Raft follower: the leader's sweeps reach us through the log. Leading again, start from the start.
            _resume.Clear();
            return 0;
        }

        long now = _db.NowMs();
        StartingPoint();
        using (IStorageCursor cursor = _engine.OpenCursor(KeySpace.Expire))
        {
            cursor.Seek(_resume.WrittenSpan);
            while (cursor.Valid && _inFlight.Count < MaxPerRound)
            {
                if (!KeyCodec.TryReadExpire(cursor.Key, out long expireAt, out int db, out ReadOnlySpan<byte> key) || expireAt >= now)
                {
                    break;
                }

                ApplyRequest request = _db.Begin(now);
                CommandFormat.AddCommand(request.Payload, OpCode.ExpireSweep, 0, db, 1, expireAt);
                CommandFormat.AddArg(request.Payload, key);
                _db.Submit(request);
                _inFlight.Add(request);
                _resume.Set(cursor.Key); // swept once the requests below are done: the next walk starts at or after it
                cursor.Next();
            }

            if (cursor.Valid)
            {
                // The first entry not swept: everything before it was.
                _resume.Set(cursor.Key);
            }
            else
            {
                // The end: everything due was swept, and an entry indexed later for an earlier time is noted.
                _resume.Clear();
                BinaryPrimitives.WriteUInt64BigEndian(_resume.GetSpan(sizeof(long)), (ulong)now);
                _resume.Advance(sizeof(long));
            }
        }

        Interlocked.Increment(ref _walks);
        int submitted = _inFlight.Count;
        foreach (ApplyRequest request in _inFlight)
        {
            await request.WaitAsync().ConfigureAwait(false);
            if (request.Reply == ReplyKind.Integer && request.Integer == 1)
            {
                Deleted++;
            }

            ApplyRequestPool.Return(request);
        }

        _inFlight.Clear();
        return submitted;
    }

    // Where this walk starts: the last walk's end, earlier when the writer indexed an earlier time since, the
    // index's start when it is time for a full walk.
    private void StartingPoint()
    {
        long low = _low.Take();
        long stamp = Stopwatch.GetTimestamp();
        if (_resume.Length == 0 || Stopwatch.GetElapsedTime(_lastFullWalk, stamp) >= _fullWalkEvery)
        {
            _resume.Clear();
            _lastFullWalk = stamp;
            return;
        }

        // The resume point starts with its time: an index key's, or the bare time of an end or an earlier note.
        if (low != long.MaxValue && low <= (long)BinaryPrimitives.ReadUInt64BigEndian(_resume.WrittenSpan))
        {
            // An entry at or before the resume point's time: start at its time.
            _resume.Clear();
            BinaryPrimitives.WriteUInt64BigEndian(_resume.GetSpan(sizeof(long)), (ulong)low);
            _resume.Advance(sizeof(long));
        }
    }
}
