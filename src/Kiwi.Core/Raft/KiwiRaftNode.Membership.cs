using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;

namespace Kiwi.Core.Raft;

// Membership changes (RAFT.ADDNODE / RAFT.REMOVENODE), run on the leader one at a time.
public sealed partial class KiwiRaftNode
{
    /// <summary>
    /// Adds a member (leader only; one change at a time). The new node must run with
    /// <see cref="KiwiRaftOptions.Join"/>; it receives a snapshot and the log. Returns an error text, or null.
    /// </summary>
    public Task<string?> AddMemberAsync(IPEndPoint member, CancellationToken token = default)
        => ChangeMembershipAsync(member, add: true, token);

    /// <summary>Removes a member (leader only; one change at a time). Returns an error text, or null.</summary>
    public Task<string?> RemoveMemberAsync(IPEndPoint member, CancellationToken token = default)
        => ChangeMembershipAsync(member, add: false, token);

    private async Task<string?> ChangeMembershipAsync(IPEndPoint member, bool add, CancellationToken token)
    {
        if (!IsLeader)
        {
            return Leader is { } leader ? "READONLY membership changes run on the leader, raft " + leader : "CLUSTERDOWN no Raft leader is elected (try again)";
        }

        try
        {
            bool done = add
                ? await _cluster.AddMemberAsync(member, token).ConfigureAwait(false)
                : await _cluster.RemoveMemberAsync(member, token).ConfigureAwait(false);
            if (!done)
            {
                return add ? $"ERR {member} could not be added (is it running with raft-join?)" : $"ERR {member} is not a member";
            }

            // Committed; the member list follows in the background. Answer once it shows the change, so a
            // RAFT.INFO right after the reply already lists the new members.
            await WaitForMemberListAsync(member, add, token).ConfigureAwait(false);
            return null;
        }
        catch (RaftCluster<RaftClusterMember>.ConcurrentMembershipModificationException)
        {
            return "ERR another membership change is in progress; one change at a time";
        }
        catch (Exception ex) when (ex is NotLeaderException or OperationCanceledException or TimeoutException)
        {
            return "TRYAGAIN the membership change did not complete: " + ex.Message;
        }
    }

    private async Task WaitForMemberListAsync(IPEndPoint member, bool present, CancellationToken token)
    {
        long deadline = Environment.TickCount64 + 2_000;
        while (HasMember(member) != present && Environment.TickCount64 < deadline)
        {
            await Task.Delay(5, token).ConfigureAwait(false);
        }
    }

    private bool HasMember(IPEndPoint member)
    {
        foreach (RaftClusterMember m in _cluster.Members)
        {
            if (member.Equals(m.EndPoint))
            {
                return true;
            }
        }

        return false;
    }
}
