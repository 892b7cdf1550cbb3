using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// How often each kind of error the clients met: error replies (their text up to the first digit or colon, so
/// names and numbers do not split a kind), connections refused or timed out, replies that never came.
/// </summary>
internal sealed partial class ErrorTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one error met by an operation of <paramref name="kind"/>.</summary>
    public void Add(OperationKind kind, string error)
    {
        string text = error.TrimStart('-').TrimEnd();
        Match cut = Detail().Match(text);
        string what = (kind == OperationKind.Get ? "read: " : "write: ") + (cut.Success ? text[..cut.Index] : text).Trim();
        _counts.AddOrUpdate(what, 1, static (_, n) => n + 1);
    }

    /// <summary>Adds another tally's counts to this one.</summary>
    public void AddAll(ErrorTally other)
    {
        foreach ((string what, int count) in other._counts)
        {
            _counts.AddOrUpdate(what, count, (_, n) => n + count);
        }
    }

    /// <summary>"write: TRYAGAIN the connection to the Raft leader closed ×12", most frequent first, one per line.</summary>
    public override string ToString()
        => string.Join("\n", _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} x{p.Value}"));

    [GeneratedRegex(@"[0-9:(]")]
    private static partial Regex Detail();
}
