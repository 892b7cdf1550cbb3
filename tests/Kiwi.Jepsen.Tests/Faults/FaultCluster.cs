using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>What one member says about the cluster (its INFO raft).</summary>
/// <param name="Role">leader, follower, or unknown (no leader known).</param>
/// <param name="Term">Its current term.</param>
/// <param name="Leader">The leader it knows, as a member index (-1: none).</param>
internal sealed record RaftView(string Role, long Term, int Leader);

/// <summary>
/// A 3-member kiwi-server cluster of real processes, each in a network namespace of a <see cref="NetworkLab"/>,
/// with the faults a test injects: SIGSTOP/SIGCONT, kill -9 and restart on the same data, a member's link cut,
/// and the bridge partition. Each member listens for clients on its own address, port 6379, and for Raft on
/// port 7000. Dispose kills every process, removes the network and deletes the data, whatever state the test
/// left them in.
/// </summary>
internal sealed class FaultCluster : IDisposable
{
    /// <summary>The clients' port on every member (each has its own namespace).</summary>
    public const int ClientPort = 6379;

    private const int RaftPort = 7000;
    private static readonly TimeSpan s_infoTimeout = TimeSpan.FromMilliseconds(500);
    private readonly NetworkLab _lab;
    private readonly string _dir;
    private readonly long _requestTimeoutMs;
    private readonly MemberProcess?[] _members;
    private readonly string[] _settings;

    private FaultCluster(NetworkLab lab, string dir, long requestTimeoutMs, string[] settings)
    {
        _settings = settings;
        _lab = lab;
        _dir = dir;
        _requestTimeoutMs = requestTimeoutMs;
        _members = new MemberProcess?[lab.Members];
    }

    /// <summary>The number of members.</summary>
    public int Size => _members.Length;

    /// <summary>The raft-request-timeout the members run with.</summary>
    public long RequestTimeoutMs => _requestTimeoutMs;

    /// <summary>Every member's client endpoint, by member index.</summary>
    public IPEndPoint[] Endpoints => [.. Enumerable.Range(0, Size).Select(Endpoint)];

    /// <summary>
    /// The raft-request-timeout of fault tests: <c>KIWI_FAULT_REQUEST_TIMEOUT_MS</c>, else the server's default (at
    /// the old 5000 ms a majority stayed leaderless after its leader was paused or cut off).
    /// </summary>
    public static long DefaultRequestTimeoutMs
        => long.TryParse(Environment.GetEnvironmentVariable("KIWI_FAULT_REQUEST_TIMEOUT_MS"), CultureInfo.InvariantCulture, out long ms) && ms > 0
            ? ms
            : Kiwi.Core.Raft.KiwiRaftOptions.DefaultRequestTimeoutMs;

    /// <summary>
    /// Creates the network and starts 3 members, with <paramref name="settings"/> as more <c>--name value</c> flags;
    /// returns once a leader is elected.
    /// </summary>
    public static Task<FaultCluster> StartAsync(params string[] settings) => StartAsync(3, settings);

    /// <summary>
    /// Creates the network and starts <paramref name="members"/> members, with <paramref name="settings"/> as more
    /// <c>--name value</c> flags; returns once a leader is elected.
    /// </summary>
    public static async Task<FaultCluster> StartAsync(int members, params string[] settings)
    {
        NetworkLab lab = NetworkLab.Create(members);
        string dir = Path.Combine(Path.GetTempPath(), "kiwi-faults-" + Guid.NewGuid().ToString("N"));
        var cluster = new FaultCluster(lab, dir, DefaultRequestTimeoutMs, settings);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, members).Select(cluster.StartMemberAsync));
            await cluster.WaitForLeaderAsync([.. Enumerable.Range(0, members)], TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Member <paramref name="member"/>'s client endpoint.</summary>
    public IPEndPoint Endpoint(int member) => new(_lab.MemberAddress(member), ClientPort);

    /// <summary>SIGSTOP to the member.</summary>
    public void Pause(int member) => Member(member).Pause();

    /// <summary>SIGCONT to the member.</summary>
    public void Resume(int member) => Member(member).Resume();

    /// <summary>kill -9 of the member; its data stays for <see cref="RestartAsync"/>.</summary>
    public void Kill(int member) => Member(member).Kill();

    /// <summary>Starts a killed member again on its data.</summary>
    public async Task RestartAsync(int member)
    {
        _members[member]?.Dispose();
        _members[member] = null;
        await StartMemberAsync(member);
    }

    /// <summary>Cuts the member's link: its packets drop, its connections stay open.</summary>
    public void Isolate(int member) => _lab.Cut(member);

    /// <summary>Brings the member's link back.</summary>
    public void Reconnect(int member) => _lab.Reconnect(member);

    /// <summary>The bridge partition: <paramref name="a"/> and <paramref name="b"/> lose each other, and only each other.</summary>
    public void Separate(int a, int b) => _lab.Separate(a, b);

    /// <summary>The members of <paramref name="side"/> and the rest lose each other; each side stays whole (see <see cref="NetworkLab.Partition"/>).</summary>
    public void Partition(params int[] side) => _lab.Partition(side);

    /// <summary>Whether member <paramref name="from"/> can open a connection to member <paramref name="to"/>'s client port.</summary>
    public bool CanConnect(int from, int to) => _lab.CanConnect(from, Endpoint(to));

    /// <summary>Every link up, no port isolated.</summary>
    public void HealNetwork() => _lab.HealAll();

    /// <summary>The member's INFO raft, or null when it does not answer in time.</summary>
    public async Task<RaftView?> ViewAsync(int member)
    {
        try
        {
            using MemberConnection connection = await MemberConnection.ConnectAsync(Endpoint(member), s_infoTimeout);
            string info = await connection.CallAsync(s_infoTimeout, "INFO", "raft");
            Dictionary<string, string> fields = info.Split("\r\n")
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
            string leader = fields.GetValueOrDefault("leader", string.Empty);
            int index = Enumerable.Range(0, Size).FirstOrDefault(m => leader == $"{_lab.MemberAddress(m)}:{RaftPort}", -1);
            return new RaftView(fields["role"], long.Parse(fields["term"], CultureInfo.InvariantCulture), index);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Polls until every member of <paramref name="among"/> answers and they agree on one leader among them and
    /// one term, which it returns; fails the test at the deadline with what each member said last.
    /// </summary>
    public async Task<(int Leader, long Term)> WaitForLeaderAsync(int[] among, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        RaftView?[] views = [];
        while (clock.Elapsed < deadline)
        {
            views = await Task.WhenAll(among.Select(ViewAsync));
            if (views.All(v => v is not null)
                && views[0]!.Leader is int leader and >= 0 && among.Contains(leader)
                && views.All(v => v!.Leader == leader && v.Term == views[0]!.Term)
                && views[Array.IndexOf(among, leader)]!.Role == "leader")
            {
                return (leader, views[0]!.Term);
            }

            await Task.Delay(50);
        }

        string said = string.Join("; ", among.Zip(views, (m, v) => $"m{m}: {v?.ToString() ?? "no answer"}"));
        Assert.Fail($"members {string.Join(',', among)} agreed on no leader within {deadline.TotalSeconds} s: {said}\n{OutputTails()}");
        return default;
    }

    /// <summary>Polls the member's INFO raft until <paramref name="until"/> holds, which it returns; fails the test at the deadline.</summary>
    public async Task<RaftView> WaitForViewAsync(int member, Func<RaftView, bool> until, string what, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        RaftView? view = null;
        while (clock.Elapsed < deadline)
        {
            view = await ViewAsync(member);
            if (view is not null && until(view))
            {
                return view;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"m{member} {what}: not within {deadline.TotalSeconds} s; it said {view?.ToString() ?? "nothing"}\n{OutputTails()}");
        return null;
    }

    /// <summary>The end of every member's output, for failure messages.</summary>
    public string OutputTails()
        => string.Join("\n", _members.Select((m, i) => $"--- m{i} ({(m is { Running: true } ? "running" : "not running")}):\n{m?.OutputTail}"));

    public void Dispose()
    {
        foreach (MemberProcess? member in _members)
        {
            member?.Dispose();
        }

        _lab.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone, or a file still held: the data is temporary either way.
        }
    }

    /// <summary>
    /// Settings for measurements: <c>KIWI_FAULT_RAFT_LOG</c> (a raft-log-level: debug, information...) makes the
    /// members print the Raft library's diagnostics with timestamps (<c>KIWI_FAULT_LOG_DIR</c> keeps each member's
    /// whole output there); <c>KIWI_FAULT_ELECTION_TIMEOUT</c> (MIN-MAX ms) sets raft-election-timeout.
    /// </summary>
    private static string[] DiagnosticSettings()
    {
        var settings = new List<string>();
        if (Environment.GetEnvironmentVariable("KIWI_FAULT_RAFT_LOG") is { Length: > 0 } level)
        {
            settings.AddRange(["--raft-log-level", level]);
        }

        if (Environment.GetEnvironmentVariable("KIWI_FAULT_ELECTION_TIMEOUT") is { Length: > 0 } range)
        {
            settings.AddRange(["--raft-election-timeout", range]);
        }

        return [.. settings];
    }

    private MemberProcess Member(int member) => _members[member] ?? throw new InvalidOperationException($"member {member} is not running");

    private async Task StartMemberAsync(int member)
    {
        string address = _lab.MemberAddress(member).ToString();
        string raftMembers = string.Join(',', Enumerable.Range(0, Size).Select(m => $"{_lab.MemberAddress(m)}:{RaftPort}"));
        string[] args =
        [
            "--port", ClientPort.ToString(CultureInfo.InvariantCulture), "--bind", address,
            "--dir", Path.Combine(_dir, "m" + member.ToString(CultureInfo.InvariantCulture)), "--block-cache-size", "8mb",
            "--raft-port", RaftPort.ToString(CultureInfo.InvariantCulture), "--raft-members", raftMembers,
            "--raft-request-timeout", _requestTimeoutMs.ToString(CultureInfo.InvariantCulture),
            .. DiagnosticSettings(),
            .. _settings,
        ];
        string? logPath = Environment.GetEnvironmentVariable("KIWI_FAULT_LOG_DIR") is { Length: > 0 } logs
            ? Path.Combine(logs, $"m{member.ToString(CultureInfo.InvariantCulture)}.log")
            : null;
        _members[member] = await MemberProcess.StartAsync(_lab.Namespace(member), args, logPath);
    }
}
