using Kiwi.Resp;

namespace Kiwi.Server;

/// <summary>The running server's settings, seen by the protocol layer; CONFIG SET changes the runtime ones.</summary>
internal sealed class ServerSettings(ServerConfig config, Func<int> boundPort, Kiwi.Core.KiwiDb? db = null) : IServerSettings
{
    private static readonly HashSet<string> s_runtime = new(StringComparer.OrdinalIgnoreCase)
    {
        "requirepass", "maxclients", "proto-max-bulk-len", "client-query-buffer-limit", "client-output-buffer-limit",
        "slowlog-log-slower-than", "slowlog-max-len",
        "notify-keyspace-events",
    };

    private readonly Lock _lock = new();

    public string? RequirePass => config.RequirePass;

    public long ProtoMaxBulkLen => config.ProtoMaxBulkLen;

    public long ClientQueryBufferLimit => config.ClientQueryBufferLimit;

    public OutputLimit ClientOutputBufferLimit => config.ClientOutputBufferLimit;

    public OutputLimit PubSubOutputBufferLimit => config.PubSubOutputBufferLimit;

    public int MaxClients => config.MaxClients;

    public bool LinearizableReads => config.ClusterMode && !config.RaftStaleReads;

    public int Port => boundPort();

    public long SlowlogLogSlowerThan => config.SlowlogLogSlowerThan;

    public long SlowlogMaxLen => config.SlowlogMaxLen;

    public string? ConfigFile => config.ConfigFile;

    public string? SaveDirectory => Path.Combine(Path.GetFullPath(config.Dir), "save");

    public bool TryRewrite(out string error)
    {
        if (config.ConfigFile is null)
        {
            error = "The server is running without a config file";
            return false;
        }

        try
        {
            lock (_lock)
            {
                config.Rewrite();
            }

            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = "Rewriting config file: " + ex.Message;
            return false;
        }
    }

    public IEnumerable<KeyValuePair<string, string>> All()
    {
        lock (_lock)
        {
            var all = config.All().ToList();
            int port = all.FindIndex(kv => kv.Key == "port");
            all[port] = new("port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return all;
        }
    }

    public bool TrySet(string name, string value, out string? error)
    {
        if (!s_runtime.Contains(name))
        {
            error = config.All().Any(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                ? "can't set immutable config"
                : null;
            return false;
        }

        try
        {
            lock (_lock)
            {
                config.Set(name, value);
                if (db is not null && name.Equals("notify-keyspace-events", StringComparison.OrdinalIgnoreCase))
                {
                    db.KeyspaceEvents = config.NotifyKeyspaceEvents;
                }
            }

            error = null;
            return true;
        }
        catch (FormatException) when (name.Equals("notify-keyspace-events", StringComparison.OrdinalIgnoreCase))
        {
            error = Kiwi.Core.PubSub.KeyspaceEventFormat.InvalidClass;
            return false;
        }
        catch (FormatException)
        {
            error = "argument couldn't be parsed into an integer";
            return false;
        }
        catch (OverflowException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
