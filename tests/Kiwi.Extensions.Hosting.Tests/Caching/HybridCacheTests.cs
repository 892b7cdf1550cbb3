using Kiwi.Core;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Kiwi.Extensions.Hosting.Tests.Caching;

public sealed class HybridCacheTests
{
    private static ServiceProvider Instance(KiwiDb db)
    {
        var services = new ServiceCollection();
        services.AddSingleton(db);
        services.AddKiwiDistributedCache(o => o.InstanceName = "hc:");
        services.AddHybridCache();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AValueSetThroughOneHybridCache_IsReadByAnotherSharingTheDatabase()
    {
        using var dir = new TempDir();
        using KiwiDb db = KiwiDb.Open(dir.Path);
        await using ServiceProvider one = Instance(db);
        await using ServiceProvider two = Instance(db);
        Assert.IsType<Kiwi.Extensions.Caching.KiwiDistributedCache>(one.GetRequiredService<IDistributedCache>());

        await one.GetRequiredService<HybridCache>().SetAsync("order:42", "shipped");

        // The second instance's memory cache is empty: only the second level (the KiwiDb) has the value.
        string value = await two.GetRequiredService<HybridCache>().GetOrCreateAsync<string>(
            "order:42",
            static _ => throw new InvalidOperationException("the factory must not run: the value is in the second level"));
        Assert.Equal("shipped", value);
        Assert.Equal(1, db.Exists("hc:order:42"));

        await two.GetRequiredService<HybridCache>().RemoveAsync("order:42");
        Assert.Equal(0, db.Exists("hc:order:42"));
    }
}
