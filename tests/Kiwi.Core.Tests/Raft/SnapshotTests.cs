using System.Globalization;

namespace Kiwi.Core.Tests.Raft;

/// <summary>Raft snapshots as RocksDB checkpoints: taken, compacting the log, surviving restarts, installed on a lagging node.</summary>
[Collection("raft-snapshots")] // SnapshotFaults.CorruptNextReceived is static: no two of these at once
public sealed class SnapshotTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // One at a time in small groups: small log entries, so the snapshot threshold (in entries) is crossed.
    private static Task WriteAsync(LoopbackCluster cluster, string prefix, int count)
    {
        var keys = new (string, string)[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = (prefix + i.ToString(CultureInfo.InvariantCulture), "v" + i.ToString(CultureInfo.InvariantCulture));
        }

        return cluster.SetThroughLeaderAsync(keys, Deadline);
    }

    [Fact]
    public async Task Snapshots_AreTaken_AndEveryNodeRestartsFromThemWithItsData()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(snapshotEvery: 100);
        await cluster.WaitForLeaderAsync(Deadline);
        await WriteAsync(cluster, "s:", 1500);
        await cluster.WaitOnEveryNodeAsync(n => n.Raft!.SnapshotIndex > 0 && n.GetString("s:1499") == "v1499", Deadline);
        Assert.Contains(cluster.Nodes, n => n!.Raft!.SnapshotsTaken >= 1);

        for (int i = 0; i < 3; i++)
        {
            await cluster.StopNodeAsync(i);
        }

        for (int i = 0; i < 3; i++)
        {
            await cluster.StartNodeAsync(i);
            Assert.True(cluster.Nodes[i]!.Raft!.SnapshotIndex > 0, "the snapshot was not found at start");
        }

        await cluster.SetThroughLeaderAsync([("after", "restart")], Deadline);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("after") == "restart", Deadline);
        foreach (KiwiDb? node in cluster.Nodes)
        {
            for (int i = 0; i < 1500; i += 37)
            {
                Assert.Equal("v" + i.ToString(CultureInfo.InvariantCulture), node!.GetString("s:" + i.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, 1500)]
    public async Task ANodeBehindTheCompactedLog_InstallsASnapshot_AndCatchesUp(int corruptTransfers, int installDelayMs)
    {
        // With a slow install (1.5 s, as a large snapshot's), longer than the Raft request timeout: the install goes
        // on after the leader gives up on the request, and the leader's next transfer finds it (when transfer and
        // install were one request, a request timeout shorter than the install meant it never completed).
        Kiwi.Core.Raft.SnapshotFaults.InstallDelay = TimeSpan.FromMilliseconds(installDelayMs);
        try
        {
            await CatchUpThroughASnapshotAsync(corruptTransfers, requestTimeout: null);
        }
        finally
        {
            Kiwi.Core.Raft.SnapshotFaults.InstallDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task ANodeThatInstalledASnapshotTheLeaderGaveUpOn_StillCatchesUp()
    {
        // The install completes on the node but its acknowledgement comes after the leader's request timeout (as
        // under CPU starvation): the leader sends the snapshot again, to a node that already holds it. DotNext
        // rejects that copy and the leader walks the member back for ever, sending the same snapshot each time:
        // the node stayed at the snapshot index, without a leader (the CI flake).
        try
        {
            await CatchUpThroughASnapshotAsync(corruptTransfers: 0, requestTimeout: TimeSpan.FromSeconds(1), acknowledgeLateMs: 1500);
        }
        finally
        {
            Kiwi.Core.Raft.SnapshotFaults.AcknowledgeNextLateMs = 0;
        }
    }

    private static async Task CatchUpThroughASnapshotAsync(int corruptTransfers, TimeSpan? requestTimeout, int acknowledgeLateMs = 0)
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(snapshotEvery: 100, requestTimeout: requestTimeout);
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        int down = (leader + 1) % 3;
        await cluster.StopNodeAsync(down);

        await WriteAsync(cluster, "far:", 2000);
        await cluster.SetThroughLeaderAsync([("last", "one")], Deadline);
        // Every running node, not only this leader: under load the other one may lead when the lagging node
        // returns, and a leader with no snapshot yet would replay its log instead of sending one.
        await cluster.WaitOnEveryNodeAsync(n => n.Raft!.SnapshotIndex >= 300, Deadline);

        // With a fault: the first transfer arrives altered, is rejected, and the leader sends it again.
        Kiwi.Core.Raft.SnapshotFaults.CorruptNextReceived = corruptTransfers;
        Kiwi.Core.Raft.SnapshotFaults.AcknowledgeNextLateMs = acknowledgeLateMs;
        await cluster.StartNodeAsync(down);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("last") == "one", Deadline);
        KiwiDb returned = cluster.Nodes[down]!;

        // The data are readable once the writer loaded them, a moment before the install is counted.
        long until = Environment.TickCount64 + 10_000;
        while (returned.Raft!.SnapshotsInstalled < 1 && Environment.TickCount64 < until)
        {
            await Task.Delay(10);
        }

        Assert.True(returned.Raft!.SnapshotsInstalled >= 1, "the lagging node replayed the log instead of installing a snapshot");
        Assert.Equal(corruptTransfers, returned.Raft.SnapshotsRejected);
        for (int i = 0; i < 2000; i += 41)
        {
            Assert.Equal("v" + i.ToString(CultureInfo.InvariantCulture), returned.GetString("far:" + i.ToString(CultureInfo.InvariantCulture)));
        }

        await cluster.SetThroughLeaderAsync([("after", "install")], Deadline);
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("after") == "install", Deadline);
        if (acknowledgeLateMs > 0)
        {
            Assert.Contains(cluster.Nodes, n => n!.Raft!.SnapshotsForResend >= 1);
        }
    }
}

/// <summary>A crash while a snapshot was being loaded is finished at the next start, or refused when its files are gone.</summary>
[Collection("raft-snapshots")] // SnapshotFaults.CorruptNextReceived is static: no two of these at once
public sealed class InterruptedInstallTests
{
    private static KiwiDbOptions Options(string path, System.Net.IPEndPoint self) => new()
    {
        Path = path,
        ActiveExpiry = false,
        BlockCacheBytes = 8L * 1024 * 1024,
        Raft = new Kiwi.Core.Raft.KiwiRaftOptions { EndPoint = self, Members = [self] },
    };

    private static async Task WaitWritableAsync(KiwiDb node)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!node.CanWrite && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static void MarkInstalling(string dataPath, string snapshot)
    {
        using Kiwi.Core.Storage.RocksEngine engine = Kiwi.Core.Storage.RocksEngine.Open(dataPath, 8L * 1024 * 1024);
        using var writes = new Kiwi.Core.Storage.WriteSet();
        writes.Put(Kiwi.Core.Storage.KeySpace.Raft, "installing"u8, System.Text.Encoding.UTF8.GetBytes(snapshot));
        engine.Commit(writes, sync: true);
    }

    [Fact]
    public async Task InterruptedInstall_IsFinishedAtStart()
    {
        using var dir = new TempDirectory();
        string data = Path.Combine(dir.Path, "db");
        string snapshot = Path.Combine(dir.Path, "snapshot");
        var self = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, LoopbackCluster.FreePort());
        using (KiwiDb node = await KiwiDb.OpenAsync(Options(data, self)))
        {
            await WaitWritableAsync(node);
            Assert.True(await node.SetAsync("in-snapshot", "yes"));
            await node.CheckpointAsync(snapshot);
            Assert.True(await node.SetAsync("after-snapshot", "replayed"));
        }

        MarkInstalling(data, snapshot);
        using (Kiwi.Core.Storage.RocksEngine check = Kiwi.Core.Storage.RocksEngine.Open(data, 8L * 1024 * 1024))
        {
            Assert.Equal(snapshot, Kiwi.Core.Apply.ApplyWorker.InterruptedInstall(check));
        }

        using KiwiDb restarted = await KiwiDb.OpenAsync(Options(data, self));
        await WaitWritableAsync(restarted);

        // The snapshot was loaded, then the log replayed what came after it.
        Assert.Equal("yes", restarted.GetString("in-snapshot"));
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (restarted.GetString("after-snapshot") is null && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.Equal("replayed", restarted.GetString("after-snapshot"));
        Assert.Null(Kiwi.Core.Apply.ApplyWorker.InterruptedInstall(restarted.Engine));
    }

    [Fact]
    public async Task InterruptedInstall_WithItsFilesGone_RefusesToStart()
    {
        using var dir = new TempDirectory();
        string data = Path.Combine(dir.Path, "db");
        var self = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, LoopbackCluster.FreePort());
        using (KiwiDb node = await KiwiDb.OpenAsync(Options(data, self)))
        {
            await WaitWritableAsync(node);
            Assert.True(await node.SetAsync("k", "v"));
        }

        MarkInstalling(data, Path.Combine(dir.Path, "gone"));
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => KiwiDb.OpenAsync(Options(data, self)));
        Assert.Contains("interrupted", error.Message, StringComparison.Ordinal);
    }
}
