using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;

namespace Kiwi.Core.Raft;

/// <content>What the leader knows of the other members, for ROLE, WAIT and INFO replication.</content>
public sealed partial class KiwiRaftNode
{
    /// <summary>
    /// On the leader, each other member: its Raft endpoint, the client endpoint it announced (null until learned, which
    /// is then started in the background), and whether it answered the leader's last call. DotNext 6.12 keeps each
    /// member's replication index internal (<c>IRaftClusterMember.State</c> is not accessible), so how far a given
    /// follower's log reaches is not known here. Empty on a follower, which does not call the others.
    /// </summary>
    public IReadOnlyList<(EndPoint EndPoint, string? ClientEndPoint, bool Available)> Followers()
    {
        var followers = new List<(EndPoint, string?, bool)>();
        if (!IsLeader)
        {
            return followers;
        }

        foreach (RaftClusterMember member in _cluster.Members)
        {
            if (!member.IsRemote)
            {
                continue;
            }

            string? client = member.TryGetMetadata() is { } metadata && metadata.TryGetValue(ClientEndPointKey, out string? endPoint) ? endPoint : null;
            if (client is null)
            {
                _ = FetchMetadataAsync(member);
            }

            followers.Add((member.EndPoint, client, member.Status == ClusterMemberStatus.Available));
        }

        return followers;
    }

    /// <summary>Members of the cluster, this one included.</summary>
    public int MemberCount
    {
        get
        {
            int count = 0;
            foreach (RaftClusterMember _ in _cluster.Members)
            {
                count++;
            }

            return count;
        }
    }
}
