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

    /// <summary>Every setting by redis.conf name.</summary>
    IEnumerable<KeyValuePair<string, string>> All();

    /// <summary>
    /// Changes a setting at runtime; false when it cannot, with the reason (Redis's wording), or a null reason
    /// when the name is unknown.
    /// </summary>
    bool TrySet(string name, string value, out string? error);
}
