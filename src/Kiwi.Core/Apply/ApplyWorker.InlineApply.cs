using System.Runtime.CompilerServices;

namespace Kiwi.Core.Apply;

// Inline apply: the writer role is a token. The writer thread holds it while it drains; when the ring stays empty
// it gives the token back and parks. A producer that publishes while nobody holds the token takes it and applies
// the batch on its own thread, like the leader of a RocksDB write group, so a lone write pays no wake-up of the
// writer thread and no context switch. Only one thread holds the token, so batches stay serial, the applied index
// stays monotonic and the write set is never shared. Under load the writer thread keeps the token and producers
// only publish. With the token released, a thread that saw entries left in the ring wakes the writer thread.
//
// Two kinds of producer take the token. A RESP session publishes a read's commands and calls ApplyPublished once.
// An embedded caller (KiwiDb) publishes with apply-on-await and applies when it awaits the write: the await is the
// end of its burst, so 64 writes issued before the first await are one batch, and a lone write is applied by the
// awaiting thread with nothing to wake and nothing to hand back. It stops once its own write is done: entries that
// arrived meanwhile are other callers' and go to the writer thread (with durability always, their fsync is not
// this caller's to wait for).
internal sealed partial class ApplyWorker
{
    private const int Idle = 0;
    private const int WriterThreadActive = 1;
    private const int ProducerActive = 2;
    private const int Stopped = 3;

    // Batches a producer applies before it hands what is left to the writer thread: its own connections wait.
    private const int MaxInlineBatches = 4;

    private readonly bool _inlineApply;
    private readonly bool _applyOnAwait;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private int _role;
    private int _writerParked;
    private long _inlineBatches;
    private int _inlineHolder;
    private bool _handedOff;
    private int _suspendedCallers;

    /// <summary>Batches applied by a producer on its own thread (included in <see cref="BatchesWritten"/>).</summary>
    public long BatchesAppliedInline => Volatile.Read(ref _inlineBatches);

    /// <summary>True when sessions may apply what they published on their own thread while the writer is idle.</summary>
    public bool InlineApply => _inlineApply;

    /// <summary>True when an embedded write is applied by the thread that awaits it while the writer is idle.</summary>
    public bool AppliesOnAwait => _applyOnAwait;

    /// <summary>
    /// Publishes <paramref name="request"/>, waiting while the ring is full. It is not applied yet: after the
    /// last of a run of publishes, call <see cref="ApplyPublished"/> (one batch for all of them). Returns false
    /// when the ring is closed (nothing was published).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Publish(ApplyRequest request) => _ring.TryEnqueue(request) || PublishSlow(request);

    /// <summary>
    /// Gets what this thread published applied: with <paramref name="inline"/>, inline apply on and no thread
    /// holding the writer role, applies the ring's entries here (their waiters are complete on return);
    /// otherwise wakes the writer thread if it is parked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ApplyPublished(bool inline)
    {
        // The publish's compare-exchange is a full fence: either we see the role released, or its holder sees
        // our entry when it re-checks the ring after releasing.
        if (inline && _inlineApply && Volatile.Read(ref _role) == Idle && !IsApplyingOnThisThread)
        {
            ApplyInline();
        }
        else
        {
            WakeWriter();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WakeWriter()
    {
        // A holder of the role re-checks the ring when it lets the role go, and the writer re-checks it after
        // announcing that it parks, so only a parked writer with the role free needs the event.
        if (Volatile.Read(ref _writerParked) != 0 && Volatile.Read(ref _role) == Idle
            && Interlocked.Exchange(ref _writerParked, 0) != 0)
        {
            _wake.Set();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool PublishSlow(ApplyRequest request)
    {
        if (_ring.IsClosed)
        {
            return false;
        }

        // Full: the entries in the way may be waiting for whoever published them to call ApplyPublished.
        ApplyPublished(inline: true);
        return _ring.Enqueue(request);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ApplyInline() => ApplyHere(until: null);

    /// <summary>
    /// Called by the thread awaiting <paramref name="awaited"/> (published with apply-on-await) while it is pending:
    /// with the writer idle, applies the ring's entries here until <paramref name="awaited"/> is complete; otherwise
    /// returns at once (whoever holds the writer role applies it: a holder re-checks the ring when it lets go).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void ApplyAwaited(ApplyRequest awaited)
    {
        // A continuation running inside a batch (on the thread holding the role) must not start another one. With
        // other callers suspended on their writes, or the writer thread awake (busy, or about to park: it re-checks
        // the ring first), the entry goes with the others in flight: under load awaiting callers only publish and
        // the writer thread's batches stay large.
        if (!IsApplyingOnThisThread && Volatile.Read(ref _suspendedCallers) == 0 && Volatile.Read(ref _writerParked) != 0
            && Volatile.Read(ref _role) == Idle)
        {
            ApplyHere(awaited);
        }
    }

    /// <summary>Wakes the writer thread when it is parked and nobody holds the role (an entry may wait for it).</summary>
    internal void WakeIfIdle() => WakeWriter();

    /// <summary>An embedded caller suspended on a pending write (registered its continuation).</summary>
    internal void AwaitSuspended() => Interlocked.Increment(ref _suspendedCallers);

    /// <summary>That caller read its result.</summary>
    internal void AwaitResumed() => Interlocked.Decrement(ref _suspendedCallers);

    /// <summary>True while the writer thread is parked (idle): only then does an awaiting caller apply inline.</summary>
    internal bool WriterParked => Volatile.Read(ref _writerParked) != 0;

    // Takes the role if nobody holds it and applies batches on this thread: up to MaxInlineBatches, or, for an
    // awaiting caller, until its own request is complete.
    private void ApplyHere(ApplyRequest? until)
    {
        if (Interlocked.CompareExchange(ref _role, ProducerActive, Idle) != Idle)
        {
            return;
        }

        _inlineHolder = Environment.CurrentManagedThreadId;
        _handedOff = false;
        try
        {
            for (int i = 0; i < MaxInlineBatches; i++)
            {
                // Checked under the role: nobody else completes it now, and a failed batch completes it too.
                if (until is not null && until.IsCompleted)
                {
                    break;
                }

                int n = _ring.Drain(_batch);
                if (n == 0)
                {
                    break;
                }

                ApplyBatch(n);
                Volatile.Write(ref _inlineBatches, _inlineBatches + 1);
            }
        }
        finally
        {
            _inlineHolder = 0;
            Interlocked.Exchange(ref _role, Idle);

            // Other callers awaited writes of these batches: their continuations, resumed on the pool one after the
            // other, would each find the role free and apply their next write alone. The writer thread, awake,
            // takes those writes together.
            if (_ring.Count > 0 || _ring.IsClosed || _handedOff)
            {
                WakeWriter();
            }
        }
    }

    private void Run()
    {
        bool woken = true;
        while (true)
        {
            // The periodic re-check with nothing to do leaves the role free for callers that apply inline; a wake-up
            // on purpose takes it and spins a while, for the writes about to come.
            if ((woken || _ring.Count > 0 || _ring.IsClosed) && Interlocked.CompareExchange(ref _role, WriterThreadActive, Idle) == Idle)
            {
                DrainWhileBusy();
                if (_ring.IsCompleted)
                {
                    // Closed and empty: no producer can publish again, so none may take the role either.
                    Volatile.Write(ref _role, Stopped);
                    return;
                }

                Interlocked.Exchange(ref _role, Idle);
                if (_ring.Count > 0)
                {
                    continue;
                }
            }

            // Parked until a publisher or a releasing holder of the role saw entries for us, or Stop. The timeout
            // also applies embedded writes published for apply-on-await that nobody awaits.
            _wake.Reset();
            Interlocked.Exchange(ref _writerParked, 1);
            if ((_ring.Count > 0 || _ring.IsClosed) && Volatile.Read(ref _role) == Idle)
            {
                Volatile.Write(ref _writerParked, 0);
                continue;
            }

            woken = _wake.Wait(TimeSpan.FromMilliseconds(100));
            Volatile.Write(ref _writerParked, 0);
        }
    }

    // Applies batches until the ring has stayed empty for a short spin (the writer keeps the role meanwhile, so
    // producers of a burst only publish).
    private void DrainWhileBusy()
    {
        SpinWait spin = default;
        while (true)
        {
            int n = _ring.Drain(_batch);
            if (n > 0)
            {
                ApplyBatch(n);
                spin = default;
                continue;
            }

            if (spin.NextSpinWillYield || _ring.IsClosed && _ring.Count == 0)
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
