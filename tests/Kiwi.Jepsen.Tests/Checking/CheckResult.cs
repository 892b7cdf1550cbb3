using System.Text;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>What the search concluded.</summary>
internal enum Verdict : byte
{
    /// <summary>Some order of the operations explains every reply and respects real time.</summary>
    Linearizable,

    /// <summary>No such order exists: the history shows a consistency bug.</summary>
    NotLinearizable,

    /// <summary>The search budget ran out before either was shown.</summary>
    Unknown,
}

/// <summary>The verdict for one key.</summary>
/// <param name="Key">The key.</param>
/// <param name="Verdict">What the search concluded.</param>
/// <param name="Operations">Operations searched (failed operations and unanswered reads are left out).</param>
/// <param name="Steps">Search steps taken.</param>
/// <param name="Report">For a violation: the longest linearization found and the operations that could not follow it.</param>
internal sealed record KeyResult(string Key, Verdict Verdict, int Operations, long Steps, string? Report);

/// <summary>The verdicts of every key of a history.</summary>
internal sealed class CheckResult(IReadOnlyList<KeyResult> keys)
{
    /// <summary>Per key, in key order.</summary>
    public IReadOnlyList<KeyResult> Keys { get; } = keys;

    /// <summary>Not linearizable if any key is not, else unknown if any key ran out of budget, else linearizable.</summary>
    public Verdict Verdict { get; } =
        keys.Any(k => k.Verdict == Verdict.NotLinearizable) ? Verdict.NotLinearizable
        : keys.Any(k => k.Verdict == Verdict.Unknown) ? Verdict.Unknown
        : Verdict.Linearizable;

    /// <summary>The keys shown not linearizable.</summary>
    public IEnumerable<KeyResult> Violations => Keys.Where(k => k.Verdict == Verdict.NotLinearizable);

    /// <summary>The verdict, counts, and the report of each violating key (or the keys that ran out of budget).</summary>
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(Verdict switch
            {
                Verdict.Linearizable => "linearizable",
                Verdict.NotLinearizable => "NOT linearizable",
                _ => "unknown (search budget exhausted)",
            })
            .Append(": ").Append(Keys.Count).Append(" keys, ")
            .Append(Keys.Sum(k => k.Operations)).Append(" operations, ")
            .Append(Keys.Sum(k => k.Steps)).Append(" search steps");
        foreach (KeyResult key in Keys)
        {
            if (key.Verdict == Verdict.NotLinearizable)
            {
                text.AppendLine().Append(key.Report);
            }
            else if (key.Verdict == Verdict.Unknown)
            {
                text.AppendLine().Append($"key '{key.Key}': gave up after {key.Steps} steps over {key.Operations} operations");
            }
        }

        return text.ToString();
    }
}
