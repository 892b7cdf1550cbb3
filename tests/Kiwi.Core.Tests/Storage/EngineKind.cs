using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Storage;

/// <summary>The engines a storage-level test runs on.</summary>
public enum EngineKind
{
    /// <summary>RocksDB with in-place updates (the default): views hold off commits.</summary>
    RocksInplace,

    /// <summary>RocksDB without in-place updates: views read at a RocksDB snapshot.</summary>
    RocksSnapshots,

    /// <summary>The in-memory engine.</summary>
    Memory,
}

/// <summary>Opens an <see cref="EngineKind"/> (small caches: tests share a small machine).</summary>
internal static class TestEngines
{
    public static IStorageEngine Open(EngineKind kind, string path) => kind switch
    {
        EngineKind.RocksInplace => RocksEngine.Open(path, 8L * 1024 * 1024, readCacheBytes: 1024 * 1024),
        EngineKind.RocksSnapshots => RocksEngine.Open(path, 8L * 1024 * 1024, readCacheBytes: 1024 * 1024, inplaceUpdates: false),
        _ => new MemoryEngine(),
    };
}
