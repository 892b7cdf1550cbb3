namespace Kiwi.Server.Tests;

/// <summary>The socket engine's settings: io-threads and inline completions, unless the environment sets them.</summary>
public sealed class SocketEngineSettingsTests
{
    [Fact]
    public void An_empty_environment_gets_inline_completions_and_io_threads_from_the_config()
    {
        ServerConfig config = ServerConfig.Parse(["--io-threads", "3", "--raft-port", "7480", "--raft-members", "127.0.0.1:7480"]);
        var environment = new Dictionary<string, string>();

        List<(string Name, string Value)> defaults = SocketEngineSettings.Defaults(config, environment.GetValueOrDefault);

        Assert.Equal(
            [(SocketEngineSettings.InlineCompletionsVariable, "1"), (SocketEngineSettings.IoThreadsVariable, "3")],
            defaults);
        Assert.True(SocketEngineSettings.InlineCompletions(environment.GetValueOrDefault));
    }

    [Fact]
    public void Variables_set_in_the_environment_win()
    {
        ServerConfig config = ServerConfig.Parse(["--io-threads", "3"]);
        var environment = new Dictionary<string, string>
        {
            [SocketEngineSettings.InlineCompletionsVariable] = "0",
            [SocketEngineSettings.IoThreadsVariable] = "5",
        };

        Assert.Empty(SocketEngineSettings.Defaults(config, environment.GetValueOrDefault));
        Assert.False(SocketEngineSettings.InlineCompletions(environment.GetValueOrDefault));
    }
}
