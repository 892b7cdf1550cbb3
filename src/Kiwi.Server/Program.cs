using Kiwi.Core;
using Kiwi.Server;

ServerConfig config;
try
{
    config = ServerConfig.Parse(args);
}
catch (Exception ex) when (ex is FormatException or IOException)
{
    Console.Error.WriteLine($"kiwi-server: {ex.Message}");
    return 1;
}

KiwiDb db;
try
{
    db = KiwiDb.Open(new KiwiDbOptions { Path = config.Dir, Durability = config.AppendFsync, BlockCacheBytes = config.BlockCacheBytes, InlineApplyWhenIdle = config.InlineApply });
}
catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or InvalidDataException or IOException)
{
    Console.Error.WriteLine($"kiwi-server: cannot open the data directory '{Path.GetFullPath(config.Dir)}': {ex.Message}");
    return 1;
}

await using (db)
{
    return await KiwiServer.RunAsync(config, db, CancellationToken.None).ConfigureAwait(false);
}
