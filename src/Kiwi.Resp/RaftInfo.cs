using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kiwi.Core;
using Kiwi.Core.Raft;

namespace Kiwi.Resp;

/// <summary>RAFT.INFO's text and INFO's raft section (admin path: allocation is fine here).</summary>
internal static class RaftInfo
{
    /// <summary>
    /// A node's id, like a Redis cluster node id: 40 lower-case hex characters, here the SHA-1 of its Raft
    /// endpoint ("host:port"), so it is the same on every start and on every node that names it.
    /// </summary>
    public static string NodeId(EndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
#pragma warning disable CA5350 // An identifier, not a security hash: SHA-1 because Redis node ids are 40 hex characters.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(endPoint.ToString() ?? string.Empty)));
#pragma warning restore CA5350
    }

    /// <summary>The node's role: leader, follower, or unknown while no leader is known (an election is under way).</summary>
    public static string Role(KiwiRaftNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.IsLeader)
        {
            return "leader";
        }

        return node.Leader is null ? "unknown" : "follower";
    }

    /// <summary>RAFT.INFO's reply: <c>name:value</c> lines, as INFO's.</summary>
    public static string Build(KiwiDb db, KiwiRaftNode node)
    {
        var text = new StringBuilder();
        Append(text, db, node);
        return text.ToString();
    }

    /// <summary>INFO's raft section: <c>raft_enabled:0</c> when standalone, else the RAFT.INFO fields.</summary>
    internal static void AppendSection(StringBuilder text, KiwiDb db)
    {
        KiwiRaftNode? node = db.Raft;
        ServerInfo.Line(text, "raft_enabled", node is null ? "0" : "1");
        if (node is not null)
        {
            Append(text, db, node);
        }
    }

    private static void Append(StringBuilder text, KiwiDb db, KiwiRaftNode node)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        // Sorted: DotNext lists members in no fixed order. "available" is as seen from this node: only a leader
        // or a candidate calls every member, so a follower shows the members it has not called "unknown".
        var members = new List<(string EndPoint, bool? Available)>();
        foreach ((EndPoint endPoint, bool? available) in node.Members)
        {
            members.Add((endPoint.ToString() ?? string.Empty, available));
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.EndPoint, b.EndPoint));
        var list = new StringBuilder();
        foreach ((string endPoint, bool? available) in members)
        {
            list.Append(list.Length > 0 ? "," : string.Empty).Append(endPoint).Append(available switch
            {
                true => "=available",
                false => "=unavailable",
                null => "=unknown",
            });
        }

        ServerInfo.Line(text, "node_id", NodeId(node.EndPoint));
        ServerInfo.Line(text, "role", Role(node));
        ServerInfo.Line(text, "term", node.Term.ToString(c));
        ServerInfo.Line(text, "leader", node.Leader?.ToString() ?? string.Empty);
        ServerInfo.Line(text, "commit_index", node.CommitIndex.ToString(c));
        ServerInfo.Line(text, "applied_index", db.FullyAppliedIndex.ToString(c));
        ServerInfo.Line(text, "last_log_index", node.LastLogIndex.ToString(c));
        ServerInfo.Line(text, "members", list.ToString());
        ServerInfo.Line(text, "proposed_entries", node.Proposed.ToString(c));
        ServerInfo.Line(text, "failed_proposals", node.FailedProposals.ToString(c));
        ServerInfo.Line(text, "forwarded_writes", node.ForwardedWrites.ToString(c));
        ServerInfo.Line(text, "retried_writes", node.RetriedWrites.ToString(c));
        ServerInfo.Line(text, "write_retries", node.WriteRetries.ToString(c));
        ServerInfo.Line(text, "write_retries_given_up", node.RetriesGivenUp.ToString(c));
        ServerInfo.Line(text, "duplicate_writes_skipped", node.DuplicatesSkipped.ToString(c));
        ServerInfo.Line(text, "read_confirmations", node.ReadConfirmations.ToString(c));
        ServerInfo.Line(text, "snapshot_index", node.SnapshotIndex.ToString(c));
        ServerInfo.Line(text, "snapshots_taken", node.SnapshotsTaken.ToString(c));
        ServerInfo.Line(text, "snapshots_installed", node.SnapshotsInstalled.ToString(c));
        ServerInfo.Line(text, "snapshots_rejected", node.SnapshotsRejected.ToString(c));
        ServerInfo.Line(text, "snapshot_bytes_fetched", node.SnapshotBytesFetched.ToString(c));
        ServerInfo.Line(text, "snapshot_bytes_served", node.SnapshotBytesServed.ToString(c));
    }
}
