using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>How much the checker may search.</summary>
internal sealed class CheckerOptions
{
    /// <summary>
    /// Search steps per key before the key's verdict is <see cref="Verdict.Unknown"/>. Each step may remember one
    /// visited state (some tens of bytes), so this bounds memory as well as time.
    /// </summary>
    public long MaxStepsPerKey { get; init; } = 2_000_000;
}

/// <summary>
/// Checks that a history of SET/GET/INCR operations is linearizable against <see cref="KeyModel"/>. Operations on
/// different keys never constrain each other (linearizability is compositional), so each key is searched on its
/// own (<see cref="KeySearch"/>), which keeps the search small. Failed operations were not applied and are left
/// out, and so are reads of unknown outcome (they returned nothing to check); writes of unknown outcome may have
/// taken effect at any time after their invocation, or never. On a key without INCR, a SET of unknown outcome
/// whose value nobody read is left out too: had it taken effect, only writes could follow it before the next
/// SET (a GET would have read its value), so leaving it out changes no reply.
/// </summary>
internal static class LinearizabilityChecker
{
    public static CheckResult Check(History history, CheckerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        long maxSteps = (options ?? new CheckerOptions()).MaxStepsPerKey;
        var results = new List<KeyResult>();
        foreach (IGrouping<string, Operation> key in history.ByKey().OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            Operation[] ops = Searched(key);
            SearchOutcome outcome = new KeySearch(ops).Run(maxSteps);
            string? report = outcome.Verdict == Verdict.NotLinearizable ? FailureReport.Build(history, key.Key, ops, outcome) : null;
            results.Add(new KeyResult(key.Key, outcome.Verdict, ops.Length, outcome.Steps, report));
        }

        return new CheckResult(results);
    }

    private static Operation[] Searched(IEnumerable<Operation> key)
    {
        Operation[] answered = [.. key.Where(o => o.Outcome == Outcome.Ok || (o.Outcome == Outcome.Unknown && o.IsWrite))];
        if (answered.Any(o => o.Kind == OperationKind.Incr))
        {
            return answered;
        }

        var read = new HashSet<long>();
        foreach (Operation op in answered)
        {
            if (op.Kind == OperationKind.Get && op.Result is { } value)
            {
                read.Add(value);
            }
        }

        return [.. answered.Where(o => o.Outcome == Outcome.Ok || read.Contains(o.Argument))];
    }
}
