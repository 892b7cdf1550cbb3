using Kiwi.Core.Apply;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Raft;

/// <summary>
/// Client writes the leader proposes as one Raft log entry: their requests (which keep their own replies and
/// waiters) and the encoded payload. It travels as the entry's context, so the leader's state machine hands
/// these very requests to the writer instead of decoding the payload. Exactly one side settles it: the state
/// machine (<see cref="TryTake"/>) or the proposer on failure (<see cref="TryFail"/>).
/// </summary>
internal sealed class ProposalBatch : IDisposable
{
    private const int Pending = 0;
    private const int Taken = 1;
    private const int Published = 2;
    private const int Failed = 3;

    private int _state;

    public ProposalBatch(int capacity) => Requests = new ApplyRequest[capacity];

    public ApplyRequest[] Requests { get; }

    public int Count { get; set; }

    public ulong Id { get; set; }

    /// <summary>The term the entry was proposed in: a context found on an entry of another term is not this batch's.</summary>
    public long Term { get; set; }

    public ByteBuffer Payload { get; } = new();

    /// <summary>True once the state machine has handed every request to the writer.</summary>
    public bool IsPublished => Volatile.Read(ref _state) == Published;

    /// <summary>Claims the requests for applying (the state machine, on the leader).</summary>
    public bool TryTake(ulong id) => id == Id && Interlocked.CompareExchange(ref _state, Taken, Pending) == Pending;

    /// <summary>Marks the requests handed to the writer (after <see cref="TryTake"/>).</summary>
    public void MarkPublished() => Volatile.Write(ref _state, Published);

    /// <summary>Claims the requests for failing (the proposer, when the entry was not accepted).</summary>
    public bool TryFail() => Interlocked.CompareExchange(ref _state, Failed, Pending) == Pending;

    /// <summary>Makes the batch ready for the next proposal.</summary>
    public void Reset()
    {
        Array.Clear(Requests, 0, Count);
        Count = 0;
        Id = 0;
        Payload.Clear();
        Volatile.Write(ref _state, Pending);
    }

    public void Dispose() => Payload.Dispose();
}
