using Kiwi.Core.Storage;

namespace Kiwi.Server.Tests;

/// <summary>
/// The background cleanup of dead collection members behind RESP commands that drop a collection without
/// deleting its members (SET over a hash, RENAME and DEL of big ones), reported in INFO stats.
/// </summary>
public sealed class CollectionCleanupServerTests
{
    [Fact]
    public async Task Members_of_overwritten_renamed_and_deleted_collections_go_and_live_ones_stay()
    {
        using TestServer server = TestServer.Start();
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string members = string.Join(' ', Enumerable.Range(0, 100).Select(i => "m" + i));
        string fields = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"f{i} v{i}"));
        Assert.Equal(":100\r\n", await client.CallAsync($"SADD gone {members}\r\n"));
        Assert.Equal(":100\r\n", await client.CallAsync($"SADD moved {members}\r\n"));
        Assert.Equal(":100\r\n", await client.CallAsync($"HSET over {fields}\r\n"));
        Assert.Equal(":3\r\n", await client.CallAsync("SADD live a b c\r\n"));

        Assert.Equal(":1\r\n", await client.CallAsync("DEL gone\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("RENAME moved there\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SET over string\r\n"));

        await Poll.UntilAsync(() => Task.FromResult(Count(server, KeySpace.Set) == 103 && Count(server, KeySpace.Hash) == 0), "dead members stayed");
        Assert.Equal(":100\r\n", await client.CallAsync("SCARD there\r\n"));
        Assert.Equal(":3\r\n", await client.CallAsync("SCARD live\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SISMEMBER there m99\r\n"));
        Assert.Matches(@"\r\ncleaned_collection_groups:[3-9]\r\n", await client.CallAsync("INFO stats\r\n"));
    }

    [Fact]
    public async Task With_collection_cleanup_no_the_members_of_a_deleted_set_stay_unreachable_on_disk()
    {
        using TestServer server = TestServer.Start(c => c.Set("collection-cleanup", "no"));
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("*2\r\n$18\r\ncollection-cleanup\r\n$2\r\nno\r\n", await client.CallAsync("CONFIG GET collection-cleanup\r\n"));
        string members = string.Join(' ', Enumerable.Range(0, 100).Select(i => "m" + i));
        Assert.Equal(":100\r\n", await client.CallAsync($"SADD gone {members}\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("DEL gone\r\n"));

        // A write after the DEL has gone through the writer, so a cleanup pass would have had its chance to start.
        Assert.Equal(":1\r\n", await client.CallAsync("SADD gone fresh\r\n"));
        Assert.Equal(101, Count(server, KeySpace.Set));
        Assert.Equal("*1\r\n$5\r\nfresh\r\n", await client.CallAsync("SMEMBERS gone\r\n"));
        Assert.Matches(@"\r\ncleaned_collection_groups:0\r\n", await client.CallAsync("INFO stats\r\n"));
    }

    [Fact]
    public async Task In_a_cluster_every_member_cleans_the_members_of_a_deleted_set()
    {
        using TestCluster cluster = TestCluster.Start(3);
        int leader = await cluster.WaitForLeaderAsync();
        using RawClient client = await RawClient.ConnectAsync(cluster.Nodes[leader].Port);
        string members = string.Join(' ', Enumerable.Range(0, 100).Select(i => "m" + i));
        Assert.Equal(":100\r\n", await client.CallAsync($"SADD big {members}\r\n"));
        Assert.Equal(":2\r\n", await client.CallAsync("SADD small a b\r\n"));
        await TestCluster.UntilAsync(() => Task.FromResult(Array.TrueForAll(cluster.Nodes, n => Count(n, KeySpace.Set) == 102)), () => "a member lacks the sets");

        Assert.Equal(":1\r\n", await client.CallAsync("DEL big\r\n"));
        await TestCluster.UntilAsync(
            () => Task.FromResult(Array.TrueForAll(cluster.Nodes, n => Count(n, KeySpace.Set) == 2)),
            () => "members left: " + string.Join(", ", cluster.Nodes.Select(n => Count(n, KeySpace.Set))));
        foreach (TestServer node in cluster.Nodes)
        {
            using RawClient reader = await RawClient.ConnectAsync(node.Port);
            Assert.Equal(":2\r\n", await reader.CallAsync("SCARD small\r\n"));
        }
    }

    private static int Count(TestServer server, KeySpace space)
    {
        int count = 0;
        using IStorageCursor cursor = server.Db.Engine.OpenCursor(space);
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            count++;
        }

        return count;
    }
}
