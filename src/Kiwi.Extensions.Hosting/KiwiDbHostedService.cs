using Kiwi.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Opens the database when the host starts (in cluster mode its Raft member too), logs engine events while it
/// runs, and closes it when the host stops, after the services registered after it have stopped.
/// </summary>
internal sealed class KiwiDbHostedService(KiwiDbLifetime lifetime, ILogger<KiwiDbHostedService> logger) : IHostedService, IDisposable
{
    /// <summary>How often the engine's counters and Raft state are compared for the log.</summary>
    internal static readonly TimeSpan EventInterval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stopping = new();
    private Task _monitor = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        KiwiDb db = await lifetime.OpenAsync(cancellationToken).ConfigureAwait(false);
        _monitor = MonitorAsync(db, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _monitor.ConfigureAwait(false);
        await lifetime.CloseAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task MonitorAsync(KiwiDb db, CancellationToken stopping)
    {
        var monitor = new KiwiDbEventMonitor(logger);
        using var timer = new PeriodicTimer(EventInterval);
        try
        {
            do
            {
                monitor.Check(db);
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            KiwiDbLog.MonitorFailed(logger, ex);
        }
    }
}
