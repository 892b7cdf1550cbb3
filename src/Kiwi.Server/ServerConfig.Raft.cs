using System.Globalization;
using System.Net;
using Kiwi.Core.Raft;
using Kiwi.Resp.Raft;
using Microsoft.Extensions.Logging;

namespace Kiwi.Server;

/// <summary>
/// Cluster mode settings: with <c>raft-members</c> set the node replicates every write through Raft, its Raft
/// endpoint being <c>raft-bind:raft-port</c>; without it the server is standalone and the other raft-* settings
/// are ignored.
/// </summary>
public sealed partial class ServerConfig
{
    /// <summary>raft-port N: this node's Raft port (required with <see cref="RaftMembers"/>; 0 = not set).</summary>
    public int RaftPort { get; set; }

    /// <summary>raft-bind ADDRESS: this node's Raft address (null: the same as <see cref="Bind"/>).</summary>
    public string? RaftBind { get; set; }

    /// <summary>raft-members IP:port,IP:port,...: every member's Raft endpoint, this node included (empty: standalone).</summary>
    public IReadOnlyList<IPEndPoint> RaftMembers { get; set; } = [];

    /// <summary>raft-log-dir: directory of the Raft log (null: <c>raft-log</c> inside <see cref="Dir"/>).</summary>
    public string? RaftLogDir { get; set; }

    /// <summary>
    /// raft-stale-reads yes|no (default no): with yes, reads are answered from this node's storage at once (fast,
    /// possibly behind the leader); with no, each read waits for a read barrier and is linearizable.
    /// </summary>
    public bool RaftStaleReads { get; set; }

    /// <summary>
    /// raft-redirect yes|no (default no): with yes, a follower answers writes <c>-MOVED 0 leader-ip:port</c>
    /// (Redis Cluster's redirect) instead of forwarding them to the leader.
    /// </summary>
    public bool RaftRedirect { get; set; }

    /// <summary>
    /// raft-join yes|no (default no): start with no configuration and wait for the leader's RAFT.ADDNODE, to
    /// join a running cluster (raft-members then lists this node and at least one existing member).
    /// </summary>
    public bool RaftJoin { get; set; }

    /// <summary>raft-snapshot-every N: log entries between two snapshots (default 50000).</summary>
    public long RaftSnapshotEvery { get; set; } = 50_000;

    /// <summary>
    /// raft-request-timeout MS: longest one Raft request to a peer may take — votes, heartbeats, appends (default
    /// <see cref="KiwiRaftOptions.DefaultRequestTimeoutMs"/>; a failover waits it out three or four times for the
    /// unreachable member, see <see cref="KiwiRaftOptions.RequestTimeout"/>). Snapshot files travel apart, in
    /// chunks (raft-snapshot-port).
    /// </summary>
    public long RaftRequestTimeoutMs { get; set; } = KiwiRaftOptions.DefaultRequestTimeoutMs;

    /// <summary>
    /// raft-election-timeout MIN-MAX: the range, in milliseconds, a follower's election timeout is drawn from
    /// (default <see cref="KiwiRaftOptions.DefaultElectionTimeoutMinMs"/>-<see cref="KiwiRaftOptions.DefaultElectionTimeoutMaxMs"/>;
    /// see <see cref="KiwiRaftOptions.ElectionTimeoutMin"/>).
    /// </summary>
    public (int Min, int Max) RaftElectionTimeoutMs { get; set; } = (KiwiRaftOptions.DefaultElectionTimeoutMinMs, KiwiRaftOptions.DefaultElectionTimeoutMaxMs);

    /// <summary>
    /// raft-log-level none|error|warning|information|debug (default none): the Raft library's diagnostics (elections,
    /// votes, step-downs, members found unavailable) on standard output, one line each with a UTC timestamp.
    /// </summary>
    public LogLevel RaftLogLevel { get; set; } = LogLevel.None;

    // One per server (CreateRaftOptions runs at parse and at start): at debug it listens to DotNext's metrics.
    private ILoggerFactory? _raftLoggerFactory;

    /// <summary>raft-snapshot-port N: the port this node serves its snapshots' files on (default 0: any free port, announced in each transfer).</summary>
    public int RaftSnapshotPort { get; set; }

    /// <summary>
    /// raft-write-retry MS: how long a node keeps retrying a client's write, with its id, after an attempt ended
    /// without an answer (a cut connection to the leader, a leader change) before it answers TRYAGAIN (default
    /// 5000; 0: no retries). Every member applies a write id once, so a retry never applies a write twice.
    /// </summary>
    public long RaftWriteRetryMs { get; set; } = 5_000;

    /// <summary>True when <see cref="RaftMembers"/> is set: the server runs as a member of a Raft cluster.</summary>
    public bool ClusterMode => RaftMembers.Count > 0;

    private string EffectiveRaftBind => RaftBind ?? Bind;

    private string EffectiveRaftLogDir => ClusterMode || RaftLogDir is not null
        ? Path.GetFullPath(RaftLogDir ?? Path.Combine(Dir, "raft-log"))
        : string.Empty;

    /// <summary>
    /// The Raft options of cluster mode, or null when standalone. Throws <see cref="FormatException"/> with the
    /// reason when the settings do not make a member: no raft-port, a raft-bind that is not an IP address, an
    /// endpoint that raft-members does not list, or a raft-request-timeout not shorter than the shortest
    /// raft-election-timeout.
    /// </summary>
    public KiwiRaftOptions? CreateRaftOptions()
    {
        if (!ClusterMode)
        {
            return null;
        }

        if (RaftPort == 0)
        {
            throw new FormatException($"raft-members is set but raft-port is not: give this node's Raft port (--raft-port N), as listed in raft-members ({FormatRaftMembers()})");
        }

        string bind = EffectiveRaftBind;
        if (!IPAddress.TryParse(bind, out IPAddress? address))
        {
            throw new FormatException($"raft-bind must be an IP address, not '{bind}'{(RaftBind is null ? " (it defaults to bind)" : string.Empty)}");
        }

        var self = new IPEndPoint(address, RaftPort);
        if (!Contains(RaftMembers, self))
        {
            string hint = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
                ? "; raft-bind must be the address the other members reach this node at, not a wildcard"
                : string.Empty;
            throw new FormatException($"this node's Raft endpoint {self} (raft-bind:raft-port) is not in raft-members ({FormatRaftMembers()}): every node lists every member, itself included{hint}");
        }

        var options = new KiwiRaftOptions
        {
            EndPoint = self,
            Members = RaftMembers,
            LogPath = EffectiveRaftLogDir,

            // Announced to the other members: where followers forward writes (and what -MOVED names). Port 0
            // (a test's ephemeral port) is not known before the listener starts: nothing is announced then.
            ClientEndPoint = Port == 0 ? null : new IPEndPoint(address, Port).ToString(),
            ForwardWrites = !RaftRedirect,

            // Forwarding connections speak RESP to the leader, giving it the cluster's requirepass.
            WriteForwarder = node => new RaftForwarder(node, RequirePass),
            Join = RaftJoin,
            SnapshotEvery = RaftSnapshotEvery,
            RequestTimeout = TimeSpan.FromMilliseconds(RaftRequestTimeoutMs),
            ElectionTimeoutMin = TimeSpan.FromMilliseconds(RaftElectionTimeoutMs.Min),
            ElectionTimeoutMax = TimeSpan.FromMilliseconds(RaftElectionTimeoutMs.Max),
            LoggerFactory = RaftLogLevel == LogLevel.None ? null : _raftLoggerFactory ??= RaftDiagnostics.Create(RaftLogLevel),
            SnapshotEndPoint = new IPEndPoint(address, RaftSnapshotPort),
            WriteRetryTimeout = TimeSpan.FromMilliseconds(RaftWriteRetryMs),
        };

        string electionTimeout = string.Create(CultureInfo.InvariantCulture, $"the lower bound of raft-election-timeout {RaftElectionTimeoutMs.Min}-{RaftElectionTimeoutMs.Max}");
        return options.TimeoutProblems("raft-request-timeout", electionTimeout) is [_, ..] problems
            ? throw new FormatException(string.Join("; ", problems))
            : options;
    }

    private string FormatRaftMembers() => string.Join(',', RaftMembers);

    private static bool Contains(IReadOnlyList<IPEndPoint> members, IPEndPoint endPoint)
    {
        foreach (IPEndPoint member in members)
        {
            if (member.Equals(endPoint))
            {
                return true;
            }
        }

        return false;
    }

    private static int ParseRaftPort(string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? port
            : throw new FormatException($"raft-port must be a port number from 1 to 65535, not '{value}'");

    private static int ParseSnapshotPort(string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 0 and <= 65535
            ? port
            : throw new FormatException($"raft-snapshot-port must be a port number from 0 (any free port) to 65535, not '{value}'");

    /// <summary>"MIN-MAX" in milliseconds, 1 &lt;= MIN &lt;= MAX.</summary>
    private static (int Min, int Max) ParseElectionTimeout(string value)
    {
        string[] parts = value.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            && min >= 1 && max >= min
                ? (min, max)
                : throw new FormatException($"raft-election-timeout must be MIN-MAX in milliseconds (for example 400-800), not '{value}'");
    }

    private static LogLevel ParseRaftLogLevel(string value) => value.ToLowerInvariant() switch
    {
        "none" => LogLevel.None,
        "error" => LogLevel.Error,
        "warning" => LogLevel.Warning,
        "information" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        _ => throw new FormatException($"raft-log-level must be none, error, warning, information or debug, not '{value}'"),
    };

    private static string? ParseRaftBind(string value)
    {
        string address = value.Trim();
        if (address.Length == 0)
        {
            return null;
        }

        return IPAddress.TryParse(address, out _) ? address : throw new FormatException($"raft-bind must be an IP address, not '{value}'");
    }

    /// <summary>"IP:port,IP:port,...": each member an IP address with an explicit port (no host names), no repeats.</summary>
    private static IPEndPoint[] ParseRaftMembers(string value)
    {
        var members = new List<IPEndPoint>();
        foreach (string item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPEndPoint.TryParse(item, out IPEndPoint? endPoint) || endPoint.Port == 0)
            {
                throw new FormatException($"raft-members: '{item}' is not an IP:port (for example 127.0.0.1:7479; host names are not supported)");
            }

            if (Contains(members, endPoint))
            {
                throw new FormatException($"raft-members lists {endPoint} twice");
            }

            members.Add(endPoint);
        }

        return [.. members];
    }
}
