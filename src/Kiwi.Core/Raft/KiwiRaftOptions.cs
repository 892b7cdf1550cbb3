using System.Globalization;
using System.Net;

namespace Kiwi.Core.Raft;

/// <summary>Cluster mode: this node's Raft endpoint, the static members and the replication knobs.</summary>
public sealed class KiwiRaftOptions
{
    /// <summary>This node's Raft endpoint (its identity in the cluster).</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>Every member's Raft endpoint, this node included.</summary>
    public required IReadOnlyList<IPEndPoint> Members { get; init; }

    /// <summary>
    /// This node's RESP endpoint ("ip:port") as the other members reach it, announced to them: followers forward
    /// writes there when this node leads (and name it in <c>-MOVED</c> redirects). Null: this node takes no
    /// forwarded writes, and followers answer writes with an error naming its Raft endpoint.
    /// </summary>
    public string? ClientEndPoint { get; init; }

    /// <summary>Forward writes made on a follower to the leader (default). False: answer them with an error.</summary>
    public bool ForwardWrites { get; init; } = true;

    /// <summary>
    /// Creates the forwarder of this node's follower writes once its Raft member runs (the RESP one when the
    /// server opens the database). Null: no forwarding, whatever <see cref="ForwardWrites"/> says, and followers
    /// answer writes with an error naming the leader.
    /// </summary>
    internal Func<KiwiRaftNode, IWriteForwarder>? WriteForwarder { get; init; }

    /// <summary>
    /// Join an existing cluster: start with no configuration and wait until its leader adds this node
    /// (<c>RAFT.ADDNODE</c>); it then receives the data (a snapshot, then the log). <see cref="Members"/> still
    /// lists this node and at least one existing member.
    /// </summary>
    public bool Join { get; init; }

    /// <summary>Directory of the Raft log (default: <c>raft-log</c> inside the database directory).</summary>
    public string? LogPath { get; init; }

    /// <summary>Default of <see cref="ElectionTimeoutMin"/>, in milliseconds.</summary>
    public const int DefaultElectionTimeoutMinMs = 300;

    /// <summary>Default of <see cref="ElectionTimeoutMax"/>, in milliseconds.</summary>
    public const int DefaultElectionTimeoutMaxMs = 600;

    /// <summary>Default of <see cref="RequestTimeout"/>, in milliseconds (measured with the fault suite, README).</summary>
    public const int DefaultRequestTimeoutMs = 150;

    /// <summary>
    /// Lower bound of the election timeout: a follower that hears nothing from the leader for its timeout (drawn
    /// from this range) asks the others for a pre-vote. The range sets most of a failover's time (README, issue
    /// #15): the other follower grants the pre-vote only once its own timeout has run out as well, so a failover
    /// waits for the larger of the two followers' timeouts, a refused pre-vote costs one more, and a split vote
    /// one more drawn afresh. Too low, and a leader's stall on a busy machine starts elections (150 ms did, on 2
    /// cores, with 75 ms heartbeats); see <see cref="HeartbeatThreshold"/>.
    /// </summary>
    public TimeSpan ElectionTimeoutMin { get; init; } = TimeSpan.FromMilliseconds(DefaultElectionTimeoutMinMs);

    /// <summary>Upper bound of the election timeout.</summary>
    public TimeSpan ElectionTimeoutMax { get; init; } = TimeSpan.FromMilliseconds(DefaultElectionTimeoutMaxMs);

    /// <summary>
    /// The leader's heartbeat period as a fraction of <see cref="ElectionTimeoutMin"/> (DotNext's heartbeat
    /// threshold, from 0 to 1 excluded). Below DotNext's 0.5, so an idle leader's heartbeats leave a follower
    /// more than two chances to hear one before its election timeout runs out.
    /// </summary>
    public double HeartbeatThreshold { get; init; } = 0.3;

    /// <summary>
    /// Longest one Raft request to a peer may take, answer included: votes, heartbeats and appends alike (DotNext
    /// bounds each by this one timeout). A failover waits it out three or four times for the unreachable member:
    /// DotNext's pre-vote and vote each wait for every member's answer, not for a majority, and a new leader's first
    /// replication round decides only when the unreachable member's request ends (each follower refuses the first
    /// append, which DotNext starts past the leader's own new entry). Too short, and a live member's slow answer
    /// counts as none: a leader with one follower down steps down when the other's append takes longer (under the
    /// fault suite's load live members answered within 150 ms all but a few times a minute, README). Far longer
    /// than <see cref="ElectionTimeoutMin"/>, and a cluster with a paused or cut-off member elects no leader at all
    /// (measured at 5 s: none for 8+ s). Snapshot transfers do not depend on it: a transfer carries a manifest and
    /// the files are fetched in chunks, each bounded by <see cref="SnapshotChunkTimeout"/>.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMilliseconds(DefaultRequestTimeoutMs);

    /// <summary>
    /// What makes these timeouts unable to work together, one sentence each (empty when they can), naming the
    /// request timeout and the election timeout's lower bound as the caller's settings call them (kiwi-server's
    /// raft-* settings, this type's properties). A request timeout as long as the shortest election timeout leaves a
    /// cluster whose leader is paused or cut off without a leader: every pre-vote and vote waits that long for the
    /// unreachable member, so each election round outlasts the timeout that starts the next one. A heartbeat period
    /// (<see cref="HeartbeatThreshold"/> of it) as long as the shortest election timeout starts elections against
    /// a leader that is alive.
    /// </summary>
    internal List<string> TimeoutProblems(string requestTimeout = nameof(RequestTimeout), string electionTimeoutMin = nameof(ElectionTimeoutMin))
    {
        var problems = new List<string>();
        if (ElectionTimeoutMin <= TimeSpan.Zero || ElectionTimeoutMax < ElectionTimeoutMin)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ElectionTimeoutMin)} ({Ms(ElectionTimeoutMin)}) must be more than 0 and at most {nameof(ElectionTimeoutMax)} ({Ms(ElectionTimeoutMax)})"));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{requestTimeout} ({Ms(RequestTimeout)}) must be more than 0"));
        }
        else if (RequestTimeout >= ElectionTimeoutMin)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{requestTimeout} ({Ms(RequestTimeout)}) must be shorter than the shortest election timeout, {electionTimeoutMin} ({Ms(ElectionTimeoutMin)}): every pre-vote and vote waits that long for a paused or cut-off member, so a cluster that loses its leader would elect no other"));
        }

        if (HeartbeatThreshold is not (> 0 and < 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the heartbeat period, {nameof(HeartbeatThreshold)} ({HeartbeatThreshold}) times {electionTimeoutMin} ({Ms(ElectionTimeoutMin)}), must be more than 0 and shorter than {electionTimeoutMin}: followers would start elections against a leader that is alive"));
        }

        return problems;

        static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###} ms");
    }

    /// <summary>
    /// Longest one chunk of a snapshot fetch may take (default 10 s). A fetch that fails resumes where it stopped
    /// at the leader's next transfer.
    /// </summary>
    public TimeSpan SnapshotChunkTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a member being added (<see cref="KiwiRaftNode.AddMemberAsync"/>) may take to catch up — receive
    /// and load a snapshot, then the log — before the change is refused (default 60 s).
    /// </summary>
    public TimeSpan MemberCatchUpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where this node serves its snapshots' files to members that install them; null (default): this node's Raft
    /// address and any free port (it travels in each transfer, so nothing needs configuring).
    /// </summary>
    public IPEndPoint? SnapshotEndPoint { get; init; }

    /// <summary>Longest a connection attempt to a peer may take (default 1 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a write waits for a leader to be elected before it is answered <c>-CLUSTERDOWN</c> (writes on a
    /// node that knows another leader are answered at once).
    /// </summary>
    public TimeSpan LeaderWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long this node keeps retrying a client's write, with its id, after an attempt ended without an answer
    /// (the connection to the leader was cut, the leader lost its leadership) before it answers <c>-TRYAGAIN</c>.
    /// Safe because every member applies a write id once. Zero: no retries (the pre-#15 behaviour).
    /// </summary>
    public TimeSpan WriteRetryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A snapshot (a RocksDB checkpoint) is taken once the applied index is this many entries past the last
    /// one; the log is then compacted behind it, and members too far behind receive it instead of the log.
    /// </summary>
    public long SnapshotEvery { get; init; } = 50_000;

    /// <summary>Most client commands packed into one Raft log entry.</summary>
    public int MaxBatchCommands { get; init; } = 256;

    /// <summary>Raft log entries proposed and not yet committed at once (pipelined proposals).</summary>
    public int MaxInFlight { get; init; } = 8;

    /// <summary>Size of the Raft log's chunk files (the 4 KB default makes one mapped file per 4 KB of log).</summary>
    public int LogChunkSize { get; init; } = 4 << 20;

    /// <summary>Where the Raft library's own diagnostics go (elections, step-downs, replication failures); none when null.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }
}
