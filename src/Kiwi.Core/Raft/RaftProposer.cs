using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using Kiwi.Core.Apply;
using Kiwi.Native.Ring;
using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Raft;

/// <summary>
/// Pipelined proposals on the leader: client writes queue in a lock-free ring; one thread drains up to
/// <see cref="KiwiRaftOptions.MaxBatchCommands"/> of them into ONE Raft log entry and proposes it, with up to
/// <see cref="KiwiRaftOptions.MaxInFlight"/> entries replicating at once. Each client's reply is sent when the
/// writer has applied its command on this node (after commit), so writes are acknowledged only once a majority
/// holds them.
/// </summary>
internal sealed class RaftProposer : IDisposable
{
    private readonly RaftCluster _cluster;
    private readonly CommitRing<ApplyRequest> _intake;
    private readonly ApplyRequest[] _drain;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;
    private readonly TimeSpan _leaderWait;
    private readonly ObjectPool<ProposalBatch> _batches;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    // Random per process: ids from the clock collided between members started in the same millisecond.
    private ulong _nextProposal = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) >> 1;
    private long _proposed;
    private long _failed;

    private const long NotLeading = -1;

    // The term this node leads in, or NotLeading (a one-member cluster leads in term 0). Set when DotNext makes
    // this node the leader, under its transition lock, where the term read is the leadership's own; never read
    // from the log at proposal time (see LeaderTerm).
    private long _leaderTerm = NotLeading;

    public RaftProposer(RaftCluster cluster, KiwiRaftOptions options, int ringCapacity)
    {
        _cluster = cluster;
        _intake = new CommitRing<ApplyRequest>(ringCapacity);
        _drain = new ApplyRequest[Math.Min(options.MaxBatchCommands, BatchEntry.MaxCount)];
        _inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _maxInFlight = options.MaxInFlight;
        _leaderWait = options.LeaderWait;
        int capacity = _drain.Length;
        _batches = new DefaultObjectPool<ProposalBatch>(new BatchPolicy(capacity), options.MaxInFlight * 2);
        _thread = new Thread(Run) { IsBackground = true, Name = "kiwi-raft-propose" };

        // Before the cluster starts: a single member becomes leader inside StartAsync.
        cluster.LeaderChanged += OnLeaderChanged;
        Confirmations = new LeadershipConfirmations(ConfirmLeadershipAsync, _stop.Token);
    }

    /// <summary>True while this node leads in the current term, by its own record of the election it won.</summary>
    public bool IsLeading
    {
        get
        {
            long term = Volatile.Read(ref _leaderTerm);
            return term != NotLeading && term == _cluster.Term;
        }
    }

    /// <summary>The leader's read confirmations (see <see cref="LeadershipConfirmations"/>).</summary>
    public LeadershipConfirmations Confirmations { get; }

    /// <summary>Log entries proposed since start.</summary>
    public long Proposed => Volatile.Read(ref _proposed);

    /// <summary>
    /// Takes over a write this node could not commit because it is not (or no longer) the leader, to retry it
    /// with its id elsewhere (see <see cref="KiwiRaftNode.RetryLater"/>); false: the proposer fails it. Null: none.
    /// </summary>
    public Func<ApplyRequest, bool>? Retry { get; set; }

    /// <summary>Log entries whose proposal failed (their writes got an error).</summary>
    public long Failed => Volatile.Read(ref _failed);

    public void Start() => _thread.Start();

    /// <summary>Queues a client write for the next proposal; false when stopping (nothing was queued).</summary>
    public bool Propose(ApplyRequest request) => _intake.Enqueue(request);

    /// <summary>Stops proposing; queued writes that were not proposed fail.</summary>
    public void Dispose()
    {
        _cluster.LeaderChanged -= OnLeaderChanged;
        _intake.Close();
        _stop.Cancel();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        // Proposals in flight end quickly once cancelled; wait for them so no callback outlives the node.
        for (int i = 0; i < _maxInFlight; i++)
        {
            _inFlight.Wait(TimeSpan.FromSeconds(10));
        }

        _intake.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            if (!_intake.WaitForData(TimeSpan.FromMilliseconds(100)) && !_intake.IsClosed)
            {
                continue;
            }

            if (_intake.IsCompleted)
            {
                return;
            }

            // A free slot first, then drain: writes that arrive while every slot is busy join the next entry,
            // so entries grow with the load instead of the number of entries in flight.
            bool slot;
            try
            {
                _inFlight.Wait(_stop.Token);
                slot = true;
            }
            catch (OperationCanceledException)
            {
                slot = false;
            }

            int n = _intake.Drain(_drain);
            if (n == 0)
            {
                if (slot)
                {
                    _inFlight.Release();
                }

                continue;
            }

            if (!slot || _stop.IsCancellationRequested)
            {
                if (slot)
                {
                    _inFlight.Release();
                }

                FailAll(_drain.AsSpan(0, n), "ERR server is shutting down");
                continue;
            }

            if (!IsLocalLeader() && !WaitForLocalLeadership())
            {
                _inFlight.Release();
                EndPoint? leader = _cluster.Leader?.EndPoint;
                if (leader is null)
                {
                    // Known not applied, and nobody to send it to: the client decides.
                    FailAll(_drain.AsSpan(0, n), "CLUSTERDOWN no Raft leader was elected in time (try again)");
                }
                else
                {
                    // Another member leads now: this node's own writes go there.
                    RetryOrFailAll(_drain.AsSpan(0, n), FollowerError(leader));
                }

                continue;
            }

            ProposalBatch batch = _batches.Get();
            batch.Id = ++_nextProposal;
            batch.Count = n;
            BatchEntry.Begin(batch.Payload, batch.Id, n);
            for (int i = 0; i < n; i++)
            {
                ApplyRequest request = _drain[i];
                _drain[i] = null!;
                batch.Requests[i] = request;
                BatchEntry.Add(batch.Payload, new WriteId(request.WriteOrigin, request.WriteSeq), request.Payload.WrittenSpan);
            }

            _proposed++;
            _ = ReplicateAsync(batch);
        }
    }

    private async Task ReplicateAsync(ProposalBatch batch)
    {
        Exception? error = null;
        try
        {
            batch.Term = LeaderTerm();
            var entry = new BinaryLogEntry
            {
                Content = batch.Payload.WrittenMemory,
                Term = batch.Term,
                Context = batch,
            };
            await _cluster.ReplicateAsync(entry, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            _inFlight.Release();
        }

        // The log copied the payload when it appended the entry (or never will): the buffer can go either way.
        if (error is null && batch.IsPublished)
        {
            // The state machine has handed the requests to the writer: they complete from there.
            _batches.Return(batch);
            return;
        }

        if (error is not null)
        {
            Interlocked.Increment(ref _failed);
            if (batch.TryFail())
            {
                if (error is NotLeaderException)
                {
                    // The entry may still be committed by the next leader: a retry carries the same ids, so it
                    // is applied once either way.
                    RetryOrFailAll(batch.Requests.AsSpan(0, batch.Count), "TRYAGAIN this node lost the Raft leadership before the write was committed");
                }
                else
                {
                    FailAll(batch.Requests.AsSpan(0, batch.Count), error is OperationCanceledException ? "ERR server is shutting down" : "TRYAGAIN the write could not be replicated: " + error.Message);
                }
            }
        }

        // Not pooled: the log may still apply this entry later and look at its context (its id and state).
        batch.Payload.Dispose();
    }

    // DotNext appends an entry with the term the caller gives it, after checking only that the node is leader. A
    // leader stepping down raises its term first (a disk write) and leaves the leader state after, so a term read
    // from the log then is the NEXT term while the entry still lands in the old leader's log: an entry of term T
    // at an index where the new leader of T has another one. The log-matching check then accepts it, and the old
    // leader committed and applied its own write in place of the new leader's (found by the fault suite: a paused
    // leader, resumed, answered an INCR from its stale state, and a read missed an acknowledged write). An entry
    // carries the term this node was elected in; a node whose term has moved on since is not leader any more.
    private long LeaderTerm()
    {
        long term = Volatile.Read(ref _leaderTerm);
        if (term == NotLeading || term != _cluster.Term)
        {
            throw new NotLeaderException();
        }

        return term;
    }

    // An empty entry of this node's term, committed: see LeadershipConfirmations. The state machine skips it.
    private async Task ConfirmLeadershipAsync(CancellationToken token)
    {
        var entry = new BinaryLogEntry { Content = ReadOnlyMemory<byte>.Empty, Term = LeaderTerm() };
        await _cluster.ReplicateAsync(entry, token).ConfigureAwait(false);
    }

    private void OnLeaderChanged(RaftCluster<RaftClusterMember> cluster, RaftClusterMember? leader)
        => Volatile.Write(ref _leaderTerm, leader is { IsRemote: false } ? cluster.Term : NotLeading);

    /// <summary>The error a follower answers a write with.</summary>
    internal static string FollowerError(EndPoint leader) => "READONLY this node is a Raft follower; write to the leader at raft " + leader;

    private bool IsLocalLeader() => _cluster.Leader is { IsRemote: false };

    // No leader known: an election is likely under way. Wait for its outcome, bounded by LeaderWait.
    private bool WaitForLocalLeadership()
    {
        long deadline = Environment.TickCount64 + (long)_leaderWait.TotalMilliseconds;
        while (_cluster.Leader is null && Environment.TickCount64 < deadline && !_stop.IsCancellationRequested)
        {
            Thread.Sleep(5);
        }

        return IsLocalLeader();
    }

    private void RetryOrFailAll(Span<ApplyRequest> requests, string text)
    {
        Func<ApplyRequest, bool>? retry = Retry;
        for (int i = 0; i < requests.Length; i++)
        {
            ApplyRequest request = requests[i];
            requests[i] = null!;
            if (retry is null || !retry(request))
            {
                request.ReplyErrorText(text);
                request.Complete();
            }
        }
    }

    private static void FailAll(Span<ApplyRequest> requests, string text)
    {
        for (int i = 0; i < requests.Length; i++)
        {
            ApplyRequest request = requests[i];
            requests[i] = null!;
            request.ReplyErrorText(text);
            request.Complete();
        }
    }

    private sealed class BatchPolicy(int capacity) : IPooledObjectPolicy<ProposalBatch>
    {
        public ProposalBatch Create() => new(capacity);

        public bool Return(ProposalBatch obj)
        {
            obj.Reset();
            return true;
        }
    }
}
