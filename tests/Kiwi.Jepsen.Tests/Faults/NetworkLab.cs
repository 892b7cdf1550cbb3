using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// A private network for the members of a test cluster: one network namespace per member, each joined by a veth
/// pair to a bridge this lab creates in the host namespace, with addresses from a private /24 no route uses yet
/// (the bridge .1, member i .(i+2)). The test process reaches the members through the bridge address.
/// Faults are real blackholes: a member's host-side link set down drops its packets both ways while every
/// connection stays open; two members' bridge ports set <c>isolated</c> cannot reach each other but still reach
/// the third member and the host (the bridge partition). Needs root, as these machines give.
/// Every name starts with <c>kwf</c> and the test process id, so a later run removes what a crashed run left
/// behind (<see cref="RemoveLeftovers"/>) without touching a live run's namespaces.
/// </summary>
internal sealed partial class NetworkLab : IDisposable
{
    private const string Prefix = "kwf";
    private static int s_sequence;
    private readonly string _tag;
    private readonly int _subnet;
    private bool _disposed;

    private NetworkLab(string tag, int subnet, int members)
    {
        _tag = tag;
        _subnet = subnet;
        Members = members;
    }

    /// <summary>The number of members.</summary>
    public int Members { get; }

    /// <summary>The bridge's address: the test process's side of the network.</summary>
    public IPAddress HostAddress => Address(1);

    /// <summary>Creates the bridge, and per member a namespace and its veth pair with loopback and the link up.</summary>
    public static NetworkLab Create(int members)
    {
        RemoveLeftovers();
        int sequence = Interlocked.Increment(ref s_sequence) % 10;
        string tag = Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + sequence.ToString(CultureInfo.InvariantCulture);
        var lab = new NetworkLab(tag, FreeSubnet(), members);
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Member <paramref name="member"/>'s namespace (for <c>ip netns exec</c>).</summary>
    public string Namespace(int member) => $"{_tag}n{member}";

    /// <summary>Member <paramref name="member"/>'s address.</summary>
    public IPAddress MemberAddress(int member) => Address(member + 2);

    /// <summary>Drops every packet to and from the member (its link down); connections stay open.</summary>
    public void Cut(int member) => Shell.Run("ip", "link", "set", HostEnd(member), "down");

    /// <summary>Brings the member's link back up.</summary>
    public void Reconnect(int member) => Shell.Run("ip", "link", "set", HostEnd(member), "up");

    /// <summary>
    /// Cuts the two members off each other only: each still reaches every other member and the host. With three
    /// members that is a bridge partition (a–b, b–c connected; a–c cut). Isolated bridge ports cannot forward to
    /// each other, so one such pair at a time can be expressed.
    /// </summary>
    public void Separate(int a, int b)
    {
        Shell.Run("bridge", "link", "set", "dev", HostEnd(a), "isolated", "on");
        Shell.Run("bridge", "link", "set", "dev", HostEnd(b), "isolated", "on");
    }

    /// <summary>
    /// Splits the members in two, any number on each side: inside every namespace, a blackhole route to each member
    /// of the other side (a /32 beats the subnet's own route), so the two sides lose each other both ways while
    /// each side stays whole, connections stay open and every member still reaches the host. <see cref="HealAll"/>
    /// removes the routes.
    /// </summary>
    public void Partition(IReadOnlyCollection<int> side)
    {
        for (int a = 0; a < Members; a++)
        {
            for (int b = 0; b < Members; b++)
            {
                if (side.Contains(a) != side.Contains(b))
                {
                    Shell.Run("ip", "netns", "exec", Namespace(a), "ip", "route", "add", "blackhole", MemberAddress(b) + "/32");
                }
            }
        }
    }

    /// <summary>
    /// Whether a TCP connection from inside <paramref name="member"/>'s namespace to <paramref name="to"/> opens
    /// within a second (bash's /dev/tcp, run in the namespace): a check that a partition is what it claims.
    /// </summary>
    public bool CanConnect(int member, IPEndPoint to)
        => Shell.TryRun("ip", "netns", "exec", Namespace(member), "timeout", "1", "bash", "-c", $"exec 3<>/dev/tcp/{to.Address}/{to.Port}").ExitCode == 0;

    /// <summary>Every link up and no port isolated: the network as created.</summary>
    public void HealAll()
    {
        for (int member = 0; member < Members; member++)
        {
            Shell.Run("bridge", "link", "set", "dev", HostEnd(member), "isolated", "off");
            Shell.TryRun("ip", "netns", "exec", Namespace(member), "ip", "route", "flush", "type", "blackhole");
            Reconnect(member);
        }
    }

    /// <summary>Removes the namespaces (their veths go with them) and the bridge. Processes must be gone first.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (int member = 0; member < Members; member++)
        {
            Shell.TryRun("ip", "netns", "del", Namespace(member));
            Shell.TryRun("ip", "link", "del", HostEnd(member));
        }

        Shell.TryRun("ip", "link", "del", Bridge);
    }

    /// <summary>
    /// Deletes namespaces and links named by this harness for a process that no longer runs, killing what still
    /// runs inside those namespaces first.
    /// </summary>
    public static void RemoveLeftovers()
    {
        foreach (Match match in OwnedName().Matches(Shell.Run("ip", "netns", "list")))
        {
            if (!IsLive(match.Groups[1].Value))
            {
                string name = match.Value;
                foreach (string pid in Shell.TryRun("ip", "netns", "pids", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    Shell.TryRun("kill", "-KILL", pid);
                }

                Shell.TryRun("ip", "netns", "del", name);
            }
        }

        foreach (Match match in OwnedLink().Matches(Shell.Run("ip", "-o", "link", "show")))
        {
            if (!IsLive(match.Groups[2].Value))
            {
                Shell.TryRun("ip", "link", "del", match.Groups[1].Value);
            }
        }
    }

    private string Bridge => _tag + "b";

    private string HostEnd(int member) => $"{_tag}h{member}";

    private IPAddress Address(int host) => IPAddress.Parse($"10.231.{_subnet}.{host}");

    private void Build()
    {
        Shell.Run("ip", "link", "add", Bridge, "type", "bridge");
        Shell.Run("ip", "addr", "add", $"{HostAddress}/24", "dev", Bridge);
        Shell.Run("ip", "link", "set", Bridge, "up");
        for (int member = 0; member < Members; member++)
        {
            string ns = Namespace(member);
            string inner = $"{_tag}m{member}";
            Shell.Run("ip", "netns", "add", ns);
            Shell.Run("ip", "link", "add", HostEnd(member), "type", "veth", "peer", "name", inner);
            Shell.Run("ip", "link", "set", inner, "netns", ns);
            Shell.Run("ip", "link", "set", HostEnd(member), "master", Bridge);
            Shell.Run("ip", "link", "set", HostEnd(member), "up");
            Shell.Run("ip", "netns", "exec", ns, "ip", "addr", "add", $"{MemberAddress(member)}/24", "dev", inner);
            Shell.Run("ip", "netns", "exec", ns, "ip", "link", "set", inner, "up");
            Shell.Run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /// <summary>A /24 of 10.231.0.0/16 that no route of this host covers yet.</summary>
    private static int FreeSubnet()
    {
        string routes = Shell.Run("ip", "-4", "route", "show");
        var random = new Random();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int subnet = random.Next(1, 255);
            if (!routes.Contains($"10.231.{subnet}.", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("no free /24 in 10.231.0.0/16: " + routes);
    }

    private static bool IsLive(string pid) => Directory.Exists("/proc/" + pid);

    [GeneratedRegex(@"^kwf(\d+)\dn\d+", RegexOptions.Multiline)]
    private static partial Regex OwnedName();

    [GeneratedRegex(@"^\d+: (kwf(\d+)\d(?:b|h\d+|m\d+))[@:]", RegexOptions.Multiline)]
    private static partial Regex OwnedLink();
}
