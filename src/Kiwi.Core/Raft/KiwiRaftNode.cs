using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Raft;

/// <summary>
/// This node's Raft member (DotNext's <see cref="RaftCluster"/> over TCP, with its write-ahead log): committed
/// entries flow into the commit ring through <see cref="KiwiStateMachine"/>, and writes made on the leader are
/// proposed in batches by <see cref="RaftProposer"/>.
/// </summary>
public sealed partial class KiwiRaftNode : IAsyncDisposable
{
    private readonly RaftCluster _cluster;
    private readonly WriteAheadLog _log;
    private readonly KiwiStateMachine _stateMachine;
    private readonly RaftProposer _proposer;
    private readonly ApplyWorker _worker;
    private readonly SnapshotFileServer _files;
    private readonly TimeSpan _leaderWait;
    private IWriteForwarder? _forwarder;
    private int _disposed;

    /// <summary>The Raft metadata key holding a member's client (RESP) endpoint.</summary>
    internal const string ClientEndPointKey = "kiwi-resp";

    private KiwiRaftNode(RaftCluster cluster, WriteAheadLog log, KiwiStateMachine stateMachine, RaftProposer proposer, IPEndPoint endPoint, ApplyWorker worker, SnapshotFileServer files, TimeSpan leaderWait, PendingWrites pending, TimeSpan retryTimeout)
    {
        _worker = worker;
        _files = files;
        _leaderWait = leaderWait;
        _pending = pending;
        _retryTimeout = retryTimeout;
        _cluster = cluster;
        _log = log;
        _stateMachine = stateMachine;
        _proposer = proposer;
        EndPoint = endPoint;
    }

    /// <summary>This node's Raft endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>True while this node is the leader (writes made here are proposed).</summary>
    public bool IsLeader => _cluster.Leader is { IsRemote: false };

    /// <summary>The leader's Raft endpoint, or null while there is none.</summary>
    public EndPoint? Leader => _cluster.Leader?.EndPoint;

    /// <summary>The current term.</summary>
    public long Term => _cluster.Term;

    /// <summary>The highest log index known committed here.</summary>
    public long CommitIndex => _log.LastCommittedEntryIndex;

    /// <summary>The highest log index handed to the writer by the log.</summary>
    public long LastAppliedByLog => _log.LastAppliedIndex;

    /// <summary>The highest log index in the local log.</summary>
    public long LastLogIndex => _log.LastEntryIndex;

    /// <summary>
    /// Members and whether each answered this node's last call: null when this node has not called it (a follower
    /// calls nobody while it hears from the leader; only a leader or a candidate calls every member).
    /// </summary>
    public IEnumerable<(EndPoint EndPoint, bool? Available)> Members
    {
        get
        {
            foreach (RaftClusterMember member in _cluster.Members)
            {
                yield return (member.EndPoint, member.Status switch
                {
                    DotNext.Net.Cluster.ClusterMemberStatus.Available => true,
                    DotNext.Net.Cluster.ClusterMemberStatus.Unavailable => false,
                    _ => member.IsRemote ? null : true,
                });
            }
        }
    }

    /// <summary>Log entries proposed by this node since start.</summary>
    public long Proposed => _proposer.Proposed;

    /// <summary>Proposals that failed (their writes were answered with an error).</summary>
    public long FailedProposals => _proposer.Failed;

    /// <summary>Log entries the state machine handed to the writer since start.</summary>
    public long AppliedEntries => _stateMachine.AppliedEntries;

    /// <summary>Client commands the state machine handed to the writer since start.</summary>
    public long AppliedCommands => _stateMachine.AppliedCommands;

    /// <summary>Time the state machine spent handing entries to the writer (decode, copy, enqueue).</summary>
    public TimeSpan StateMachineTime => _stateMachine.ApplyTime;

    /// <summary>Snapshots taken by this node since start.</summary>
    public long SnapshotsTaken => _stateMachine.SnapshotsTaken;

    /// <summary>Snapshots received from a leader and installed since start.</summary>
    public long SnapshotsInstalled => _stateMachine.SnapshotsInstalled;

    /// <summary>Snapshot transfers this node rejected (cut or altered) since start; the leader sends them again.</summary>
    public long SnapshotsRejected => _stateMachine.SnapshotsRejected;

    /// <summary>
    /// Snapshots this node took, as leader, because one was about to be sent again to a member that may already
    /// hold it (a newer one is what such a member accepts) since start.
    /// </summary>
    public long SnapshotsForResend => _stateMachine.SnapshotsForResend;

    /// <summary>Index of the newest snapshot (the log is compacted up to it), or 0.</summary>
    public long SnapshotIndex => _stateMachine.Snapshot?.Index ?? 0;

    /// <summary>Log entries skipped at start because storage already held them.</summary>
    public long SkippedAtStart => _stateMachine.SkippedEntries;

    /// <summary>Waits until some node is the leader; false on timeout.</summary>
    public async Task<bool> WaitForLeaderAsync(TimeSpan timeout, CancellationToken token = default)
    {
        try
        {
            return await _cluster.WaitForLeaderAsync(timeout, token).ConfigureAwait(false) is not null;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    internal static async Task<KiwiRaftNode> StartAsync(ApplyWorker worker, KiwiRaftOptions options, string dataPath, int ringCapacity, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(options.EndPoint);
        if (options.Members.Count == 0 || !options.Members.Contains(options.EndPoint))
        {
            throw new ArgumentException($"the Raft members must include this node ({options.EndPoint})", nameof(options));
        }

        List<IPEndPoint>? stored = PersistedMembers.Read(dataPath);
        SnapshotFileServer files = SnapshotFileServer.Start(options.SnapshotEndPoint ?? new IPEndPoint(options.EndPoint.Address, 0));
        var snapshots = new SnapshotStore(Path.Combine(dataPath, "snapshots"), files);
        if (ApplyWorker.InterruptedInstall(worker.Engine) is { } interrupted)
        {
            // A crash while a snapshot was being loaded: finish loading it before the log replays on top.
            if (!Directory.Exists(interrupted))
            {
                throw new KiwiException($"ERR a snapshot install was interrupted and its files ({interrupted}) are gone: empty the data directory and let the node rejoin");
            }

            await worker.RunLocalAsync(EntryKind.Install, interrupted).ConfigureAwait(false);
        }

        var pending = new PendingWrites(ringCapacity, WriteId.NewOrigin());
        var stateMachine = new KiwiStateMachine(worker, snapshots, options.SnapshotEvery, options.ConnectTimeout, options.SnapshotChunkTimeout, pending);
        string logPath = options.LogPath ?? Path.Combine(dataPath, "raft-log");
        var log = new WriteAheadLog(new WriteAheadLog.Options { Location = logPath, ChunkSize = options.LogChunkSize }, stateMachine);
        RaftCluster? cluster = null;
        RaftProposer? proposer = null;
        try
        {
            var configuration = new RaftCluster.TcpConfiguration(options.EndPoint)
            {
                ConnectTimeout = options.ConnectTimeout,
                GracefulShutdownTimeout = TimeSpan.FromSeconds(1),
                ConfigurationStorage = PersistedMembers.Open(dataPath, options.Members, options.Join),
                ColdStart = false,
                LowerElectionTimeout = (int)options.ElectionTimeoutMin.TotalMilliseconds,
                UpperElectionTimeout = (int)options.ElectionTimeoutMax.TotalMilliseconds,
                HeartbeatThreshold = options.HeartbeatThreshold,
                RequestTimeout = options.RequestTimeout,

                // A leader that is alive rejects pre-votes: a follower that missed heartbeats under CPU starvation
                // does not start an election the leader would lose for nothing (DotNext pre-votes always; a
                // returning node that was paused or cut off cannot depose a healthy leader).
                AggressiveLeaderStickiness = false,

                // A member being added must catch up within this many replication rounds, a failed one (a request
                // timed out while its snapshot installs) included: enough for MemberCatchUpTimeout.
                WarmupRounds = (int)Math.Clamp(Math.Ceiling(options.MemberCatchUpTimeout / options.RequestTimeout), 10, 100_000),
                LoggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            };

            if (options.ClientEndPoint is { } client)
            {
                configuration.Metadata[ClientEndPointKey] = client;
            }

            cluster = new RaftCluster(configuration) { AuditTrail = log };
            proposer = new RaftProposer(cluster, options, ringCapacity);
            proposer.Start();
            await cluster.StartAsync(token).ConfigureAwait(false);
            var node = new KiwiRaftNode(cluster, log, stateMachine, proposer, options.EndPoint, worker, files, options.LeaderWait, pending, options.WriteRetryTimeout)
            {
                StartNote = stored is null || new HashSet<IPEndPoint>(stored).SetEquals(options.Members) ? null
                    : $"the members stored in {Path.Combine(dataPath, PersistedMembers.FileName)} ({string.Join(',', stored)}) differ from the configured ones; the stored list is the cluster's current one and is used (the configured list only seeds a new data directory)",
            };
            node._forwarder = options.ForwardWrites ? options.WriteForwarder?.Invoke(node) : null;
            node.StartRetrying();
            return node;
        }
        catch
        {
            proposer?.Dispose();
            if (cluster is not null)
            {
                cluster.Dispose();
            }

            await log.DisposeAsync().ConfigureAwait(false);
            stateMachine.Dispose();
            files.Dispose();
            throw;
        }
    }

    /// <summary>Where this node serves its snapshots' files to members that install them.</summary>
    public IPEndPoint SnapshotEndPoint => _files.EndPoint;

    /// <summary>Snapshot file bytes this node fetched from leaders since start.</summary>
    public long SnapshotBytesFetched => _stateMachine.SnapshotBytesFetched;

    /// <summary>Snapshot file bytes this node served to other members since start.</summary>
    public long SnapshotBytesServed => _files.BytesServed;

    /// <summary>
    /// Something worth telling the operator about how this member started (its stored member list differs from the
    /// configured one), or null.
    /// </summary>
    public string? StartNote { get; private init; }

    /// <summary>
    /// Proposes a client write (the leader), or answers it at once with an error naming the leader.
    /// </summary>
    internal void Propose(ApplyRequest request)
    {
        if (request.WriteOrigin == 0)
        {
            // A client's write accepted here: its id for every attempt.
            _pending.Assign(request);
        }

        if (!IsLeader && Leader is { } leader)
        {
            if (_forwarder is not null && !request.Forwarded)
            {
                // Registered, its reply can also come from this node's own apply, and a cut connection retries it.
                bool registered = !request.IsRetry && _retryTimeout > TimeSpan.Zero && _pending.TryRegister(request);
                _forwarder.Forward(request, leader, registered);
                return;
            }

            request.ReplyErrorText(request.Forwarded
                ? "TRYAGAIN this node is no longer the Raft leader; the forwarded write was not applied"
                : RedirectError(leader));
            request.Complete();
            return;
        }

        // The leader, or no leader yet: the proposer waits a bounded time for an election.
        if (!_proposer.Propose(request))
        {
            request.ReplyErrorText("ERR server is shutting down");
            request.Complete();
        }
    }

    /// <summary>Writes this follower forwarded to the leader since start.</summary>
    public long ForwardedWrites => _forwarder?.Forwarded ?? 0;

    /// <summary>The leader's RESP endpoint as it announced it, when this node has learned it.</summary>
    public string? LeaderClientEndPoint
    {
        get
        {
            RaftClusterMember? leader = _cluster.Leader;
            return leader?.TryGetMetadata() is { } metadata && metadata.TryGetValue(ClientEndPointKey, out string? endPoint) ? endPoint : null;
        }
    }

    /// <summary>
    /// The client endpoint ("ip:port") the member at <paramref name="raftEndPoint"/> announced, asked of it when not
    /// known yet; null when it announced none or is not a member.
    /// </summary>
    internal async ValueTask<string?> GetClientEndPointAsync(EndPoint raftEndPoint, CancellationToken token)
    {
        foreach (RaftClusterMember member in _cluster.Members)
        {
            if (member.EndPoint.Equals(raftEndPoint))
            {
                IReadOnlyDictionary<string, string> metadata = await member.GetMetadataAsync(false, token).ConfigureAwait(false);
                return metadata.TryGetValue(ClientEndPointKey, out string? endPoint) ? endPoint : null;
            }
        }

        return null;
    }

    // Without forwarding: Redis Cluster's redirect once the leader's client endpoint is known (asked for here,
    // in the background, the first time).
    private string RedirectError(EndPoint leader)
    {
        if (LeaderClientEndPoint is { } endPoint)
        {
            return "MOVED 0 " + endPoint;
        }

        if (_cluster.Leader is { } member)
        {
            _ = FetchMetadataAsync(member);
        }

        return RaftProposer.FollowerError(leader);
    }

    private static async Task FetchMetadataAsync(RaftClusterMember member)
    {
        try
        {
            await member.GetMetadataAsync(false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Asked again by the next write.
        }
    }

    /// <summary>Stops proposing, leaves the cluster and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _proposer.Dispose();
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        }

        FailPending();

        await _cluster.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _cluster.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
        _stateMachine.Dispose();
        _files.Dispose();
    }
}
