using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kiwi.Native.Ring;

/// <summary>
/// A lock-free bounded multi-producer single-consumer ring (Vyukov's per-slot sequence numbers) with a
/// power-of-two capacity. Producers never drop and never allocate: when the ring is full they spin, then
/// wait until the consumer frees space (backpressure). The single consumer drains in batches and parks
/// when the ring is empty; a producer wakes it.
/// </summary>
/// <typeparam name="T">The entry type; typically a struct holding a reference to a pooled request.</typeparam>
public sealed class CommitRing<T> : IDisposable
{
    private struct Slot
    {
        public long Sequence;
        public T Item;
    }

    private readonly Slot[] _slots;
    private readonly int _mask;
    private PaddedCounter _enqueuePos;
    private PaddedCounter _dequeuePos;
    private PaddedCounter _consumerParked;
    private PaddedCounter _producersWaiting;
    private readonly ManualResetEventSlim _dataAvailable = new(false, spinCount: 0);
    private readonly ManualResetEventSlim _spaceAvailable = new(false, spinCount: 0);
    private volatile bool _closed;

    // Set in the enqueue position by Close: a producer's claim either happened before (and it will publish)
    // or fails against this bit, so no entry can slip in after the consumer's last drain.
    private const long ClosedBit = 1L << 62;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots (rounded up to a power of two).</summary>
    public CommitRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 30);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        for (int i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }

        _mask = size - 1;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Entries published and not yet drained (approximate while producers race).</summary>
    public int Count
    {
        get
        {
            long n = (Volatile.Read(ref _enqueuePos.Value) & ~ClosedBit) - Volatile.Read(ref _dequeuePos.Value);
            return (int)Math.Clamp(n, 0, _slots.Length);
        }
    }

    /// <summary>True once <see cref="Close"/> was called: enqueues fail, the consumer drains what is left.</summary>
    public bool IsClosed => _closed;

    /// <summary>True once the ring is closed and every entry claimed before that was drained.</summary>
    public bool IsCompleted => _closed && (Volatile.Read(ref _enqueuePos.Value) & ~ClosedBit) == Volatile.Read(ref _dequeuePos.Value);

    /// <summary>Publishes <paramref name="item"/> if a slot is free; false when full or closed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnqueue(in T item)
    {
        Slot[] slots = _slots;
        long pos = Volatile.Read(ref _enqueuePos.Value);
        while (true)
        {
            if ((pos & ClosedBit) != 0)
            {
                return false;
            }

            ref Slot slot = ref slots[pos & _mask];
            long diff = Volatile.Read(ref slot.Sequence) - pos;
            if (diff == 0)
            {
                long seen = Interlocked.CompareExchange(ref _enqueuePos.Value, pos + 1, pos);
                if (seen == pos)
                {
                    slot.Item = item;
                    Volatile.Write(ref slot.Sequence, pos + 1);
                    // The CAS above is a full fence, so this read cannot move before our claim: either the
                    // consumer sees our position when it re-checks before parking, or we see it parked.
                    if (Volatile.Read(ref _consumerParked.Value) != 0)
                    {
                        WakeConsumer();
                    }

                    return true;
                }

                pos = seen;
            }
            else if (diff < 0)
            {
                return false;
            }
            else
            {
                pos = Volatile.Read(ref _enqueuePos.Value);
            }
        }
    }

    /// <summary>
    /// Publishes <paramref name="item"/>, waiting for space while the ring is full. Returns false only when
    /// the ring is closed (the item was not published).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Enqueue(in T item) => TryEnqueue(item) || EnqueueSlow(item);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool EnqueueSlow(in T item)
    {
        SpinWait spin = default;
        while (!spin.NextSpinWillYield)
        {
            if (_closed)
            {
                return false;
            }

            if (TryEnqueue(item))
            {
                return true;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        Interlocked.Increment(ref _producersWaiting.Value);
        try
        {
            while (true)
            {
                _spaceAvailable.Reset();
                if (TryEnqueue(item))
                {
                    return true;
                }

                if (_closed)
                {
                    return false;
                }

                // The timeout bounds a lost wake-up (Reset racing the consumer's Set) to one millisecond.
                _spaceAvailable.Wait(1);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _producersWaiting.Value);
        }
    }

    /// <summary>Takes one entry if one is published. Single consumer only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryDequeue(out T item)
    {
        long pos = _dequeuePos.Value;
        ref Slot slot = ref _slots[pos & _mask];
        if (Volatile.Read(ref slot.Sequence) != pos + 1)
        {
            item = default!;
            return false;
        }

        item = slot.Item;
        slot.Item = default!;
        Volatile.Write(ref slot.Sequence, pos + _slots.Length);
        Volatile.Write(ref _dequeuePos.Value, pos + 1);
        return true;
    }

    /// <summary>
    /// Moves up to <c>destination.Length</c> published entries into <paramref name="destination"/>, in order,
    /// and returns how many. Never waits. Single consumer only.
    /// </summary>
    public int Drain(Span<T> destination)
    {
        int n = 0;
        while (n < destination.Length && TryDequeue(out destination[n]))
        {
            n++;
        }

        if (n > 0 && Volatile.Read(ref _producersWaiting.Value) != 0)
        {
            _spaceAvailable.Set();
        }

        return n;
    }

    /// <summary>
    /// Waits until an entry is published, the ring is closed, or <paramref name="timeout"/> elapses.
    /// Returns true when an entry may be available. Single consumer only.
    /// </summary>
    public bool WaitForData(TimeSpan timeout)
    {
        SpinWait spin = default;
        while (!spin.NextSpinWillYield)
        {
            if (HasPublished() || _closed)
            {
                return true;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        _dataAvailable.Reset();
        Interlocked.Exchange(ref _consumerParked.Value, 1);
        try
        {
            // Re-check after announcing that we park (the exchange is a full fence).
            if ((Volatile.Read(ref _enqueuePos.Value) & ~ClosedBit) != _dequeuePos.Value || _closed)
            {
                return true;
            }

            return _dataAvailable.Wait(timeout);
        }
        finally
        {
            Volatile.Write(ref _consumerParked.Value, 0);
        }
    }

    /// <summary>Stops accepting entries and wakes the consumer and every waiting producer.</summary>
    public void Close()
    {
        long pos = Volatile.Read(ref _enqueuePos.Value);
        while ((pos & ClosedBit) == 0)
        {
            long seen = Interlocked.CompareExchange(ref _enqueuePos.Value, pos | ClosedBit, pos);
            if (seen == pos)
            {
                break;
            }

            pos = seen;
        }

        _closed = true;
        _dataAvailable.Set();
        _spaceAvailable.Set();
    }

    /// <summary>Closes the ring and releases its wait handles.</summary>
    public void Dispose()
    {
        Close();
        _dataAvailable.Dispose();
        _spaceAvailable.Dispose();
    }

    private bool HasPublished() => Volatile.Read(ref _slots[_dequeuePos.Value & _mask].Sequence) == _dequeuePos.Value + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeConsumer()
    {
        if (Interlocked.Exchange(ref _consumerParked.Value, 0) != 0)
        {
            _dataAvailable.Set();
        }
    }
}
