using System.Buffers.Binary;
using System.Collections.Concurrent;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Blocking;

/// <summary>
/// The keys blocked clients wait on, FIFO per key (BLPOP and the other blocking pops; sorted sets plug in the same
/// way with their own <see cref="BlockedWait"/>). The writer notes every collection it writes with members while
/// somebody waits (<see cref="Note"/>); once the batch is committed (<see cref="Publish"/>) the waiters of those keys
/// are woken in the order they blocked, and each retries its pop as a new write entry, one after the other from
/// one dispatcher, so a push of N elements serves the first N waiters in order and two waiters never get the same
/// element (in cluster mode the retries go through the log like any write; followers apply the same batches and
/// wake their own waiters). A waiter whose retry finds nothing waits again in its place.
/// </summary>
internal sealed class BlockingKeys : IDisposable
{
    private static readonly Action<object?> s_drain = static state => ((BlockingKeys)state!).Drain();

    // A note: db:u16 | count:i64 | len(key):i32 | key.
    private const int NoteHeader = 14;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, List<BlockedWait>> _byKey = [];
    private readonly ConcurrentQueue<BlockedWait> _wakeQueue = new();
    private readonly ByteBuffer _noted = new();
    private readonly List<BlockedWait> _woken = [];
    private int _registered;
    private int _blocked;
    private int _draining;
    private long _nextTicket;

    /// <summary>Keys blocked on for the writes of <paramref name="worker"/> (null: the keys alone, with no writer).</summary>
    public BlockingKeys(Apply.ApplyWorker? worker = null) => Worker = worker;

    /// <summary>The worker whose committed batches wake these waits.</summary>
    public Apply.ApplyWorker? Worker { get; }

    /// <summary>True on a thread applying the worker's batches, where a wait's completion may run.</summary>
    public bool OnWriterThread => Worker is { IsApplyingOnThisThread: true };

    /// <summary>
    /// True while some wait is registered, its first attempt included (the writer notes written keys only then, so a
    /// push applied between that attempt and the wait's blocking still wakes it).
    /// </summary>
    public bool HasWaiters => Volatile.Read(ref _registered) != 0;

    /// <summary>
    /// Clients blocked now (INFO's blocked_clients): waits whose first attempt found nothing, as Redis counts a client
    /// once its command blocked.
    /// </summary>
    public int Count => Volatile.Read(ref _blocked);

    /// <summary>Writer thread: a collection at (<paramref name="db"/>, <paramref name="key"/>) was written and has <paramref name="count"/> members.</summary>
    public void Note(int db, ReadOnlySpan<byte> key, long count)
    {
        Span<byte> header = _noted.GetSpan(NoteHeader + key.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)db);
        BinaryPrimitives.WriteInt64LittleEndian(header[2..], count);
        BinaryPrimitives.WriteInt32LittleEndian(header[10..], key.Length);
        key.CopyTo(header[NoteHeader..]);
        _noted.Advance(NoteHeader + key.Length);
    }

    /// <summary>Writer thread: the batch was not committed; forget what it noted.</summary>
    public void Discard() => _noted.Clear();

    /// <summary>Writer thread, after the batch is committed and published: wakes the waiters of the keys it noted.</summary>
    public void Publish()
    {
        if (_noted.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            ReadOnlySpan<byte> noted = _noted.WrittenSpan;
            while (noted.Length >= NoteHeader)
            {
                int db = BinaryPrimitives.ReadUInt16LittleEndian(noted);
                long count = BinaryPrimitives.ReadInt64LittleEndian(noted[2..]);
                int length = BinaryPrimitives.ReadInt32LittleEndian(noted[10..]);
                ReadOnlySpan<byte> key = noted.Slice(NoteHeader, length);
                noted = noted[(NoteHeader + length)..];
                WakeLocked(db, key, count, except: null);
            }

            QueueWokenLocked();
        }

        _noted.Clear();
        ScheduleDrain();
    }

    /// <summary>Wakes every wait (a snapshot replaced the data: any key may have got some).</summary>
    public void WakeAll()
    {
        if (!HasWaiters)
        {
            return;
        }

        lock (_lock)
        {
            foreach (List<BlockedWait> waits in _byKey.Values)
            {
                foreach (BlockedWait wait in waits)
                {
                    if (!_woken.Contains(wait) && wait.SignalLocked(0) == WakeResult.Woken)
                    {
                        _woken.Add(wait);
                    }
                }
            }

            QueueWokenLocked();
        }

        ScheduleDrain();
    }

    /// <summary>
    /// Under <see cref="Sync"/>: <paramref name="served"/> was served by one of its keys, or replied an error without
    /// taking anything. Another key of it may still hold what it was woken for: the next waiter of each gets a look.
    /// </summary>
    internal void PassOnLocked(BlockedWait served)
    {
        for (int i = 0; i < served.KeyCount; i++)
        {
            WakeLocked(served.Database, served.Key(i), 1, served);
        }

        QueueWokenLocked();
        ScheduleDrain();
    }

    // Wakes the first `count` waits of the key in the order they blocked (one per member it has: more would only pop
    // nothing). A wait whose attempt is in flight keeps its place: it takes one of the count and looks again if that
    // attempt finds nothing, so a later waiter is not served ahead of it.
    private void WakeLocked(int db, ReadOnlySpan<byte> key, long count, BlockedWait? except)
    {
        if (!_byKey.TryGetValue(Hash(db, key), out List<BlockedWait>? waits))
        {
            return;
        }

        foreach (BlockedWait wait in waits)
        {
            if (count <= 0)
            {
                return;
            }

            int index = wait == except ? -1 : wait.IndexOf(db, key);
            if (index < 0)
            {
                continue;
            }

            switch (wait.SignalLocked(index))
            {
                case WakeResult.Woken:
                    _woken.Add(wait);
                    count--;
                    break;
                case WakeResult.LooksAgain:
                    count--;
                    break;
            }
        }
    }

    private void QueueWokenLocked()
    {
        if (_woken.Count > 1)
        {
            _woken.Sort(static (a, b) => a.Ticket.CompareTo(b.Ticket));
        }

        foreach (BlockedWait wait in _woken)
        {
            _wakeQueue.Enqueue(wait);
        }

        _woken.Clear();
    }

    /// <summary>Adds <paramref name="wait"/> behind everyone already waiting on each of its keys.</summary>
    internal void Register(BlockedWait wait)
    {
        lock (_lock)
        {
            wait.Ticket = ++_nextTicket;
            for (int i = 0; i < wait.KeyCount; i++)
            {
                ulong hash = Hash(wait.Database, wait.Key(i));
                if (!_byKey.TryGetValue(hash, out List<BlockedWait>? waits))
                {
                    waits = [];
                    _byKey[hash] = waits;
                }

                if (!waits.Contains(wait))
                {
                    waits.Add(wait);
                }
            }

            _registered++;
        }
    }

    /// <summary>Under <see cref="Sync"/>: a wait's first attempt found nothing; it counts as blocked from now.</summary>
    internal void BlockedLocked() => _blocked++;

    /// <summary>Removes <paramref name="wait"/> from every key (called under <see cref="Sync"/> by the wait itself).</summary>
    internal void UnregisterLocked(BlockedWait wait, bool blocked)
    {
        if (blocked)
        {
            _blocked--;
        }

        for (int i = 0; i < wait.KeyCount; i++)
        {
            ulong hash = Hash(wait.Database, wait.Key(i));
            if (_byKey.TryGetValue(hash, out List<BlockedWait>? waits) && waits.Remove(wait) && waits.Count == 0)
            {
                _byKey.Remove(hash);
            }
        }

        _registered--;
    }

    /// <summary>The lock every wait's state changes under (blocking is rare; one lock keeps it simple).</summary>
    internal Lock Sync => _lock;

    /// <summary>Queues a retry of <paramref name="wait"/> behind the ones already queued.</summary>
    internal void EnqueueRetry(BlockedWait wait)
    {
        _wakeQueue.Enqueue(wait);
        ScheduleDrain();
    }

    private void ScheduleDrain()
    {
        if (!_wakeQueue.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(s_drain, this, preferLocal: false);
        }
    }

    // One dispatcher submits the retries in wake order, so the writer applies them in that order.
    private void Drain()
    {
        while (true)
        {
            while (_wakeQueue.TryDequeue(out BlockedWait? wait))
            {
                wait.SubmitAttempt(retry: true);
            }

            Volatile.Write(ref _draining, 0);
            if (_wakeQueue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>Ends every wait as cancelled (the database closes).</summary>
    public void CancelAll()
    {
        var all = new HashSet<BlockedWait>();
        lock (_lock)
        {
            foreach (List<BlockedWait> waits in _byKey.Values)
            {
                all.UnionWith(waits);
            }
        }

        foreach (BlockedWait wait in all)
        {
            wait.Stop(BlockOutcome.Cancelled);
        }
    }

    /// <summary>Returns the writer's scratch to the pool.</summary>
    public void Dispose() => _noted.Dispose();

    private static ulong Hash(int db, ReadOnlySpan<byte> key)
    {
        ulong hash = 14695981039346656037UL ^ (ulong)db;
        foreach (byte b in key)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
