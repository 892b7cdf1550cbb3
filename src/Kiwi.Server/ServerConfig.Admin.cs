using System.Globalization;

namespace Kiwi.Server;

/// <content>The settings of the admin commands (SLOWLOG, CONFIG REWRITE) and those clients probe but Kiwi.Fast fixes.</content>
public sealed partial class ServerConfig
{
    /// <summary>The config file given first on the command line (full path), or null: CONFIG REWRITE writes it.</summary>
    public string? ConfigFile { get; private set; }

    /// <summary>slowlog-log-slower-than: microseconds (default 10000, as Redis; negative: no slowlog, 0: every command).</summary>
    public long SlowlogLogSlowerThan { get; set; } = 10_000;

    /// <summary>slowlog-max-len: entries SLOWLOG keeps (default 128).</summary>
    public long SlowlogMaxLen { get; set; } = 128;

    // Shown by CONFIG GET but derived from other settings or fixed: never appended by CONFIG REWRITE.
    private static readonly HashSet<string> s_notRewritten = new(StringComparer.OrdinalIgnoreCase)
    {
        "dir", "raft-log-dir", "raft-bind", "memory-budget", "block-cache-size", "read-cache-size", "maxmemory",
        "maxmemory-policy", "timeout", "save", "appendonly",
    };

    private bool TrySetAdmin(string name, string value)
    {
        switch (name)
        {
            case "slowlog-log-slower-than": SlowlogLogSlowerThan = long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); return true;
            case "slowlog-max-len": SlowlogMaxLen = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); return true;
            default: return false;
        }
    }

    private IEnumerable<KeyValuePair<string, string>> AdminSettings()
    {
        yield return new("slowlog-log-slower-than", SlowlogLogSlowerThan.ToString(CultureInfo.InvariantCulture));
        yield return new("slowlog-max-len", SlowlogMaxLen.ToString(CultureInfo.InvariantCulture));

        // Fixed here, probed by clients: nothing is evicted, idle clients are never closed.
        yield return new("maxmemory", "0");
        yield return new("maxmemory-policy", "noeviction");
        yield return new("timeout", "0");
    }

    /// <summary>
    /// CONFIG REWRITE, as Redis does it: the file's lines are kept, a setting's line is replaced by its running
    /// value, and settings changed from their defaults that the file does not name are appended.
    /// </summary>
    internal void Rewrite()
    {
        string path = ConfigFile ?? throw new InvalidOperationException("The server is running without a config file");
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> setting in new ServerConfig().All())
        {
            defaults[setting.Key] = setting.Value;
        }

        var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> setting in All())
        {
            current[setting.Key] = setting.Value;
        }

        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = new List<string>();
        foreach (string raw in File.Exists(path) ? File.ReadAllLines(path) : [])
        {
            string line = raw.Trim();
            int space = line.IndexOfAny([' ', '\t']);
            string name = space < 0 ? line : line[..space];
            if (line.Length == 0 || line[0] == '#' || !current.TryGetValue(name, out string? value) || !written.Add(name))
            {
                lines.Add(raw);
                continue;
            }

            lines.Add(name + " " + Quote(value));
        }

        foreach (KeyValuePair<string, string> setting in current)
        {
            if (!written.Contains(setting.Key) && (!defaults.TryGetValue(setting.Key, out string? initial) || initial != setting.Value)
                && !s_notRewritten.Contains(setting.Key))
            {
                lines.Add(setting.Key + " " + Quote(setting.Value));
            }
        }

        string temp = path + ".tmp";
        File.WriteAllLines(temp, lines);
        File.Move(temp, path, overwrite: true);
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) ? "\"" + value + "\"" : value;
}
