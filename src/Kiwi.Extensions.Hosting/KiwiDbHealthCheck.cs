using Kiwi.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Healthy while the database is open and its writer runs with no new failed batch since the previous check, and,
/// in cluster mode, while its Raft member runs and knows a leader. Data: the applied index, failed batches, pending
/// writes, and the role, leader and term in cluster mode.
/// </summary>
internal sealed class KiwiDbHealthCheck(KiwiDbLifetime lifetime) : IHealthCheck
{
    private long _failedBatches;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(Check(context.Registration.FailureStatus));

    private HealthCheckResult Check(HealthStatus failure)
    {
        if (lifetime.Current is not { } db)
        {
            return new HealthCheckResult(failure, "the database is not open");
        }

        long failed = db.FailedBatches;
        var data = new Dictionary<string, object>
        {
            ["appliedIndex"] = db.AppliedIndex,
            ["failedBatches"] = failed,
            ["pendingWrites"] = db.PendingWrites,
        };
        if (!db.IsWriterRunning)
        {
            return new HealthCheckResult(failure, "the writer thread is not running", data: data);
        }

        long previous = Interlocked.Exchange(ref _failedBatches, failed);
        if (db.IsClusterMode)
        {
            if (db.Raft is not { } node)
            {
                return new HealthCheckResult(failure, "the Raft member is not running", data: data);
            }

            data["role"] = node.IsLeader ? "leader" : "follower";
            data["term"] = node.Term;
            if (node.Leader is not { } leader)
            {
                return new HealthCheckResult(failure, "no Raft leader is known: writes fail", data: data);
            }

            data["leader"] = leader.ToString() ?? string.Empty;
        }

        return failed > previous
            ? HealthCheckResult.Degraded($"{failed - previous} write batches failed to commit since the previous check", data: data)
            : HealthCheckResult.Healthy(db.IsClusterMode ? $"writer running; Raft {data["role"]}, leader {data["leader"]}" : "writer running", data);
    }
}
