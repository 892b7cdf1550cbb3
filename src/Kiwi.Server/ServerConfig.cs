using System.Globalization;
using Kiwi.Core.Apply;

namespace Kiwi.Server;

/// <summary>
/// Server settings, redis-server style: an optional config file (lines of <c>name value</c>, '#' comments)
/// given first, then <c>--name value</c> flags that override it.
/// </summary>
public sealed partial class ServerConfig
{
    /// <summary>Address to listen on (default loopback only).</summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>TCP port (0 = pick a free one).</summary>
    public int Port { get; set; } = 7379;

    /// <summary>Data directory.</summary>
    public string Dir { get; set; } = "./kiwi-data";

    /// <summary>always | everysec | no.</summary>
    public Durability AppendFsync { get; set; } = Durability.EverySec;

    /// <summary>Password every client must give with AUTH (null: none).</summary>
    public string? RequirePass { get; set; }

    /// <summary>Most simultaneous clients.</summary>
    public int MaxClients { get; set; } = 10000;

    /// <summary>Largest bulk string accepted from a client.</summary>
    public long ProtoMaxBulkLen { get; set; } = 512L * 1024 * 1024;

    /// <summary>client-output-buffer-limit for normal clients (see <see cref="Kiwi.Resp.OutputLimit"/>; default 0 0 0, as Redis: none).</summary>
    internal Kiwi.Resp.OutputLimit ClientOutputBufferLimit { get; set; }

    /// <summary>client-output-buffer-limit for pub/sub clients (default 32mb 8mb 60, as Redis).</summary>
    internal Kiwi.Resp.OutputLimit PubSubOutputBufferLimit { get; set; } = Kiwi.Resp.OutputLimit.PubSubDefault;

    /// <summary>notify-keyspace-events: the keyspace notification classes (Redis's letters; default none).</summary>
    public Kiwi.Core.PubSub.KeyspaceEventClasses NotifyKeyspaceEvents { get; set; }

    /// <summary>Most bytes of one unfinished request a client may send.</summary>
    public long ClientQueryBufferLimit { get; set; } = 1024L * 1024 * 1024;

    /// <summary>memory-budget: memory for data in bytes, split by <see cref="Kiwi.Core.MemoryBudget.Split"/> (0: a quarter of RAM).</summary>
    public long MemoryBudgetBytes { get; set; }

    /// <summary>RocksDB block cache in bytes (null: from the memory budget).</summary>
    public long? BlockCacheBytes { get; set; }

    /// <summary>The read cache of small records in front of RocksDB, in bytes (0: off; null: from the memory budget; see <see cref="Kiwi.Core.KiwiDbOptions.ReadCacheBytes"/>).</summary>
    public long? ReadCacheBytes { get; set; }

    /// <summary>The memory budget's split as these settings make it.</summary>
    public Kiwi.Core.MemoryBudget Memory => Kiwi.Core.MemoryBudget.Split(MemoryBudgetBytes, BlockCacheBytes, ReadCacheBytes);

    /// <summary>rocksdb-options: RocksDB options on top of the engine's (see <see cref="Kiwi.Core.KiwiDbOptions.RocksDbOptions"/>; empty: none).</summary>
    public string? RocksDbOptions { get; set; }

    /// <summary>
    /// inline-apply yes|no: a connection's thread applies a write itself when the writer thread is idle
    /// (see <see cref="Kiwi.Core.KiwiDbOptions.InlineApplyWhenIdle"/>).
    /// </summary>
    public bool InlineApply { get; set; } = true;

    /// <summary>
    /// collection-cleanup yes|no: delete the members of dropped or overwritten collections in the background
    /// (see <see cref="Kiwi.Core.KiwiDbOptions.CollectionCleanup"/>; no leaves them on disk, unreachable).
    /// </summary>
    public bool CollectionCleanup { get; set; } = true;

    /// <summary>verify-on-start yes|no: check every table file's checksums at start (see <see cref="Kiwi.Core.KiwiDbOptions.VerifyOnOpen"/>).</summary>
    public bool VerifyOnStart { get; set; } = true;

    /// <summary>databases N: how many databases SELECT picks from (see <see cref="Kiwi.Core.KiwiDbOptions.Databases"/>; default 16, as Redis).</summary>
    public int Databases { get; set; } = 16;

    /// <summary>io-threads N: socket event (epoll) threads; read when the first socket opens (default 1).</summary>
    public int IoThreads { get; set; } = 1;

    /// <summary>Parses the command line (config file first, then flags).</summary>
    public static ServerConfig Parse(string[] args)
    {
        var config = new ServerConfig();
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            config.ConfigFile = Path.GetFullPath(args[0]);
            foreach (string raw in File.ReadAllLines(args[0]))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int space = line.IndexOfAny([' ', '\t']);
                if (space < 0)
                {
                    throw new FormatException($"config line '{line}' has no value");
                }

                config.Set(line[..space], line[(space + 1)..].Trim().Trim('"'));
            }

            i = 1;
        }

        for (; i < args.Length; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new FormatException($"expected '--name value', got '{name}'");
            }

            config.Set(name[2..], args[++i]);
        }

        // Settings that depend on each other (raft-members must name raft-bind:raft-port) fail here, at start.
        config.CreateRaftOptions();
        return config;
    }

    /// <summary>Sets one setting by its redis.conf name (CONFIG SET uses it too); throws on a bad name or value.</summary>
    public void Set(string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case "bind": Bind = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]; break;
            case "port": Port = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "dir": Dir = value; break;
            case "appendfsync": AppendFsync = ParseFsync(value); break;
            case "requirepass": RequirePass = value.Length == 0 ? null : value; break;
            case "maxclients": MaxClients = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "proto-max-bulk-len": ProtoMaxBulkLen = ParseBytes(value); break;
            case "client-output-buffer-limit":
                Kiwi.Resp.OutputLimit pubsub = Kiwi.Resp.OutputLimit.Parse(value, ParseBytes, "pubsub", PubSubOutputBufferLimit);
                ClientOutputBufferLimit = Kiwi.Resp.OutputLimit.Parse(value, ParseBytes, "normal", ClientOutputBufferLimit);
                PubSubOutputBufferLimit = pubsub;
                break;
            case "client-query-buffer-limit": ClientQueryBufferLimit = ParseBytes(value); break;
            case "notify-keyspace-events":
                NotifyKeyspaceEvents = Kiwi.Core.PubSub.KeyspaceEventFormat.TryParse(value, out Kiwi.Core.PubSub.KeyspaceEventClasses classes)
                    ? classes
                    : throw new FormatException(Kiwi.Core.PubSub.KeyspaceEventFormat.InvalidClass);
                break;
            case "memory-budget": MemoryBudgetBytes = ParseBytes(value); break;
            case "block-cache-size": BlockCacheBytes = ParseBytes(value); break;
            case "read-cache-size": ReadCacheBytes = ParseBytes(value); break;
            case "rocksdb-options": RocksDbOptions = value.Length == 0 ? null : value; break;
            case "inline-apply": InlineApply = ParseYesNo(name, value); break;
            case "io-threads": IoThreads = ParseIoThreads(value); break;
            case "databases": Databases = ParseDatabases(value); break;
            case "collection-cleanup": CollectionCleanup = ParseYesNo(name, value); break;
            case "verify-on-start": VerifyOnStart = ParseYesNo(name, value); break;
            case "raft-port": RaftPort = ParseRaftPort(value); break;
            case "raft-bind": RaftBind = ParseRaftBind(value); break;
            case "raft-members": RaftMembers = ParseRaftMembers(value); break;
            case "raft-log-dir": RaftLogDir = value.Length == 0 ? null : value; break;
            case "raft-stale-reads": RaftStaleReads = ParseYesNo(name, value); break;
            case "raft-redirect": RaftRedirect = ParseYesNo(name, value); break;
            case "raft-join": RaftJoin = ParseYesNo(name, value); break;
            case "raft-request-timeout": RaftRequestTimeoutMs = long.Parse(value, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture) is > 0 and var ms ? ms : throw new FormatException("raft-request-timeout must be at least 1 (milliseconds)"); break;
            case "raft-election-timeout": RaftElectionTimeoutMs = ParseElectionTimeout(value); break;
            case "raft-log-level": RaftLogLevel = ParseRaftLogLevel(value); break;
            case "raft-snapshot-port": RaftSnapshotPort = ParseSnapshotPort(value); break;
            case "raft-write-retry": RaftWriteRetryMs = long.Parse(value, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture); break;
            case "raft-snapshot-every": RaftSnapshotEvery = long.Parse(value, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture) is > 0 and var every ? every : throw new FormatException("raft-snapshot-every must be at least 1"); break;
            default:
                if (!TrySetAdmin(name.ToLowerInvariant(), value))
                {
                    throw new FormatException($"unknown setting '{name}'");
                }

                break;
        }
    }

    /// <summary>Settings by redis.conf name, for CONFIG GET.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        yield return new("bind", Bind);
        yield return new("port", Port.ToString(CultureInfo.InvariantCulture));
        yield return new("dir", Path.GetFullPath(Dir));
        yield return new("appendfsync", AppendFsync switch { Durability.Always => "always", Durability.No => "no", _ => "everysec" });
        yield return new("requirepass", RequirePass ?? string.Empty);
        yield return new("maxclients", MaxClients.ToString(CultureInfo.InvariantCulture));
        yield return new("proto-max-bulk-len", ProtoMaxBulkLen.ToString(CultureInfo.InvariantCulture));
        yield return new("client-output-buffer-limit", Kiwi.Resp.OutputLimit.Format(ClientOutputBufferLimit, PubSubOutputBufferLimit));
        yield return new("client-query-buffer-limit", ClientQueryBufferLimit.ToString(CultureInfo.InvariantCulture));
        yield return new("notify-keyspace-events", Kiwi.Core.PubSub.KeyspaceEventFormat.Format(NotifyKeyspaceEvents));
        Kiwi.Core.MemoryBudget memory = Memory;
        yield return new("memory-budget", memory.TotalBytes.ToString(CultureInfo.InvariantCulture));
        yield return new("block-cache-size", memory.BlockCacheBytes.ToString(CultureInfo.InvariantCulture));
        yield return new("read-cache-size", memory.ReadCacheBytes.ToString(CultureInfo.InvariantCulture));
        yield return new("rocksdb-options", RocksDbOptions ?? string.Empty);
        yield return new("inline-apply", InlineApply ? "yes" : "no");
        yield return new("io-threads", IoThreads.ToString(CultureInfo.InvariantCulture));
        yield return new("collection-cleanup", CollectionCleanup ? "yes" : "no");
        yield return new("verify-on-start", VerifyOnStart ? "yes" : "no");
        yield return new("raft-port", RaftPort.ToString(CultureInfo.InvariantCulture));
        yield return new("raft-bind", EffectiveRaftBind);
        yield return new("raft-members", FormatRaftMembers());
        yield return new("raft-log-dir", EffectiveRaftLogDir);
        yield return new("raft-stale-reads", RaftStaleReads ? "yes" : "no");
        yield return new("raft-redirect", RaftRedirect ? "yes" : "no");
        yield return new("raft-join", RaftJoin ? "yes" : "no");
        yield return new("raft-snapshot-every", RaftSnapshotEvery.ToString(CultureInfo.InvariantCulture));
        yield return new("raft-request-timeout", RaftRequestTimeoutMs.ToString(CultureInfo.InvariantCulture));
        yield return new("raft-election-timeout", string.Create(CultureInfo.InvariantCulture, $"{RaftElectionTimeoutMs.Min}-{RaftElectionTimeoutMs.Max}"));
        yield return new("raft-log-level", RaftLogLevel == Microsoft.Extensions.Logging.LogLevel.None ? "none" : RaftLogLevel.ToString().ToLowerInvariant());
        yield return new("raft-snapshot-port", RaftSnapshotPort.ToString(CultureInfo.InvariantCulture));
        yield return new("raft-write-retry", RaftWriteRetryMs.ToString(CultureInfo.InvariantCulture));
        foreach (KeyValuePair<string, string> setting in AdminSettings())
        {
            yield return setting;
        }

        yield return new("databases", Databases.ToString(CultureInfo.InvariantCulture));
        yield return new("save", string.Empty);
        yield return new("appendonly", "yes");
    }

    private static int ParseDatabases(string value)
    {
        int n = int.Parse(value, CultureInfo.InvariantCulture);
        return n is >= 1 and <= Kiwi.Core.KiwiDbOptions.MaxDatabases ? n : throw new FormatException($"databases must be 1 to {Kiwi.Core.KiwiDbOptions.MaxDatabases}, not {n}");
    }

    private static int ParseIoThreads(string value)
    {
        int n = int.Parse(value, CultureInfo.InvariantCulture);
        return n is >= 1 and <= 128 ? n : throw new FormatException($"io-threads must be 1 to 128, not {n}");
    }

    private static bool ParseYesNo(string name, string value) => value.ToLowerInvariant() switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new FormatException($"{name} must be yes or no, not '{value}'"),
    };

    private static Durability ParseFsync(string value) => value.ToLowerInvariant() switch
    {
        "always" => Durability.Always,
        "everysec" => Durability.EverySec,
        "no" => Durability.No,
        _ => throw new FormatException($"appendfsync must be always, everysec or no, not '{value}'"),
    };

    /// <summary>Redis memory units: 1k = 1000, 1kb = 1024, likewise m/mb and g/gb.</summary>
    private static long ParseBytes(string value)
    {
        string v = value.Trim().ToLowerInvariant();
        (string suffix, long unit)[] units = [("gb", 1L << 30), ("mb", 1L << 20), ("kb", 1L << 10), ("g", 1_000_000_000), ("m", 1_000_000), ("k", 1000), ("b", 1)];
        foreach ((string suffix, long unit) in units)
        {
            if (v.EndsWith(suffix, StringComparison.Ordinal))
            {
                return checked(long.Parse(v[..^suffix.Length], CultureInfo.InvariantCulture) * unit);
            }
        }

        return long.Parse(v, CultureInfo.InvariantCulture);
    }
}
