namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// One 3-member process cluster shared by the tests of a class (each round heals its fault and uses keys of its
/// own); killed and its network removed when the class is done.
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    private FaultCluster? _cluster;

    internal FaultCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster did not start");

    public async Task InitializeAsync() => _cluster = await FaultCluster.StartAsync();

    public Task DisposeAsync()
    {
        _cluster?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The fault tests run one at a time: each owns the machine's attention while it measures failover.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
