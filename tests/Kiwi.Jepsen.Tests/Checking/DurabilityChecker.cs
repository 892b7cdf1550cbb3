using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>
/// Checks a history against the final value of each key, read once the clients stopped: no acknowledged write
/// lost, none applied twice, no value out of nowhere. It states plainly what the linearizability search would
/// also reject, and it needs no search, so it still answers when the search gives up.
/// <list type="bullet">
/// <item>A counter (a key with INCR and no SET): the final value lies between the number of acknowledged
/// increments and that plus the unknown ones; acknowledged INCRs returned distinct values, none above that bound.</item>
/// <item>A register (a key with SET and no INCR, each SET writing a value of its own): every value read was
/// written by a SET that did not fail, and the final value was written by a SET that no acknowledged SET
/// followed in real time (else that later SET was lost).</item>
/// </list>
/// Keys that mix SET and INCR are left to the linearizability search.
/// </summary>
internal static class DurabilityChecker
{
    /// <summary>The violations found (empty when there are none).</summary>
    /// <param name="history">The clients' operations.</param>
    /// <param name="finalValues">Each key's value after every client stopped (a missing entry: the key is nil).</param>
    public static IReadOnlyList<string> Check(History history, IReadOnlyDictionary<string, long?> finalValues)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(finalValues);
        var problems = new List<string>();
        foreach (IGrouping<string, Operation> key in history.ByKey().OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            long? final = finalValues.TryGetValue(key.Key, out long? value) ? value : null;
            bool sets = key.Any(o => o.Kind == OperationKind.Set);
            bool incrs = key.Any(o => o.Kind == OperationKind.Incr);
            if (incrs && !sets)
            {
                CheckCounter(history, key.Key, [.. key], final, problems);
            }
            else if (sets && !incrs)
            {
                CheckRegister(history, key.Key, [.. key], final, problems);
            }
        }

        return problems;
    }

    private static void CheckCounter(History history, string key, Operation[] ops, long? final, List<string> problems)
    {
        Operation[] acknowledged = [.. ops.Where(o => o.Kind == OperationKind.Incr && o.Outcome == Outcome.Ok)];
        int unknown = ops.Count(o => o.Kind == OperationKind.Incr && o.Outcome == Outcome.Unknown);
        long value = final ?? 0;
        if (value < acknowledged.Length)
        {
            problems.Add($"counter '{key}': final value {value}, but {acknowledged.Length} INCRs were acknowledged: {acknowledged.Length - value} lost");
        }

        if (value > acknowledged.Length + unknown)
        {
            problems.Add($"counter '{key}': final value {value}, but only {acknowledged.Length} INCRs were acknowledged and {unknown} unknown: applied twice?");
        }

        foreach (IGrouping<long?, Operation> same in acknowledged.GroupBy(o => o.Result).Where(g => g.Count() > 1))
        {
            problems.Add($"counter '{key}': {same.Count()} acknowledged INCRs returned {Operation.FormatValue(same.Key)}: " + string.Join("; ", same.Select(history.Format)));
        }

        foreach (Operation op in acknowledged.Where(o => o.Result is not { } r || r < 1 || r > acknowledged.Length + unknown))
        {
            problems.Add($"counter '{key}': {history.Format(op)} is outside 1..{acknowledged.Length + unknown} (the INCRs issued without failing)");
        }
    }

    private static void CheckRegister(History history, string key, Operation[] ops, long? final, List<string> problems)
    {
        Operation[] writes = [.. ops.Where(o => o.Kind == OperationKind.Set)];
        if (writes.GroupBy(o => o.Argument).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"register '{key}': {repeated.Count()} SETs write {repeated.Key}; this check needs a distinct value per SET");
        }

        Dictionary<long, Operation> writerOf = writes.ToDictionary(o => o.Argument);
        foreach (Operation read in ops.Where(o => o.Kind == OperationKind.Get && o.Outcome == Outcome.Ok && o.Result is not null))
        {
            if (!writerOf.TryGetValue(read.Result!.Value, out Operation? writer))
            {
                problems.Add($"register '{key}': {history.Format(read)} reads a value no SET wrote");
            }
            else if (writer.Outcome == Outcome.Fail)
            {
                problems.Add($"register '{key}': {history.Format(read)} reads the value of a SET that failed: {history.Format(writer)}");
            }
        }

        Operation[] acknowledged = [.. writes.Where(o => o.Outcome == Outcome.Ok)];
        if (final is not { } last)
        {
            if (acknowledged.Length > 0)
            {
                problems.Add($"register '{key}': the key is gone at the end, yet {acknowledged.Length} SETs were acknowledged, the last: {history.Format(acknowledged.MaxBy(o => o.Complete)!)}");
            }

            return;
        }

        if (!writerOf.TryGetValue(last, out Operation? finalWriter) || finalWriter.Outcome == Outcome.Fail)
        {
            problems.Add($"register '{key}': the final value {last} was not written by any SET that did not fail");
            return;
        }

        // A SET invoked after the final value's SET completed had to overwrite it: the final value says it was lost.
        foreach (Operation later in acknowledged.Where(o => o.Invoke > finalWriter.Complete))
        {
            problems.Add($"register '{key}': acknowledged {history.Format(later)} is lost: the final value {last} is from {history.Format(finalWriter)}, which completed before it began");
        }
    }
}
