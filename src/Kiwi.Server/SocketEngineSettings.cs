using System.Globalization;

namespace Kiwi.Server;

/// <summary>
/// The runtime's socket engine settings. The runtime reads them once, when the process first uses a socket, so
/// they are set before anything opens one: in cluster mode the Raft transport does, when the database opens.
/// A variable already in the environment wins.
/// </summary>
internal static class SocketEngineSettings
{
    /// <summary>Socket completions run on the epoll thread that saw them ("1") instead of the thread pool.</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The number of epoll threads.</summary>
    internal const string IoThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>Sets the variables the environment does not set; returns whether completions run inline.</summary>
    public static bool Apply(ServerConfig config)
    {
        foreach ((string name, string value) in Defaults(config, Environment.GetEnvironmentVariable))
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return InlineCompletions(Environment.GetEnvironmentVariable);
    }

    /// <summary>The variables to set, given what <paramref name="environment"/> already holds.</summary>
    internal static List<(string Name, string Value)> Defaults(ServerConfig config, Func<string, string?> environment)
    {
        var defaults = new List<(string Name, string Value)>(2);

        // Socket I/O and the sessions run on the runtime's epoll threads, like redis-server's event loop: a read
        // is parsed, executed and answered on the thread that saw it, with no hop to the thread pool. A write is
        // applied there too while the writer thread is idle (KiwiDbOptions.InlineApplyWhenIdle), and a pipelined
        // read moves to the pool (ClientSession.OffloadBytes) so the I/O thread goes on reading. Anything slow a
        // command does holds the other clients of its thread, as in Redis. 0 in the environment turns this off.
        if (environment(InlineCompletionsVariable) is null)
        {
            defaults.Add((InlineCompletionsVariable, "1"));
        }

        // io-threads (default 1, like Redis): epoll threads. One thread sees more ready sockets per wake-up and
        // switches less; in benches/compare-redis.sh on 2 cores it beat two for unpipelined SET and GET, and
        // pipelines still use both cores through the offload.
        if (environment(IoThreadsVariable) is null)
        {
            defaults.Add((IoThreadsVariable, config.IoThreads.ToString(CultureInfo.InvariantCulture)));
        }

        return defaults;
    }

    /// <summary>Whether completions run inline: unless the environment turns it off with "0".</summary>
    internal static bool InlineCompletions(Func<string, string?> environment) => environment(InlineCompletionsVariable) != "0";
}
