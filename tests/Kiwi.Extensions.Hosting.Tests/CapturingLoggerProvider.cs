using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kiwi.Extensions.Hosting.Tests;

/// <summary>Keeps every log entry written through it, for asserting on events.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public bool Has(int eventId) => _entries.Any(e => e.EventId.Id == eventId && e.Category.StartsWith("Kiwi.Extensions.Hosting", StringComparison.Ordinal));

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception)));
    }
}
