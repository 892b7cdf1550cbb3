using Kiwi.Core.Storage;

namespace Kiwi.Core.Apply;

/// <summary>
/// The <c>everysec</c> durability mode: fsyncs the write-ahead log once per interval on its own thread, so
/// the writer never waits for the disk.
/// </summary>
internal sealed class WalSyncer : IDisposable
{
    private readonly IStorageEngine _engine;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public WalSyncer(IStorageEngine engine, TimeSpan interval)
    {
        _engine = engine;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "kiwi-wal-sync" };
        _thread.Start();
    }

    /// <summary>Syncs that failed (the next one retries).</summary>
    public long Failures { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            try
            {
                _engine.SyncWal();
            }
            catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or ObjectDisposedException)
            {
                Failures++;
            }
        }

        try
        {
            _engine.SyncWal();
        }
        catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or ObjectDisposedException)
        {
            Failures++;
        }
    }
}
