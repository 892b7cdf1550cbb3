namespace Kiwi.Resp;

/// <summary>The server's settings as CONFIG GET/SET and the protocol layer see them (the server project owns them).</summary>
internal interface IServerSettings
{
    /// <summary>The password clients must give (null: none).</summary>
    string? RequirePass { get; }

    /// <summary>Largest bulk argument accepted.</summary>
    long ProtoMaxBulkLen { get; }

    /// <summary>Most bytes of one unfinished request.</summary>
    long ClientQueryBufferLimit { get; }

    /// <summary>When a client that does not read its replies is disconnected (default: never).</summary>
    OutputLimit ClientOutputBufferLimit => default;

    /// <summary>When a subscriber that does not read its messages is disconnected (Redis's pubsub class, default 32mb 8mb 60).</summary>
    OutputLimit PubSubOutputBufferLimit => OutputLimit.PubSubDefault;

    /// <summary>Most simultaneous clients.</summary>
    int MaxClients { get; }

    /// <summary>TCP port the server listens on.</summary>
    int Port { get; }

    /// <summary>
    /// Cluster mode with linearizable reads: a read waits for a read barrier (once per batch of input) before it
    /// runs. False standalone or with raft-stale-reads.
    /// </summary>
    bool LinearizableReads => false;

    /// <summary>slowlog-log-slower-than: commands slower than this many microseconds are logged (negative: none).</summary>
    long SlowlogLogSlowerThan => 10_000;

    /// <summary>slowlog-max-len: entries SLOWLOG keeps.</summary>
    long SlowlogMaxLen => 128;

    /// <summary>
    /// CONFIG REWRITE: writes the running settings into the config file the server was started with; false with
    /// Redis's reason when it cannot (no config file, an I/O error).
    /// </summary>
    bool TryRewrite(out string error)
    {
        error = "The server is running without a config file";
        return false;
    }

    /// <summary>The config file the server was started with (INFO server's config_file), or null.</summary>
    string? ConfigFile => null;

    /// <summary>Where SAVE and BGSAVE write their RocksDB checkpoint (null: saving is not possible).</summary>
    string? SaveDirectory => null;

    /// <summary>Every setting by redis.conf name.</summary>
    IEnumerable<KeyValuePair<string, string>> All();

    /// <summary>
    /// Changes a setting at runtime; false when it cannot, with the reason (Redis's wording), or a null reason
    /// when the name is unknown.
    /// </summary>
    bool TrySet(string name, string value, out string? error);
}
