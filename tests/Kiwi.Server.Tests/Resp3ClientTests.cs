using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>StackExchange.Redis speaking RESP3 (protocol=resp3): the same commands, the same answers.</summary>
public sealed class Resp3ClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Resp3_connection_works_like_resp2()
    {
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString("protocol=resp3"));
        IDatabase db = redis.GetDatabase();
        IServer admin = redis.GetServer("127.0.0.1", server.Port);

        Assert.Equal(RedisProtocol.Resp3, admin.Protocol);
        Assert.True(db.Ping() >= TimeSpan.Zero);
        Assert.True(await db.StringSetAsync("r3:a", "1", TimeSpan.FromSeconds(100)));
        Assert.Equal("1", (string?)await db.StringGetAsync("r3:a"));
        Assert.True((await db.StringGetAsync("r3:none")).IsNull);
        Assert.Equal(11, await db.StringIncrementAsync("r3:a", 10));
        Assert.Equal(11.5, await db.StringIncrementAsync("r3:a", 0.5));
        RedisValue[] values = await db.StringGetAsync(["r3:a", "r3:none"]);
        Assert.Equal("11.5", (string?)values[0]);
        Assert.True(values[1].IsNull);
        Assert.NotNull(await db.KeyTimeToLiveAsync("r3:a"));
        Assert.Equal(RedisType.String, await db.KeyTypeAsync("r3:a"));
        Assert.Contains(admin.Info(), g => g.Key == "Server");
        await db.StringSetAsync("r3:int", 42);
        Assert.Equal("int", (string?)await db.ExecuteAsync("OBJECT", "ENCODING", "r3:int"));
        Assert.Equal("42", (string?)await db.StringGetDeleteAsync("r3:int"));
        Assert.Single(admin.Keys(pattern: "r3:a"));
    }

    [Fact]
    public async Task Write_replies_are_written_in_each_clients_protocol()
    {
        using RawClient resp2 = await RawClient.ConnectAsync(server.Port);
        using RawClient resp3 = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await resp3.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await resp2.CallAsync("SET r3:w v\r\n"));

        // A pipeline of writes from both protocols: the same null reply in each client's form, in order.
        await resp2.SendAsync("SET r3:w x NX\r\nGETDEL r3:none\r\nINCR r3:n\r\n");
        await resp3.SendAsync("SET r3:w x NX\r\nGETDEL r3:none\r\nINCR r3:n\r\n");
        Assert.Equal("$-1\r\n", await resp2.ReadReplyAsync());
        Assert.Equal("$-1\r\n", await resp2.ReadReplyAsync());
        Assert.Matches(@"^:\d+\r\n$", await resp2.ReadReplyAsync());
        Assert.Equal("_\r\n", await resp3.ReadReplyAsync());
        Assert.Equal("_\r\n", await resp3.ReadReplyAsync());
        Assert.Matches(@"^:\d+\r\n$", await resp3.ReadReplyAsync());
    }

    [Fact]
    public async Task Msetnx_replies_one_integer_only()
    {
        // MSETNX once replied "+OK" and ":1": the next command read the stray integer.
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        await client.SendAsync("DEL r3:mx1 r3:mx2\r\nMSETNX r3:mx1 a r3:mx2 b\r\nMSETNX r3:mx1 c\r\nGET r3:mx1\r\n");
        Assert.Matches(@"^:\d+\r\n$", await client.ReadReplyAsync());
        Assert.Equal(":1\r\n", await client.ReadReplyAsync());
        Assert.Equal(":0\r\n", await client.ReadReplyAsync());
        Assert.Equal("$1\r\na\r\n", await client.ReadReplyAsync());
    }
}
