namespace Kiwi.Extensions.Caching;

/// <summary>Options of <see cref="KiwiDistributedCache"/>.</summary>
public sealed class KiwiDistributedCacheOptions
{
    /// <summary>
    /// Prefixed to every cache key (as RedisCache's <c>InstanceName</c>), so several caches or other data share one
    /// database without colliding; null or empty (default): keys are used as given.
    /// </summary>
    public string? InstanceName { get; set; }
}
