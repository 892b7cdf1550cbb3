using System.Net.Sockets;
using Kiwi.Core;
using Kiwi.Core.Raft;
using Kiwi.Server;

ServerConfig config;
KiwiRaftOptions? raft;
try
{
    config = ServerConfig.Parse(args);
    raft = config.CreateRaftOptions();
}
catch (Exception ex) when (ex is FormatException or IOException or OverflowException)
{
    Console.Error.WriteLine($"kiwi-server: {ex.Message}");
    return 1;
}

// Before the database opens: in cluster mode its Raft transport is the first to use a socket, and the runtime
// reads the socket engine's settings then.
SocketEngineSettings.Apply(config);

KiwiDb db;
try
{
    // Standalone without raft-members; with it, OpenAsync also starts this node's Raft member (and returns
    // once it runs: the leader is elected later, when a majority of the members is up).
    db = await KiwiDb.OpenAsync(new KiwiDbOptions
    {
        Path = config.Dir,
        Durability = config.AppendFsync,
        MemoryBudgetBytes = config.MemoryBudgetBytes,
        BlockCacheBytes = config.BlockCacheBytes,
        ReadCacheBytes = config.ReadCacheBytes,
        RocksDbOptions = config.RocksDbOptions,
        InlineApplyWhenIdle = config.InlineApply,
        CollectionCleanup = config.CollectionCleanup,
        VerifyOnOpen = config.VerifyOnStart,
        Databases = config.Databases,
        Raft = raft,
    }).ConfigureAwait(false);
}
catch (ArgumentException ex) when (config.RocksDbOptions is not null)
{
    Console.Error.WriteLine($"kiwi-server: rocksdb-options: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or InvalidDataException or IOException)
{
    Console.Error.WriteLine($"kiwi-server: cannot open the data directory '{Path.GetFullPath(config.Dir)}': {ex.Message}");
    if (ex.Message.Contains("Corruption", StringComparison.Ordinal))
    {
        Console.Error.WriteLine("kiwi-server: its files are damaged, so it does not start and serve part of them: restore the directory from a backup, or in a cluster empty it and let the node rejoin");
    }

    return 1;
}
catch (KiwiException ex)
{
    // The directory belongs elsewhere: written standalone, by another cluster, or by a cluster when started standalone.
    Console.Error.WriteLine($"kiwi-server: {(ex.Message.StartsWith("ERR ", StringComparison.Ordinal) ? ex.Message[4..] : ex.Message)}");
    return 1;
}
catch (Exception ex) when (raft is not null && ex is SocketException or ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"kiwi-server: cannot start the Raft member at {raft.EndPoint}: {ex.Message}");
    return 1;
}

try
{
    if (db.Raft is { } node)
    {
        if (node.StartNote is { } note)
        {
            Console.Error.WriteLine($"kiwi-server: {note}");
        }

        _ = ReportLeaderlessAsync(node);
    }

    return await KiwiServer.RunAsync(config, db, CancellationToken.None).ConfigureAwait(false);
}
finally
{
    await CloseStorageAsync(db).ConfigureAwait(false);
}

// Closing storage waits for every command still reading it. Commands that walk keys stop when the server stops,
// but one that cannot (a single huge glob match, a stuck read) must not keep the process alive: past the bound
// the process exits with RocksDB open, which is crash-safe (its WAL restores what the memtables held), after the
// writer has applied what it accepted or while it still does, as a crash would.
static async Task CloseStorageAsync(KiwiDb db)
{
    Task close = Task.Run(db.Dispose);
    try
    {
        await close.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
    catch (TimeoutException)
    {
        Console.Error.WriteLine("kiwi-server: storage did not close within 5 s (a command is still reading it); exiting without closing it, the next start recovers from the WAL");
    }
}

// Members that never answer (a wrong address, a node not started) leave the cluster without a leader: say so,
// naming them, instead of letting writes fail with CLUSTERDOWN in silence.
static async Task ReportLeaderlessAsync(KiwiRaftNode node)
{
    try
    {
        await ReportUntilLeaderAsync(node).ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
    {
        // Stopping.
    }
}

static async Task ReportUntilLeaderAsync(KiwiRaftNode node)
{
    while (!await node.WaitForLeaderAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))
    {
        var unreachable = new List<string>();
        foreach ((System.Net.EndPoint endPoint, bool? available) in node.Members)
        {
            if (available == false && !endPoint.Equals(node.EndPoint))
            {
                unreachable.Add(endPoint.ToString()!);
            }
        }

        Console.Error.WriteLine($"kiwi-server: no Raft leader after 10 s; writes answer CLUSTERDOWN until a majority of the members runs. Not answering: {(unreachable.Count == 0 ? "(none known)" : string.Join(", ", unreachable))}");
    }
}
