using DotNext.Net.Cluster.Consensus.Raft;

namespace Kiwi.Core.Raft;

// Linearizable reads in cluster mode (#15): the leader confirms its leadership with a commit, a follower learns
// the leader's commit index and waits for it.
public sealed partial class KiwiRaftNode
{
    /// <summary>Read confirmations this node started as leader since start (each one empty log entry).</summary>
    public long ReadConfirmations => _proposer.Confirmations.Started;

    /// <summary>
    /// A linearizable read point. On the leader: an entry of its term, proposed after the call, is committed
    /// (<see cref="LeadershipConfirmations"/>). On a follower: DotNext's read barrier learns the leader's commit
    /// index, then this node waits until its storage holds every entry up to it. A read made after it sees every
    /// write acknowledged before it started, on any node. Throws when no majority answers.
    /// </summary>
    public async Task ReadBarrierAsync(CancellationToken token = default)
    {
        long deadline = Environment.TickCount64 + (long)_leaderWait.TotalMilliseconds;
        while (true)
        {
            if (_proposer.IsLeading)
            {
                try
                {
                    await _proposer.Confirmations.ConfirmAsync().WaitAsync(token).ConfigureAwait(false);
                    break;
                }
                catch (NotLeaderException)
                {
                    // Deposed meanwhile: read as a follower of the next leader.
                }
            }
            else if (!IsLeader)
            {
                await _cluster.ApplyReadBarrierAsync(ReadBarrierType.Strong, token).ConfigureAwait(false);
                break;
            }

            // DotNext still names this node leader (just elected, or stepped down and no successor heard of yet):
            // neither barrier applies until that settles.
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("this node's leadership did not settle in time");
            }

            await Task.Delay(5, token).ConfigureAwait(false);
        }

        // On a follower DotNext takes the leader's commit index as it stands, and a new leader's lags behind the
        // entries its predecessor committed until its own first entry commits (found by the fault suite: a read
        // on a follower just after a failover missed an acknowledged INCR). Once this node has applied an entry
        // of the current term, every entry of earlier terms that was ever committed is applied here too.
        long term = _cluster.Term;
        deadline = Environment.TickCount64 + (long)_leaderWait.TotalMilliseconds;
        while (_stateMachine.LastTerm < term && !IsLeader)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"no entry of term {term} reached this node in time");
            }

            long next = _log.LastAppliedIndex + 1;
            await Task.WhenAny(_log.WaitForApplyAsync(next, token).AsTask(), Task.Delay(20, token)).ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
        }

        await _worker.WaitForAppliedAsync(_stateMachine.LastPublishedIndex).WaitAsync(token).ConfigureAwait(false);
    }
}
