using Kiwi.Core;

namespace Kiwi.Server.Tests;

/// <summary>
/// A real Kiwi.Fast server in this process: RocksDB in a fresh temporary directory, listening on an
/// ephemeral loopback port. Dispose stops it, closes the database and deletes the directory.
/// </summary>
internal sealed class TestServer : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _ownsDir;
    private bool _disposed;

    private readonly int _ringCapacity;

    private TestServer(ServerConfig config, bool ownsDir, int ringCapacity)
    {
        Config = config;
        _ownsDir = ownsDir;
        _ringCapacity = ringCapacity;
        Db = OpenDb(config, ringCapacity);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Run = Task.Run(() => KiwiServer.RunAsync(config, Db, _stop.Token, p => port.TrySetResult(p)));
        Run.ContinueWith(t => port.TrySetException(t.Exception ?? new Exception("the server stopped before it started")), TaskScheduler.Default);
        if (!port.Task.Wait(s_startTimeout))
        {
            Dispose();
            throw new TimeoutException("the server did not start listening in time");
        }

        Port = port.Task.Result;
    }

    /// <summary>The configuration the server runs with.</summary>
    public ServerConfig Config { get; }

    /// <summary>The open database.</summary>
    public KiwiDb Db { get; private set; }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's RunAsync task: completes when it has stopped.</summary>
    public Task<int> Run { get; }

    /// <summary>"127.0.0.1:port" plus options, for StackExchange.Redis.</summary>
    public string ConnectionString(string options = "") =>
        $"127.0.0.1:{Port},allowAdmin=true,abortConnect=true,connectTimeout=10000,syncTimeout=30000,asyncTimeout=30000{(options.Length > 0 ? "," + options : string.Empty)}";

    /// <summary>Starts a server; <paramref name="configure"/> may change the configuration first.</summary>
    public static TestServer Start(Action<ServerConfig>? configure = null, int ringCapacity = 64 * 1024)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kiwi-server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = new ServerConfig { Port = 0, Dir = dir };
        configure?.Invoke(config);
        if (config.MemoryBudgetBytes == 0 && config.BlockCacheBytes is null)
        {
            // Small, unless the test sets the memory budget or the cache itself.
            config.BlockCacheBytes = 8L * 1024 * 1024;
        }

        return new TestServer(config, ownsDir: true, ringCapacity);
    }

    /// <summary>Closes the database (the server must have stopped) and opens it again at the same path.</summary>
    public KiwiDb ReopenDb()
    {
        if (!Run.IsCompleted)
        {
            throw new InvalidOperationException("the server is still running");
        }

        Db.Dispose();
        Db = OpenDb(Config, _ringCapacity);
        return Db;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        try
        {
            Run.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // A server that failed has already failed its tests; cleanup goes on.
        }

        Db.Dispose();
        _stop.Dispose();
        if (_ownsDir)
        {
            try
            {
                Directory.Delete(Config.Dir, recursive: true);
            }
            catch (IOException)
            {
                // The temp directory is cleaned by the OS if a file is still held open.
            }
        }
    }

    /// <summary>Standalone, or in cluster mode when the configuration has raft-members (then its Raft member runs too).</summary>
    private static KiwiDb OpenDb(ServerConfig config, int ringCapacity)
    {
        var options = new KiwiDbOptions
        {
            Path = config.Dir,
            MemoryBudgetBytes = config.MemoryBudgetBytes,
            BlockCacheBytes = config.BlockCacheBytes,
            ReadCacheBytes = config.ReadCacheBytes,
            RingCapacity = ringCapacity,
            InlineApplyWhenIdle = config.InlineApply,
            CollectionCleanup = config.CollectionCleanup,
            Databases = config.Databases,
            Raft = config.CreateRaftOptions(),
        };
        return options.Raft is null
            ? KiwiDb.Open(options)
            : Task.Run(() => KiwiDb.OpenAsync(options)).WaitAsync(s_startTimeout).GetAwaiter().GetResult();
    }
}
