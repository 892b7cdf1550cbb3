using System.Net;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>Bad starts and no-quorum writes in cluster mode: clear errors, never a hang or mixed data.</summary>
public sealed class ClusterStartTests
{
    private static IPEndPoint FreeEndPoint() => new(IPAddress.Loopback, LoopbackCluster.FreePort());

    private static KiwiDbOptions ClusterOptions(string path, IPEndPoint self, IPEndPoint[] members, TimeSpan? leaderWait = null) => new()
    {
        Path = path,
        ActiveExpiry = false,
        BlockCacheBytes = 8L * 1024 * 1024,
        Raft = new KiwiRaftOptions { EndPoint = self, Members = members, LeaderWait = leaderWait ?? TimeSpan.FromSeconds(2) },
    };

    [Fact]
    public async Task StandaloneDataDirectory_IsRefusedInClusterMode()
    {
        using var dir = new TempDirectory();
        using (KiwiDb standalone = KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, ActiveExpiry = false }))
        {
            Assert.True(await standalone.SetAsync("k", "v"));
        }

        IPEndPoint self = FreeEndPoint();
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => KiwiDb.OpenAsync(ClusterOptions(dir.Path, self, [self])));
        Assert.Contains("standalone", error.Message, StringComparison.Ordinal);

        // Refused without damage: it still opens standalone with its data.
        using KiwiDb again = KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, ActiveExpiry = false });
        Assert.Equal("v", again.GetString("k"));
    }

    [Fact]
    public async Task ClusterDataDirectory_IsRefusedStandalone_AndByAnotherCluster()
    {
        using var dir = new TempDirectory();
        IPEndPoint self = FreeEndPoint();
        using (KiwiDb node = await KiwiDb.OpenAsync(ClusterOptions(dir.Path, self, [self])))
        {
            // A one-node cluster elects itself and takes writes.
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (!node.CanWrite && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.True(await node.SetAsync("k", "v"));
        }

        KiwiException standalone = Assert.Throws<KiwiException>(() => KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, ActiveExpiry = false }));
        Assert.Contains("belongs to a Raft cluster", standalone.Message, StringComparison.Ordinal);

        IPEndPoint other = FreeEndPoint();
        KiwiException foreign = await Assert.ThrowsAsync<KiwiException>(() => KiwiDb.OpenAsync(ClusterOptions(dir.Path, other, [other])));
        Assert.Contains("another cluster", foreign.Message, StringComparison.Ordinal);

        // The right cluster still opens it, with its data.
        using KiwiDb back = await KiwiDb.OpenAsync(ClusterOptions(dir.Path, self, [self]));
        Assert.Equal("v", back.GetString("k"));
    }

    [Fact]
    public async Task TimeoutsThatCannotWorkTogether_AreRefusedBeforeTheDirectoryIsOpened()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "db");
        IPEndPoint self = FreeEndPoint();
        KiwiDbOptions Options(KiwiRaftOptions raft) => new() { Path = path, ActiveExpiry = false, Raft = raft };

        ArgumentException request = await Assert.ThrowsAsync<ArgumentException>(() => KiwiDb.OpenAsync(Options(new KiwiRaftOptions
        {
            EndPoint = self,
            Members = [self],
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        })));
        Assert.Contains("RequestTimeout (300 ms) must be shorter than the shortest election timeout, ElectionTimeoutMin (300 ms)", request.Message, StringComparison.Ordinal);

        ArgumentException heartbeat = await Assert.ThrowsAsync<ArgumentException>(() => KiwiDb.OpenAsync(Options(new KiwiRaftOptions
        {
            EndPoint = self,
            Members = [self],
            HeartbeatThreshold = 1,
        })));
        Assert.Contains("HeartbeatThreshold (1) times ElectionTimeoutMin (300 ms), must be more than 0 and shorter than ElectionTimeoutMin", heartbeat.Message, StringComparison.Ordinal);

        // Refused before anything was created.
        Assert.False(Directory.Exists(path));
        Assert.Empty(new KiwiRaftOptions { EndPoint = self, Members = [self] }.TimeoutProblems());
    }

    [Fact]
    public async Task MembersWithoutThisNode_AreRefused()
    {
        using var dir = new TempDirectory();
        IPEndPoint self = FreeEndPoint();
        IPEndPoint other = FreeEndPoint();
        await Assert.ThrowsAsync<ArgumentException>(() => KiwiDb.OpenAsync(ClusterOptions(dir.Path, self, [other])));
    }

    [Fact]
    public async Task WriteWithoutQuorum_GetsClusterDownAfterTheBoundedWait()
    {
        using var dir = new TempDirectory();
        IPEndPoint self = FreeEndPoint();
        IPEndPoint[] members = [self, FreeEndPoint(), FreeEndPoint()];
        using KiwiDb lonely = await KiwiDb.OpenAsync(ClusterOptions(dir.Path, self, members, TimeSpan.FromMilliseconds(300)));
        Assert.False(lonely.CanWrite);

        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => lonely.SetAsync("k", "v").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("CLUSTERDOWN ", error.Message, StringComparison.Ordinal);
        Assert.Null(lonely.GetString("k"));

        // A linearizable read cannot be served without a majority either: it fails (here: times out), never hangs.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<Exception>(() => lonely.ReadBarrierAsync(timeout.Token));
    }
}
