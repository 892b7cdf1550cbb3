using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>One server shared by the tests of a class (IClassFixture); the tests use distinct keys.</summary>
public class ServerFixture : IDisposable
{
    private readonly TestServer _server;
    private readonly Lazy<ConnectionMultiplexer> _redis;

    /// <summary>Starts a server with the default test configuration.</summary>
    public ServerFixture()
        : this(null)
    {
    }

    private protected ServerFixture(Action<ServerConfig>? configure)
    {
        _server = TestServer.Start(configure);
        _redis = new(() => ConnectionMultiplexer.Connect(ConnectionString()));
    }

    /// <summary>A StackExchange.Redis connection shared by the class's tests (connected on first use).</summary>
    public ConnectionMultiplexer Redis => _redis.Value;

    /// <summary>The port the server listens on.</summary>
    public int Port => _server.Port;

    /// <summary>The running configuration (CONFIG SET changes it).</summary>
    public ServerConfig Config => _server.Config;

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString(string options = "") => _server.ConnectionString(options);

    public void Dispose()
    {
        if (_redis.IsValueCreated)
        {
            _redis.Value.Dispose();
        }

        _server.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A server that requires a password (<see cref="Password"/>).</summary>
public sealed class AuthServerFixture() : ServerFixture(static c => c.RequirePass = Password)
{
    public const string Password = "s3cret-pass";
}

/// <summary>A server with a small proto-max-bulk-len, for the protocol limit tests.</summary>
public sealed class SmallBulkServerFixture() : ServerFixture(static c => c.ProtoMaxBulkLen = 1024);
