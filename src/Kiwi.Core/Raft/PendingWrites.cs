using Kiwi.Core.Apply;

namespace Kiwi.Core.Raft;

/// <summary>
/// This node's writes whose reply may have to come from this node's own apply: writes forwarded to the leader,
/// and writes being retried after a leader change or a cut connection. A registered request has exactly one
/// owner at a time — whoever takes it out of the table (<see cref="TryTake"/>): the forwarding connection with
/// the leader's reply, the state machine applying an entry with its id (it applies the client's own request,
/// which gets its reply there), or the retry giving up. Anyone else holding a reference must not touch it.
/// <para>Slots are indexed by seq: a write whose slot is still held by an older one is not registered and
/// keeps today's behaviour (its reply comes only from the leader; a cut answers TRYAGAIN).</para>
/// </summary>
internal sealed class PendingWrites
{
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly Lock _lock = new();
    private long _seq;

    public PendingWrites(int capacity, ulong origin)
    {
        capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        Origin = origin;
    }

    /// <summary>This node's origin (see <see cref="WriteId"/>).</summary>
    public ulong Origin { get; }

    /// <summary>Gives <paramref name="request"/> this node's next write id.</summary>
    public void Assign(ApplyRequest request)
    {
        request.WriteOrigin = Origin;
        request.WriteSeq = (ulong)Interlocked.Increment(ref _seq);
    }

    /// <summary>Registers a request carrying this node's id; false when its slot is held by another write.</summary>
    public bool TryRegister(ApplyRequest request)
    {
        ref Slot slot = ref _slots[(int)request.WriteSeq & _mask];
        lock (_lock)
        {
            if (slot.Request is not null)
            {
                return false;
            }

            slot = new Slot(request.WriteSeq, request);
        }

        return true;
    }

    /// <summary>
    /// Takes the request registered under <paramref name="seq"/> (only if it is <paramref name="expected"/>, when
    /// given): the caller now owns it.
    /// </summary>
    public bool TryTake(ulong seq, ApplyRequest? expected, out ApplyRequest? request)
    {
        ref Slot slot = ref _slots[(int)seq & _mask];
        lock (_lock)
        {
            request = slot.Request;
            if (request is null || slot.Seq != seq || (expected is not null && !ReferenceEquals(request, expected)))
            {
                request = null;
                return false;
            }

            slot = default;
        }

        return true;
    }

    /// <summary>True while <paramref name="request"/> is registered under <paramref name="seq"/> (nobody has taken it).</summary>
    public bool Holds(ulong seq, ApplyRequest request)
    {
        ref Slot slot = ref _slots[(int)seq & _mask];
        lock (_lock)
        {
            return slot.Seq == seq && ReferenceEquals(slot.Request, request);
        }
    }

    /// <summary>
    /// Copies a registered request's write (payload, id, protocol) into <paramref name="retry"/>, a new attempt
    /// of it; false when it is no longer registered (then it must not be read: its owner may have reused it).
    /// </summary>
    public bool TryCopy(ulong seq, ApplyRequest request, ApplyRequest retry)
    {
        ref Slot slot = ref _slots[(int)seq & _mask];
        lock (_lock)
        {
            if (slot.Seq != seq || !ReferenceEquals(slot.Request, request))
            {
                return false;
            }

            retry.Payload.Set(request.Payload.WrittenSpan);
            retry.Protocol = request.Protocol;
            retry.WriteOrigin = request.WriteOrigin;
            retry.WriteSeq = seq;
            retry.IsRetry = true;
        }

        return true;
    }

    /// <summary>Takes every registered request (the node is stopping).</summary>
    public List<ApplyRequest> TakeAll()
    {
        var taken = new List<ApplyRequest>();
        lock (_lock)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Request is { } request)
                {
                    taken.Add(request);
                    _slots[i] = default;
                }
            }
        }

        return taken;
    }

    private readonly record struct Slot(ulong Seq, ApplyRequest? Request);
}
