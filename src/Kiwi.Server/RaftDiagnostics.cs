using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Kiwi.Server;

/// <summary>
/// The Raft library's own diagnostics (raft-log-level): elections, votes granted and refused, members found
/// unavailable, step-downs, each on one line of standard output with a UTC timestamp to the millisecond, so the
/// lines of several members can be merged to see where a failover's time went. At debug, the events DotNext
/// writes for every append (thousands a second under load) are left out, and every Raft request that took
/// longer than <see cref="SlowRequestMs"/> is written with its kind, its peer and its duration (from DotNext's
/// <c>response-time</c> metric).
/// </summary>
internal sealed class RaftDiagnostics : ILoggerFactory, ILogger
{
    /// <summary>Requests slower than this are written at debug.</summary>
    public const double SlowRequestMs = 50;

    private const string ClientMeter = "DotNext.Net.Cluster.Consensus.Raft.Client";
    private readonly LogLevel _level;
    private readonly MeterListener? _slow;

    private RaftDiagnostics(LogLevel level)
    {
        _level = level;
        if (level <= LogLevel.Debug)
        {
            _slow = new MeterListener
            {
                InstrumentPublished = static (instrument, listener) =>
                {
                    if (instrument.Meter.Name == ClientMeter && instrument.Name == "response-time")
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _slow.SetMeasurementEventCallback<double>(OnResponseTime);
            _slow.Start();
        }
    }

    /// <summary>Diagnostics at <paramref name="level"/> and above; null for <see cref="LogLevel.None"/>.</summary>
    public static ILoggerFactory? Create(LogLevel level) => level == LogLevel.None ? null : new RaftDiagnostics(level);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _level && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || IsPerAppend(eventId.Name))
        {
            return;
        }

        string text = formatter(state, exception);
        if (exception is not null)
        {
            text += " (" + exception.GetType().Name + ": " + exception.Message + ")";
        }

        Write(string.Create(CultureInfo.InvariantCulture, $"{Level(logLevel)} {eventId.Name?.Replace("DotNext.Net.Cluster.", string.Empty, StringComparison.Ordinal)}: {text}"));
    }

    public void Dispose() => _slow?.Dispose();

    // Written for every append or heartbeat a member sends or takes.
    private static bool IsPerAppend(string? name)
        => name is not null && (name.EndsWith(".TimeoutReset", StringComparison.Ordinal)
            || name.EndsWith(".ReplicationStarted", StringComparison.Ordinal)
            || name.EndsWith(".ReplicaSize", StringComparison.Ordinal)
            || name.EndsWith(".ReplicationSuccessful", StringComparison.Ordinal)
            || name.EndsWith(".CommitSuccessful", StringComparison.Ordinal)
            || name.EndsWith(".CommitFailed", StringComparison.Ordinal));

    private static void OnResponseTime(Instrument instrument, double ms, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (ms < SlowRequestMs)
        {
            return;
        }

        string? message = null;
        string? peer = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key.EndsWith(".message", StringComparison.Ordinal))
            {
                message = tag.Value?.ToString();
            }
            else if (tag.Key.EndsWith(".address", StringComparison.Ordinal))
            {
                peer = tag.Value?.ToString();
            }
        }

        Write(string.Create(CultureInfo.InvariantCulture, $"dbug SlowRequest: {message} to {peer} took {ms:0} ms"));
    }

    private static void Write(string line)
        => Console.Out.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + line);

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
