using System.Net;
using Kiwi.Core;
using Kiwi.Core.Raft;
using Microsoft.Extensions.Logging;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Turns the engine's counters and Raft state into log events: the engine reports them as numbers and properties,
/// not callbacks, so each <see cref="Check"/> compares with what the previous one saw. One caller at a time.
/// </summary>
internal sealed class KiwiDbEventMonitor(ILogger logger)
{
    private long _failedBatches;
    private bool _writerReported;
    private EndPoint? _leader;
    private bool _wasLeader;

    /// <summary>Logs what changed since the previous check.</summary>
    public void Check(KiwiDb db)
    {
        long failed = db.FailedBatches;
        if (failed > _failedBatches)
        {
            KiwiDbLog.BatchesFailed(logger, failed - _failedBatches, failed);
        }

        _failedBatches = failed;
        if (!_writerReported && !db.IsWriterRunning)
        {
            _writerReported = true;
            KiwiDbLog.WriterStopped(logger);
        }

        if (db.Raft is { } node)
        {
            CheckRole(node);
        }
    }

    private void CheckRole(KiwiRaftNode node)
    {
        EndPoint? leader = node.Leader;
        bool isLeader = node.IsLeader;
        if (Equals(leader, _leader) && isLeader == _wasLeader)
        {
            return;
        }

        if (leader is null)
        {
            KiwiDbLog.LeaderLost(logger, node.Term, _leader!);
        }
        else
        {
            KiwiDbLog.LeaderChanged(logger, leader, node.Term, node.EndPoint, isLeader ? "the leader" : "a follower");
        }

        _leader = leader;
        _wasLeader = isLeader;
    }
}
