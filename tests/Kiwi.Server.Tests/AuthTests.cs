using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>A server with requirepass: only AUTH, HELLO and QUIT work before authenticating.</summary>
public sealed class AuthTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private const string NoAuth = "-NOAUTH Authentication required.\r\n";
    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    [Theory]
    [InlineData("GET au:k\r\n")]
    [InlineData("SET au:k v\r\n")]
    [InlineData("PING\r\n")]
    [InlineData("KEYS *\r\n")]
    [InlineData("CONFIG GET requirepass\r\n")]
    [InlineData("SHUTDOWN\r\n")]
    public async Task Commands_before_auth_are_refused(string command)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal(NoAuth, await client.CallAsync(command));
        Assert.Equal(NoAuth, await client.CallAsync("*2\r\n$3\r\nGET\r\n$4\r\nau:k\r\n"));
    }

    [Fact]
    public async Task Unknown_commands_and_wrong_arity_are_reported_before_auth_as_in_redis()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("-ERR unknown command 'FOO', with args beginning with: 'a' \r\n", await client.CallAsync("FOO a\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", await client.CallAsync("GET\r\n"));
        Assert.Equal(NoAuth, await client.CallAsync("CONFIG SET nosuch 1\r\n"));
    }

    [Theory]
    [InlineData("AUTH wrong\r\n")]
    [InlineData("AUTH default wrong\r\n")]
    [InlineData("AUTH nobody " + AuthServerFixture.Password + "\r\n")]
    public async Task A_wrong_password_is_refused_and_the_client_stays_unauthenticated(string auth)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal(WrongPass, await client.CallAsync(auth));
        Assert.Equal(NoAuth, await client.CallAsync("GET au:k\r\n"));
    }

    [Fact]
    public async Task Auth_with_the_password_unlocks_the_connection()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.Equal("+OK\r\n", await client.CallAsync($"AUTH {AuthServerFixture.Password}\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("SET au:one 1\r\n"));
        Assert.Equal("$1\r\n1\r\n", await client.CallAsync("GET au:one\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync($"AUTH default {AuthServerFixture.Password}\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("AUTH a b c\r\n"));
    }

    [Fact]
    public async Task Hello_3_with_auth_authenticates_and_switches_to_resp3()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        Assert.StartsWith("-NOAUTH HELLO must be called with the client already authenticated", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal(WrongPass, await client.CallAsync("HELLO 3 AUTH default wrong\r\n"));
        Assert.Equal(NoAuth, await client.CallAsync("GET au:hello\r\n"));

        string hello = await client.CallAsync($"HELLO 3 AUTH default {AuthServerFixture.Password} SETNAME au-hello\r\n");

        Assert.StartsWith("%7\r\n$6\r\nserver\r\n", hello, StringComparison.Ordinal);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello, StringComparison.Ordinal);
        Assert.Equal("_\r\n", await client.CallAsync("GET au:hello\r\n"));
        Assert.Equal("$8\r\nau-hello\r\n", await client.CallAsync("CLIENT GETNAME\r\n"));
    }

    [Fact]
    public async Task Quit_is_allowed_before_auth()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        await client.SendAsync("QUIT\r\n");

        Assert.Equal("+OK\r\n", await client.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Stack_exchange_redis_with_the_password_works()
    {
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString($"password={AuthServerFixture.Password}"));
        IDatabase db = redis.GetDatabase();

        Assert.True(await db.StringSetAsync("au:se", "v"));
        Assert.Equal("v", (string?)await db.StringGetAsync("au:se"));
        Assert.True(await db.PingAsync() >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Stack_exchange_redis_over_resp3_with_the_password_works()
    {
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString($"password={AuthServerFixture.Password},protocol=resp3"));
        IDatabase db = redis.GetDatabase();

        Assert.Equal(RedisProtocol.Resp3, redis.GetServer("127.0.0.1", server.Port).Protocol);
        Assert.Equal(7, await db.StringIncrementAsync("au:se3", 7));
    }

    [Fact]
    public async Task Unauthenticated_clients_cannot_send_large_requests()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);

        await client.SendAsync("*11\r\n");

        Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", await client.ReadUntilClosedAsync());
    }
}
