using System.Net;
using System.Net.Sockets;
using Kiwi.Core;
using Kiwi.Core.Raft;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiwi.Extensions.Hosting.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Standalone_HealthyWhileOpen_UnhealthyOnceClosed()
    {
        using var dir = new TempDir();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKiwiDb(_ => new KiwiDbOptions { Path = dir.Path });
        builder.Services.AddHealthChecks().AddKiwiDb(tags: ["ready"]);
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        HealthReport before = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal("the database is not open", before.Entries["kiwidb"].Description);

        await host.StartAsync();
        HealthReport running = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Contains("ready", running.Entries["kiwidb"].Tags);
        Assert.Equal(0L, running.Entries["kiwidb"].Data["failedBatches"]);

        await host.StopAsync();
        HealthReport stopped = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
    }

    [Fact]
    public async Task Cluster_ReportsRoleAndLeader_AndTheLeaderIsLogged()
    {
        using var dir = new TempDir();
        var logs = new CapturingLoggerProvider();
        var self = new IPEndPoint(IPAddress.Loopback, FreePort());
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        builder.Services.AddKiwiDb(sp => new KiwiDbOptions
        {
            Path = dir.Path,
            Raft = new KiwiRaftOptions { EndPoint = self, Members = [self], LoggerFactory = sp.GetRequiredService<ILoggerFactory>() },
        });
        builder.Services.AddHealthChecks().AddKiwiDb("kiwi-cluster", HealthStatus.Degraded);
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        await host.StartAsync();
        try
        {
            KiwiDb db = host.Services.GetRequiredService<KiwiDb>();
            Assert.True(db.IsClusterMode);
            await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "a single member elects itself");
            HealthReportEntry entry = (await health.CheckHealthAsync()).Entries["kiwi-cluster"];
            Assert.Equal("leader", entry.Data["role"]);
            Assert.Equal(self.ToString(), entry.Data["leader"]);
            await Poll.UntilAsync(() => Task.FromResult(logs.Has(6)), "the leader is logged");
            Assert.Contains(logs.Entries, e => e.EventId.Id == 6 && e.Message.Contains("is the leader", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
