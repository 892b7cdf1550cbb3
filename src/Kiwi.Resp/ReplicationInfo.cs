using System.Globalization;
using System.Net;
using System.Text;
using Kiwi.Core;
using Kiwi.Core.Raft;

namespace Kiwi.Resp;

/// <summary>
/// ROLE, WAIT and INFO replication from the Raft roles: standalone and a leader are masters (the leader's replicas
/// are the followers, with the log index each is known to hold as its offset), a follower is a replica of the
/// leader. Offsets are log indexes, not Redis's byte offsets. DotNext does not expose how far each follower's log
/// reaches, so a follower that answered the leader's last call shows the commit index and one that did not shows 0,
/// and WAIT answers the followers a commit guarantees (a majority, the leader included, holds every committed entry).
/// </summary>
internal static class ReplicationInfo
{
    /// <summary>ROLE's reply.</summary>
    public static void WriteRole(ref CommandContext ctx)
    {
        KiwiRaftNode? node = ctx.Db.Raft;
        if (node is null || node.IsLeader)
        {
            IReadOnlyList<(EndPoint EndPoint, string? ClientEndPoint, bool Available)> followers = node?.Followers() ?? [];
            long commit = node?.CommitIndex ?? 0;
            ctx.Writer.WriteArrayHeader(3);
            ctx.Writer.WriteBulk("master"u8);
            ctx.Writer.WriteInteger(node?.CommitIndex ?? 0);
            ctx.Writer.WriteArrayHeader(followers.Count);
            foreach ((EndPoint endPoint, string? client, bool available) in followers)
            {
                long matched = available ? commit : 0;
                (string host, string port) = Split(client ?? endPoint.ToString() ?? string.Empty);
                ctx.Writer.WriteArrayHeader(3);
                ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(host));
                ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(port));
                ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(matched.ToString(CultureInfo.InvariantCulture)));
            }

            return;
        }

        (string leaderHost, string leaderPort) = Split(node.LeaderClientEndPoint ?? string.Empty);
        ctx.Writer.WriteArrayHeader(5);
        ctx.Writer.WriteBulk("slave"u8);
        ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(leaderHost));
        ctx.Writer.WriteInteger(long.TryParse(leaderPort, NumberStyles.None, CultureInfo.InvariantCulture, out long leaderPortNumber) ? leaderPortNumber : -1);
        ctx.Writer.WriteBulk(node.Leader is null ? "connect"u8 : "connected"u8);
        ctx.Writer.WriteInteger(ctx.Db.FullyAppliedIndex);
    }

    /// <summary>
    /// WAIT's count, at once: standalone 0; in cluster mode the followers every committed write is known to reach:
    /// a majority of the members holds it, the leader being one of them (every write this client was answered was
    /// committed first).
    /// </summary>
    public static long Acknowledged(KiwiDb db) => db.Raft is { } node ? (node.MemberCount / 2) + 1 - 1 : 0;

    /// <summary>INFO replication.</summary>
    public static void AppendSection(StringBuilder text, ServerState server)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        KiwiRaftNode? node = server.Db.Raft;
        if (node is not null && !node.IsLeader)
        {
            (string host, string port) = Split(node.LeaderClientEndPoint ?? string.Empty);
            ServerInfo.Line(text, "role", "slave");
            ServerInfo.Line(text, "master_host", host);
            ServerInfo.Line(text, "master_port", port);
            ServerInfo.Line(text, "master_link_status", node.Leader is null ? "down" : "up");
            ServerInfo.Line(text, "master_last_io_seconds_ago", "0");
            ServerInfo.Line(text, "master_sync_in_progress", "0");
            ServerInfo.Line(text, "slave_read_repl_offset", server.Db.FullyAppliedIndex.ToString(c));
            ServerInfo.Line(text, "slave_repl_offset", server.Db.FullyAppliedIndex.ToString(c));
            ServerInfo.Line(text, "slave_priority", "100");
            ServerInfo.Line(text, "slave_read_only", "0");
            ServerInfo.Line(text, "replica_announced", "1");
            ServerInfo.Line(text, "connected_slaves", "0");
        }
        else
        {
            IReadOnlyList<(EndPoint EndPoint, string? ClientEndPoint, bool Available)> followers = node?.Followers() ?? [];
            long commit = node?.CommitIndex ?? 0;
            ServerInfo.Line(text, "role", "master");
            ServerInfo.Line(text, "connected_slaves", followers.Count.ToString(c));
            for (int i = 0; i < followers.Count; i++)
            {
                (string host, string port) = Split(followers[i].ClientEndPoint ?? followers[i].EndPoint.ToString() ?? string.Empty);
                ServerInfo.Line(text, "slave" + i.ToString(c), $"ip={host},port={port},state={(followers[i].Available ? "online" : "wait_bgsave")},offset={(followers[i].Available ? commit : 0).ToString(c)},lag=0");
            }
        }

        long offset = node?.CommitIndex ?? 0;
        ServerInfo.Line(text, "master_failover_state", "no-failover");
        ServerInfo.Line(text, "master_replid", server.RunId);
        ServerInfo.Line(text, "master_replid2", "0000000000000000000000000000000000000000");
        ServerInfo.Line(text, "master_repl_offset", offset.ToString(c));
        ServerInfo.Line(text, "second_repl_offset", "-1");
        ServerInfo.Line(text, "repl_backlog_active", "0");
        ServerInfo.Line(text, "repl_backlog_size", "1048576");
        ServerInfo.Line(text, "repl_backlog_first_byte_offset", "0");
        ServerInfo.Line(text, "repl_backlog_histlen", "0");
    }

    private static (string Host, string Port) Split(string endPoint)
    {
        int colon = endPoint.LastIndexOf(':');
        return colon < 0 ? (endPoint, "0") : (endPoint[..colon], endPoint[(colon + 1)..]);
    }
}
