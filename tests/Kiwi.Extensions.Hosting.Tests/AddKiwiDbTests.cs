using Kiwi.Core;
using Kiwi.Core.Apply;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiwi.Extensions.Hosting.Tests;

public sealed class AddKiwiDbTests
{
    private static IHost BuildHost(IEnumerable<KeyValuePair<string, string?>> settings, CapturingLoggerProvider? logs = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddKiwiDb(builder.Configuration.GetSection("Kiwi"));
        return builder.Build();
    }

    [Fact]
    public async Task OptionsBoundFromConfiguration_OpenWithTheHost_AndCloseWhenItStops()
    {
        using var dir = new TempDir();
        var logs = new CapturingLoggerProvider();
        using IHost host = BuildHost(
        [
            new("Kiwi:Path", dir.Path),
            new("Kiwi:Durability", "Always"),
            new("Kiwi:MaxBatch", "64"),
            new("Kiwi:ExpiryInterval", "00:00:00.250"),
            new("Kiwi:VerifyOnOpen", "false"),
        ], logs);

        KiwiDbOptions options = host.Services.GetRequiredService<IOptions<KiwiDbOptions>>().Value;
        Assert.Equal(dir.Path, options.Path);
        Assert.Equal(Durability.Always, options.Durability);
        Assert.Equal(64, options.MaxBatch);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ExpiryInterval);
        Assert.False(options.VerifyOnOpen);

        await host.StartAsync();
        KiwiDb db = host.Services.GetRequiredService<KiwiDb>();
        Assert.Equal(Durability.Always, db.Durability);
        Assert.True(db.IsWriterRunning);
        await db.SetAsync("hosted", "yes");
        Assert.Equal("yes", db.GetString("hosted"));
        Assert.True(logs.Has(1), "the open is logged");

        await host.StopAsync();
        Assert.False(db.IsWriterRunning);
        Assert.Throws<ObjectDisposedException>(() => { _ = db.SetAsync("after", "stop"); });
        Assert.True(logs.Has(2), "the close is logged");

        // What was written before the stop is in the directory.
        using KiwiDb reopened = KiwiDb.Open(dir.Path);
        Assert.Equal("yes", reopened.GetString("hosted"));
    }

    [Fact]
    public async Task InvalidOptions_StopTheStart_NamingEachProblem()
    {
        using IHost host = BuildHost(
        [
            new("Kiwi:MaxBatch", "0"),
            new("Kiwi:ExpiryInterval", "-00:00:01"),
        ]);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("Path is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxBatch", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ExpiryInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RaftTimeoutsThatCannotWorkTogether_StopTheStart()
    {
        using var dir = new TempDir();
        var self = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7479);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKiwiDb(_ => new KiwiDbOptions
        {
            Path = dir.Path,
            Raft = new Kiwi.Core.Raft.KiwiRaftOptions
            {
                EndPoint = self,
                Members = [self],
                RequestTimeout = TimeSpan.FromMilliseconds(500),
                ElectionTimeoutMin = TimeSpan.FromMilliseconds(400),
                ElectionTimeoutMax = TimeSpan.FromMilliseconds(800),
                HeartbeatThreshold = 1.5,
            },
        });
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("RequestTimeout (500 ms) must be shorter than the shortest election timeout, ElectionTimeoutMin (400 ms)", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("HeartbeatThreshold (1.5)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OptionsFromCode_AreValidatedAndUsed()
    {
        using var dir = new TempDir();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKiwiDb(_ => new KiwiDbOptions { Path = dir.Path, Durability = Durability.No, ActiveExpiry = false });
        using IHost host = builder.Build();

        await host.StartAsync();
        KiwiDb db = host.Services.GetRequiredService<KiwiDb>();
        Assert.Equal(Durability.No, db.Durability);
        Assert.Equal(0, await db.DelAsync("missing"));
        await host.StopAsync();
        Assert.False(db.IsWriterRunning);
    }

    [Fact]
    public async Task ResolvedBeforeTheHostStarts_OpensOnce()
    {
        using var dir = new TempDir();
        using IHost host = BuildHost([new("Kiwi:Path", dir.Path)]);

        KiwiDb early = host.Services.GetRequiredService<KiwiDb>();
        await host.StartAsync();
        Assert.Same(early, host.Services.GetRequiredService<KiwiDb>());
        Assert.True(early.IsWriterRunning);
        await host.StopAsync();
        Assert.False(early.IsWriterRunning);
    }

    [Fact]
    public async Task AnOpenDatabase_IsServedAndChecked_ButNotClosedByTheHost()
    {
        using var dir = new TempDir();
        using KiwiDb db = KiwiDb.Open(dir.Path);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKiwiDb(db);
        builder.Services.AddHealthChecks().AddKiwiDb();
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            Assert.Same(db, host.Services.GetRequiredService<KiwiDb>());
            var health = host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
            await host.StopAsync();
        }

        Assert.True(db.IsWriterRunning, "the application closes what it opened");
        await db.SetAsync("still", "open");
        Assert.Equal("open".Length, db.StrLen("still"));
    }
}
