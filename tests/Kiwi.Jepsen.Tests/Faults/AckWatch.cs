using System.Diagnostics;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// Counts acknowledged writes as clients receive them, and from a moment on (<see cref="Arm"/>: the fault) the
/// ones invoked after it and when the first of those was acknowledged. With the faulty member unreachable, such
/// a write went through a leader elected without it: the time from the fault to its acknowledgement is the
/// failover time.
/// </summary>
internal sealed class AckWatch
{
    private long _since = long.MaxValue;
    private long _first = long.MaxValue;
    private int _sinceArmed;
    private int _total;

    /// <summary>Writes acknowledged in all.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Writes invoked after the last <see cref="Arm"/> and acknowledged.</summary>
    public int SinceArmed => Volatile.Read(ref _sinceArmed);

    /// <summary>From <see cref="Arm"/> to the first acknowledgement of a write invoked after it (null: none yet).</summary>
    public TimeSpan? FirstAfterArm
    {
        get
        {
            long first = Volatile.Read(ref _first);
            return first == long.MaxValue ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _since), first);
        }
    }

    /// <summary>Starts counting anew from now; returns the moment (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Arm()
    {
        Volatile.Write(ref _since, long.MaxValue);
        Volatile.Write(ref _first, long.MaxValue);
        Volatile.Write(ref _sinceArmed, 0);
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _since, now);
        return now;
    }

    /// <summary>A client had a write invoked at <paramref name="invoke"/> acknowledged just now.</summary>
    public void OnAcknowledged(long invoke)
    {
        Interlocked.Increment(ref _total);
        if (invoke < Volatile.Read(ref _since))
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _sinceArmed);
        long seen;
        while (now < (seen = Volatile.Read(ref _first)) && Interlocked.CompareExchange(ref _first, now, seen) != seen)
        {
        }
    }

    /// <summary>
    /// Polls until <paramref name="count"/> writes invoked since <see cref="Arm"/> were acknowledged; false if the
    /// deadline passed first.
    /// </summary>
    public async Task<bool> WaitForAcksAsync(int count, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (SinceArmed < count)
        {
            if (clock.Elapsed >= deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
