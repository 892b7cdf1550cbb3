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
