using Microsoft.Extensions.Logging;

namespace Kiwi.Core.Tests.Raft;

/// <summary>
/// The Raft library's diagnostics of loopback nodes, appended to the file named by <c>KIWI_TEST_RAFT_LOG</c> when it
/// is set (none otherwise): to see what a leader did for a member when a cluster test stalls.
/// </summary>
internal sealed class RaftTestLog : ILoggerFactory
{
    private static readonly object s_gate = new();
    private readonly string _path;
    private readonly string _node;

    private RaftTestLog(string path, string node)
    {
        _path = path;
        _node = node;
    }

    /// <summary>A factory for <paramref name="node"/>'s Raft member, or null when no log file is asked for.</summary>
    public static ILoggerFactory? For(string node)
        => Environment.GetEnvironmentVariable("KIWI_TEST_RAFT_LOG") is { Length: > 0 } path ? new RaftTestLog(path, node) : null;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, string message, Exception? error)
    {
        string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {_node} {level} {category}: {message}{(error is null ? "" : " | " + error.GetType().Name + ": " + error.Message)}{Environment.NewLine}";
        lock (s_gate)
        {
            File.AppendAllText(_path, line);
        }
    }

    private sealed class Logger(RaftTestLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Write(category, logLevel, formatter(state, exception), exception);
    }
}
