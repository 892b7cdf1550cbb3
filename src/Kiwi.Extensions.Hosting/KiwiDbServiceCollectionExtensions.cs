using Kiwi.Core;
using Kiwi.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an embedded Kiwi.Fast database with a .NET host.</summary>
public static class KiwiDbServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="KiwiDb"/> singleton whose <see cref="KiwiDbOptions"/> are bound from
    /// <paramref name="configuration"/> (for example the <c>Kiwi</c> section: <c>Path</c>, <c>Durability</c>,
    /// <c>MemoryBudgetBytes</c>…) and validated when the host starts. The database opens when the host starts
    /// (or when first resolved, if earlier) and closes when it stops; engine events go to <c>ILogger</c>.
    /// Cluster mode (<see cref="KiwiDbOptions.Raft"/>) is configured in code: use
    /// <see cref="AddKiwiDb(IServiceCollection, Func{IServiceProvider, KiwiDbOptions})"/>.
    /// </summary>
    public static IServiceCollection AddKiwiDb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KiwiDbOptions>().Bind(configuration).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// Registers a <see cref="KiwiDb"/> singleton opened with the options <paramref name="createOptions"/> makes
    /// (called once; it may read other services, such as the logger factory for
    /// <see cref="Kiwi.Core.Raft.KiwiRaftOptions.LoggerFactory"/>). They are validated when the host starts;
    /// the database opens then and closes when the host stops.
    /// </summary>
    public static IServiceCollection AddKiwiDb(this IServiceCollection services, Func<IServiceProvider, KiwiDbOptions> createOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(createOptions);
        services.AddOptions<KiwiDbOptions>().ValidateOnStart();
        services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<KiwiDbOptions>>(sp => new KiwiDbOptionsFactory(
            sp,
            createOptions,
            sp.GetServices<IConfigureOptions<KiwiDbOptions>>(),
            sp.GetServices<IPostConfigureOptions<KiwiDbOptions>>(),
            sp.GetServices<IValidateOptions<KiwiDbOptions>>())));
        return AddCore(services);
    }

    /// <summary>
    /// Registers a database the application opened (and closes itself, after the host stopped): the host logs its
    /// engine events while it runs and the health check (<c>AddHealthChecks().AddKiwiDb()</c>) reports on it, but
    /// the host neither opens nor closes it. For applications that open the database before the host is built
    /// (kiwi-server does: it reports open failures and bounds the close itself).
    /// </summary>
    public static IServiceCollection AddKiwiDb(this IServiceCollection services, KiwiDb database)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(database);
        services.TryAddSingleton(sp => new KiwiDbLifetime(database, sp.GetRequiredService<ILogger<KiwiDbLifetime>>()));
        services.TryAddSingleton(database);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KiwiDbHostedService>());
        return services;
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KiwiDbOptions>, KiwiDbOptionsValidator>());
        services.TryAddSingleton(static sp => new KiwiDbLifetime(sp.GetRequiredService<IOptions<KiwiDbOptions>>(), sp.GetRequiredService<ILogger<KiwiDbLifetime>>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<KiwiDbLifetime>().Database);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KiwiDbHostedService>());
        return services;
    }
}
