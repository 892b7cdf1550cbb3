using System.Globalization;
using System.Net;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>Adding a member (it joins through a snapshot) and removing one (it stops receiving entries).</summary>
[Collection("raft-snapshots")] // SnapshotFaults.CorruptNextReceived is static: no two of these at once
public sealed class MembershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ANewNode_JoinsThroughASnapshot_AndARemovedNodeStopsReceivingEntries()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(snapshotEvery: 100);
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        KiwiDb db = cluster.Nodes[leader]!;
        for (int i = 0; i < 800; i += 4)
        {
            var group = new Task<bool>[4];
            for (int j = 0; j < 4; j++)
            {
                group[j] = db.SetAsync("m:" + (i + j).ToString(CultureInfo.InvariantCulture), "v").AsTask();
            }

            Assert.All(await Task.WhenAll(group).WaitAsync(Deadline), Assert.True);
        }

        DateTime until = DateTime.UtcNow + Deadline;
        while (db.Raft!.SnapshotIndex < 100 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        using var dir = new TempDirectory();
        var newcomer = new IPEndPoint(IPAddress.Loopback, LoopbackCluster.FreePort());
        using KiwiDb joined = await KiwiDb.OpenAsync(new KiwiDbOptions
        {
            Path = dir.Path,
            ActiveExpiry = false,
            BlockCacheBytes = 8L * 1024 * 1024,
            Raft = new KiwiRaftOptions
            {
                EndPoint = newcomer,
                Members = [.. cluster.Members, newcomer],
                Join = true,
                SnapshotEvery = 100,
                RequestTimeout = cluster.RequestTimeout,
                ElectionTimeoutMin = cluster.ElectionTimeoutMin,
                ElectionTimeoutMax = cluster.ElectionTimeoutMax,
            },
        });

        Assert.Null(await db.Raft.AddMemberAsync(newcomer).WaitAsync(Deadline));
        Assert.True(await db.SetAsync("joined", "yes"));
        until = DateTime.UtcNow + Deadline;
        while (joined.GetString("joined") != "yes" && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.Equal("yes", joined.GetString("joined"));
        Assert.Equal("v", joined.GetString("m:0"));
        Assert.Equal("v", joined.GetString("m:799"));
        Assert.True(joined.Raft!.SnapshotsInstalled >= 1, "the new node replayed the whole log instead of installing a snapshot");

        // One change at a time, then the removal: the removed node gets no later entry.
        Assert.Null(await db.Raft.RemoveMemberAsync(newcomer).WaitAsync(Deadline));
        Assert.True(await db.SetAsync("after-removal", "x"));
        Assert.DoesNotContain(db.Raft.Members, m => m.EndPoint.Equals(newcomer));
        await cluster.WaitOnEveryNodeAsync(n => n.GetString("after-removal") == "x", Deadline);
        Assert.Null(joined.GetString("after-removal"));
        Assert.NotNull(await db.Raft.RemoveMemberAsync(newcomer).WaitAsync(Deadline));
    }

    [Fact]
    public async Task AnAddedMember_IsStillAMember_AfterEveryNodeRestarts()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync();
        int leader = await cluster.WaitForLeaderAsync(Deadline);
        using var dir = new TempDirectory();
        var newcomer = new IPEndPoint(IPAddress.Loopback, LoopbackCluster.FreePort());
        KiwiDbOptions NewcomerOptions() => new()
        {
            Path = dir.Path,
            ActiveExpiry = false,
            BlockCacheBytes = 8L * 1024 * 1024,
            Raft = new KiwiRaftOptions
            {
                EndPoint = newcomer,
                Members = [.. cluster.Members, newcomer],
                Join = true,
                RequestTimeout = cluster.RequestTimeout,
                ElectionTimeoutMin = cluster.ElectionTimeoutMin,
                ElectionTimeoutMax = cluster.ElectionTimeoutMax,
            },
        };

        KiwiDb joined = await KiwiDb.OpenAsync(NewcomerOptions());
        try
        {
            Assert.Null(await cluster.Nodes[leader]!.Raft!.AddMemberAsync(newcomer).WaitAsync(Deadline));
            Assert.True(await cluster.Nodes[leader]!.SetAsync("before", "restart"));
            await WaitForAsync(() => joined.GetString("before") == "restart");
        }
        finally
        {
            joined.Dispose();
        }

        // Every node restarts with the member list it was first given: three names, not four.
        for (int i = 0; i < 3; i++)
        {
            await cluster.StopNodeAsync(i);
        }

        for (int i = 0; i < 3; i++)
        {
            await cluster.StartNodeAsync(i);
        }

        joined = await KiwiDb.OpenAsync(NewcomerOptions());
        try
        {
            // Three of four must agree now: a leader and a write both need the newcomer counted as a member.
            KiwiDb[] all = [cluster.Nodes[0]!, cluster.Nodes[1]!, cluster.Nodes[2]!, joined];
            KiwiDb? lead = null;
            await WaitForAsync(() => (lead = Array.Find(all, n => n.Raft!.IsLeader)) is not null && lead.Raft!.CommitIndex >= lead.Raft.LastLogIndex);
            foreach (KiwiDb node in all)
            {
                Assert.Contains(node.Raft!.Members, m => m.EndPoint.Equals(newcomer));
            }

            Assert.Contains("differ from the configured ones", all[0].Raft!.StartNote);

            Assert.True(await lead!.SetAsync("after", "restart"));
            await WaitForAsync(() => joined.GetString("after") == "restart");
            Assert.Equal("restart", joined.GetString("before"));
        }
        finally
        {
            joined.Dispose();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
