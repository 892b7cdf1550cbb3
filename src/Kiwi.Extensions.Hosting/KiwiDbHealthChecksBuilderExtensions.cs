using Kiwi.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the health check of the database registered by <c>AddKiwiDb</c>.</summary>
public static class KiwiDbHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the database is open and its writer runs, with no write batch failed since the previous
    /// check (degraded otherwise); in cluster mode also that its Raft member runs and knows a leader.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name (default <c>kiwidb</c>).</param>
    /// <param name="failureStatus">The status reported when the check fails (null: unhealthy).</param>
    /// <param name="tags">Tags to filter checks by (for example "ready").</param>
    public static IHealthChecksBuilder AddKiwiDb(this IHealthChecksBuilder builder, string name = "kiwidb", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<KiwiDbHealthCheck>();
        return builder.Add(new HealthCheckRegistration(name, static sp => sp.GetRequiredService<KiwiDbHealthCheck>(), failureStatus, tags));
    }
}
