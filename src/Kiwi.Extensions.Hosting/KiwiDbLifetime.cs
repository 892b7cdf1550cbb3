using Kiwi.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Holds the host's <see cref="KiwiDb"/>. Opened from options, it is opened once, by the hosted service at start or
/// by the first service that needs it earlier, and closed once when the host stops; a closed database is not
/// opened again. Given open (the application owns it), it is only let go when the host stops, never closed.
/// </summary>
internal sealed class KiwiDbLifetime : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IOptions<KiwiDbOptions>? _options;
    private readonly ILogger<KiwiDbLifetime> _logger;
    private readonly bool _owned;
    private KiwiDb? _db;
    private bool _closed;

    /// <summary>A database opened from <paramref name="options"/> and closed with the host.</summary>
    public KiwiDbLifetime(IOptions<KiwiDbOptions> options, ILogger<KiwiDbLifetime> logger)
    {
        _options = options;
        _logger = logger;
        _owned = true;
    }

    /// <summary>A database the application opened and closes itself.</summary>
    public KiwiDbLifetime(KiwiDb open, ILogger<KiwiDbLifetime> logger)
    {
        _db = open;
        _logger = logger;
    }

    /// <summary>The open database, or null before it opened and after it closed.</summary>
    public KiwiDb? Current => Volatile.Read(ref _db);

    /// <summary>The open database, opened now if nothing opened it yet (blocking: the synchronous DI resolution).</summary>
    public KiwiDb Database => Current ?? OpenAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Opens the database unless open; in cluster mode also starts its Raft member.</summary>
    /// <exception cref="ObjectDisposedException">The database was closed (the host stopped).</exception>
    public async Task<KiwiDb> OpenAsync(CancellationToken cancellationToken)
    {
        if (Current is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(KiwiDb));
            if (_db is null)
            {
                KiwiDbOptions settings = _options!.Value;
                KiwiDb db;
                try
                {
                    db = await KiwiDb.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    KiwiDbLog.OpenFailed(_logger, settings.Path, ex);
                    throw;
                }

                KiwiDbLog.Opened(_logger, Path.GetFullPath(settings.Path), settings.Durability, settings.Raft is null ? "standalone" : "cluster", db.AppliedIndex);
                Volatile.Write(ref _db, db);
            }

            return _db;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Closes the database: every accepted write is applied first. The close runs on the thread pool;
    /// <paramref name="cancellationToken"/> (the host's shutdown timeout) stops the waiting, not the close.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        KiwiDb? db;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _closed = true;
            db = _db;
            Volatile.Write(ref _db, null);
        }
        finally
        {
            _gate.Release();
        }

        if (db is null || !_owned)
        {
            return;
        }

        // KiwiDb's close blocks until the writer drained: keep it off the host's stopping thread.
        await Task.Run(db.Dispose, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        KiwiDbLog.Closed(_logger, db.AppliedIndex);
    }

    /// <summary>Closes the database if the host did not (the container is disposed without a stop).</summary>
    public void Dispose()
    {
        _closed = true;
        KiwiDb? db = Interlocked.Exchange(ref _db, null);
        if (_owned)
        {
            db?.Dispose();
        }
    }
}
