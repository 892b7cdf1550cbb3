using System.Net;

namespace Kiwi.Server.Tests;

/// <summary>raft-port, raft-bind, raft-members and raft-log-dir: parsing and the checks made at start.</summary>
public sealed class RaftConfigTests
{
    private const string Members = "127.0.0.1:7479,127.0.0.1:7480,127.0.0.1:7481";

    [Fact]
    public void Without_raft_members_the_server_is_standalone()
    {
        ServerConfig config = ServerConfig.Parse(["--port", "7379", "--raft-port", "7479"]);
        Assert.False(config.ClusterMode);
        Assert.Null(config.CreateRaftOptions());
    }

    [Fact]
    public void Raft_members_with_this_node_make_the_raft_options()
    {
        ServerConfig config = ServerConfig.Parse(["--dir", "./n2", "--raft-port", "7480", "--raft-members", "127.0.0.1:7479, 127.0.0.1:7480,127.0.0.1:7481"]);
        Kiwi.Core.Raft.KiwiRaftOptions options = Assert.IsType<Kiwi.Core.Raft.KiwiRaftOptions>(config.CreateRaftOptions());

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7480), options.EndPoint);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7479), new IPEndPoint(IPAddress.Loopback, 7480), new IPEndPoint(IPAddress.Loopback, 7481)], options.Members);
        Assert.Equal(Path.GetFullPath(Path.Combine("./n2", "raft-log")), options.LogPath);
        Assert.Contains(new KeyValuePair<string, string>("raft-bind", "127.0.0.1"), config.All());

        ServerConfig other = ServerConfig.Parse(["--bind", "0.0.0.0", "--raft-bind", "127.0.0.1", "--raft-port", "7479", "--raft-members", Members, "--raft-log-dir", "/tmp/kiwi-raft-log"]);
        Assert.Equal("/tmp/kiwi-raft-log", other.CreateRaftOptions()!.LogPath);
    }

    [Fact]
    public void Raft_members_without_this_node_fail_with_a_clear_message()
    {
        FormatException error = Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-port", "7482", "--raft-members", Members]));
        Assert.Contains("127.0.0.1:7482", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not in raft-members", error.Message, StringComparison.Ordinal);

        // raft-bind defaults to bind: a wildcard bind is not a member's address.
        error = Assert.Throws<FormatException>(() => ServerConfig.Parse(["--bind", "0.0.0.0", "--raft-port", "7479", "--raft-members", Members]));
        Assert.Contains("not a wildcard", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-members", Members]));
        Assert.Contains("raft-port is not", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:7479,localhost:7480", "'localhost:7480' is not an IP:port")]
    [InlineData("127.0.0.1:7479,127.0.0.1", "'127.0.0.1' is not an IP:port")]
    [InlineData("127.0.0.1:7479,127.0.0.1:99999", "'127.0.0.1:99999' is not an IP:port")]
    [InlineData("127.0.0.1:7479,127.0.0.1:7479", "lists 127.0.0.1:7479 twice")]
    public void An_unparsable_member_fails_with_a_clear_message(string members, string expected)
    {
        FormatException error = Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-port", "7479", "--raft-members", members]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raft_port_and_raft_bind_must_parse()
    {
        Assert.Contains("raft-port must be", Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-port", "70000"])).Message, StringComparison.Ordinal);
        Assert.Contains("raft-bind must be an IP address", Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-bind", "my-host"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_exits_with_an_error_code_when_this_node_is_not_a_member()
    {
        // kiwi-server's own entry point: it fails on the configuration, before it opens the data directory.
        string dir = Path.Combine(Path.GetTempPath(), "kiwi-raft-config-" + Guid.NewGuid().ToString("N"));
        System.Reflection.MethodInfo main = typeof(ServerConfig).Assembly.EntryPoint!;
        object? code = main.Invoke(null, [new[] { "--port", "0", "--dir", dir, "--raft-port", "7482", "--raft-members", Members }]);

        Assert.Equal(1, code);
        Assert.False(Directory.Exists(dir));
    }
}

/// <summary>raft-request-timeout against raft-election-timeout: a request timeout that outlasts an election round is refused.</summary>
public sealed class RaftTimeoutConfigTests
{
    private static readonly string[] s_member = ["--port", "7379", "--raft-port", "7479", "--raft-members", "127.0.0.1:7479"];

    [Theory]
    [InlineData("300", null, "raft-request-timeout (300 ms)", "raft-election-timeout 300-600 (300 ms)")]
    [InlineData("450", null, "raft-request-timeout (450 ms)", "raft-election-timeout 300-600 (300 ms)")]
    [InlineData("150", "100-400", "raft-request-timeout (150 ms)", "raft-election-timeout 100-400 (100 ms)")]
    [InlineData("5000", "1000-2000", "raft-request-timeout (5000 ms)", "raft-election-timeout 1000-2000 (1000 ms)")]
    public void A_request_timeout_not_shorter_than_the_shortest_election_timeout_is_refused(string request, string? election, string requestPart, string electionPart)
    {
        string[] args = election is null
            ? [.. s_member, "--raft-request-timeout", request]
            : [.. s_member, "--raft-request-timeout", request, "--raft-election-timeout", election];
        FormatException error = Assert.Throws<FormatException>(() => ServerConfig.Parse(args));
        Assert.Contains(requestPart, error.Message, StringComparison.Ordinal);
        Assert.Contains(electionPart, error.Message, StringComparison.Ordinal);
        Assert.Contains("must be shorter than the shortest election timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_and_a_request_timeout_just_below_the_election_timeout_are_accepted()
    {
        Kiwi.Core.Raft.KiwiRaftOptions defaults = ServerConfig.Parse(s_member).CreateRaftOptions()!;
        Assert.Empty(defaults.TimeoutProblems());

        Kiwi.Core.Raft.KiwiRaftOptions close = ServerConfig.Parse([.. s_member, "--raft-request-timeout", "299"]).CreateRaftOptions()!;
        Assert.Equal(TimeSpan.FromMilliseconds(299), close.RequestTimeout);

        // Standalone, the raft-* settings are not used and not checked.
        Assert.False(ServerConfig.Parse(["--raft-request-timeout", "5000"]).ClusterMode);
    }

    [Fact]
    public async Task The_server_process_exits_with_an_error_naming_both_settings()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kiwi-raft-timeouts-" + Guid.NewGuid().ToString("N"));
        (int code, string error) = await ServerProcess.RunToExitAsync(
            "--port", "0", "--dir", dir, "--raft-port", "7479", "--raft-members", "127.0.0.1:7479", "--raft-request-timeout", "600", "--raft-election-timeout", "400-800");

        Assert.Equal(1, code);
        Assert.Contains("kiwi-server: raft-request-timeout (600 ms) must be shorter than the shortest election timeout, the lower bound of raft-election-timeout 400-800 (400 ms)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}

/// <summary>The cluster-mode switches added with forwarding, reads, joining and snapshots.</summary>
public sealed class RaftModeConfigTests
{
    [Fact]
    public void Cluster_switches_reach_the_raft_options_and_bad_values_fail()
    {
        ServerConfig config = ServerConfig.Parse(
        [
            "--port", "7380", "--raft-port", "7480", "--raft-members", "127.0.0.1:7479,127.0.0.1:7480",
            "--raft-redirect", "yes", "--raft-join", "yes", "--raft-snapshot-every", "1000", "--raft-request-timeout", "30000", "--raft-election-timeout", "60000-120000", "--raft-snapshot-port", "7481", "--raft-stale-reads", "yes", "--requirepass", "pw",
        ]);
        Kiwi.Core.Raft.KiwiRaftOptions options = Assert.IsType<Kiwi.Core.Raft.KiwiRaftOptions>(config.CreateRaftOptions());
        Assert.False(options.ForwardWrites);
        Assert.True(options.Join);
        Assert.Equal(1000, options.SnapshotEvery);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7481), options.SnapshotEndPoint);
        Assert.Equal("127.0.0.1:7380", options.ClientEndPoint);
        Assert.NotNull(options.WriteForwarder);
        Assert.True(config.RaftStaleReads);

        ServerConfig defaults = ServerConfig.Parse(["--port", "7379", "--raft-port", "7479", "--raft-members", "127.0.0.1:7479"]);
        Kiwi.Core.Raft.KiwiRaftOptions plain = defaults.CreateRaftOptions()!;
        Assert.True(plain.ForwardWrites);
        Assert.False(plain.Join);
        Assert.Equal(50_000, plain.SnapshotEvery);
        Assert.Equal(TimeSpan.FromMilliseconds(Kiwi.Core.Raft.KiwiRaftOptions.DefaultRequestTimeoutMs), plain.RequestTimeout);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), plain.SnapshotEndPoint);
        Assert.False(defaults.RaftStaleReads);

        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-snapshot-every", "0"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-request-timeout", "0"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-snapshot-port", "65536"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-snapshot-port", "-1"]));
        Assert.ThrowsAny<Exception>(() => ServerConfig.Parse(["--raft-snapshot-every", "lots"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-redirect", "maybe"]));
    }

    [Fact]
    public void Raft_write_retry_reaches_the_raft_options()
    {
        ServerConfig defaults = ServerConfig.Parse(["--port", "7379", "--raft-port", "7479", "--raft-members", "127.0.0.1:7479"]);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.CreateRaftOptions()!.WriteRetryTimeout);

        ServerConfig off = ServerConfig.Parse(["--port", "7379", "--raft-port", "7479", "--raft-members", "127.0.0.1:7479", "--raft-write-retry", "0"]);
        Assert.Equal(TimeSpan.Zero, off.CreateRaftOptions()!.WriteRetryTimeout);
        Assert.ThrowsAny<Exception>(() => ServerConfig.Parse(["--raft-write-retry", "-1"]));
    }

    [Fact]
    public void Raft_election_timeout_and_log_level_reach_the_raft_options_and_bad_values_fail()
    {
        string[] member = ["--port", "7379", "--raft-port", "7479", "--raft-members", "127.0.0.1:7479"];
        Kiwi.Core.Raft.KiwiRaftOptions defaults = ServerConfig.Parse(member).CreateRaftOptions()!;
        Assert.Equal(TimeSpan.FromMilliseconds(Kiwi.Core.Raft.KiwiRaftOptions.DefaultElectionTimeoutMinMs), defaults.ElectionTimeoutMin);
        Assert.Equal(TimeSpan.FromMilliseconds(Kiwi.Core.Raft.KiwiRaftOptions.DefaultElectionTimeoutMaxMs), defaults.ElectionTimeoutMax);
        Assert.Null(defaults.LoggerFactory);

        ServerConfig config = ServerConfig.Parse([.. member, "--raft-election-timeout", "250-500", "--raft-log-level", "debug"]);
        Kiwi.Core.Raft.KiwiRaftOptions options = config.CreateRaftOptions()!;
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ElectionTimeoutMin);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ElectionTimeoutMax);
        Assert.NotNull(options.LoggerFactory);
        Assert.Same(options.LoggerFactory, config.CreateRaftOptions()!.LoggerFactory);
        Assert.Contains(new KeyValuePair<string, string>("raft-election-timeout", "250-500"), config.All());
        Assert.Contains(new KeyValuePair<string, string>("raft-log-level", "debug"), config.All());

        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-election-timeout", "500-250"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-election-timeout", "0-250"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-election-timeout", "400"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--raft-log-level", "chatty"]));
    }
}
