using Kiwi.Extensions.Caching;
using Microsoft.Extensions.Caching.Distributed;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="KiwiDistributedCache"/> as the application's <see cref="IDistributedCache"/>.</summary>
public static class KiwiDistributedCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IDistributedCache"/> (also an <see cref="IBufferDistributedCache"/>) over the
    /// <c>KiwiDb</c> of the container (from <c>AddKiwiDb</c>, or a singleton the application registers).
    /// <c>AddHybridCache()</c> then uses it as its second level.
    /// </summary>
    public static IServiceCollection AddKiwiDistributedCache(this IServiceCollection services, Action<KiwiDistributedCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<KiwiDistributedCacheOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        // Added, not tried: as AddStackExchangeRedisCache, the last registered cache is the one resolved.
        services.AddSingleton<IDistributedCache, KiwiDistributedCache>();
        return services;
    }
}
