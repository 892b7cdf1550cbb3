using System.Globalization;
using System.Text;
using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// The totals of a randomized fault run, added to round by round (a round's history is not kept once counted):
/// operations and outcomes, the linearizability verdict of every key, acknowledged writes lost and writes
/// applied twice, failover times per kind of fault, the errors clients met, and each failed round in full.
/// </summary>
internal sealed class FaultRunReport
{
    private readonly Dictionary<string, List<double>> _failovers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _elections = new(StringComparer.Ordinal);
    private readonly Dictionary<Verdict, int> _keys = [];
    private readonly List<string> _failures = [];
    private readonly List<string> _lines = [];
    private readonly ErrorTally _errors = new();
    private int _rounds;
    private long _operations;
    private long _ok;
    private long _fail;
    private long _unknown;

    /// <summary>Acknowledged writes the final values do not hold.</summary>
    public int Lost { get; private set; }

    /// <summary>Writes applied more than once (a counter above its acknowledged plus unknown INCRs, or two INCRs returning one value).</summary>
    public int Duplicated { get; private set; }

    /// <summary>Keys whose history is not linearizable, or that the search could not decide.</summary>
    public int UndecidedOrViolating => _keys.GetValueOrDefault(Verdict.NotLinearizable) + _keys.GetValueOrDefault(Verdict.Unknown);

    /// <summary>Rounds with any violation (their text is in the report).</summary>
    public int FailedRounds => _failures.Count;

    /// <summary>Rounds counted.</summary>
    public int Rounds => _rounds;

    /// <summary>Counts a round; returns its line for the report: the fault, the failover time, each key's verdict.</summary>
    public string Add(RoundResult round, TimeSpan at)
    {
        _rounds++;
        Operation[] ops = round.Run.History.Operations;
        _operations += ops.Length;
        _ok += ops.Count(o => o.Outcome == Outcome.Ok);
        _fail += ops.Count(o => o.Outcome == Outcome.Fail);
        _unknown += ops.Count(o => o.Outcome == Outcome.Unknown);
        foreach (KeyResult key in round.Check.Keys)
        {
            _keys[key.Verdict] = _keys.GetValueOrDefault(key.Verdict) + 1;
        }

        (int lost, int duplicated) = CountWrites(round);
        Lost += lost;
        Duplicated += duplicated;
        if (!_failovers.TryGetValue(round.Category, out List<double>? times))
        {
            _failovers[round.Category] = times = [];
        }

        times.Add(round.Failover.TotalMilliseconds);
        if (!_elections.TryGetValue(round.Category, out List<long>? elections))
        {
            _elections[round.Category] = elections = [];
        }

        elections.Add(round.Elections);
        _errors.AddAll(round.Errors);
        if (!round.Correct)
        {
            _failures.Add(round.ToString());
        }

        string keys = string.Join(' ', round.Check.Keys.Select(k => $"{k.Key[(k.Key.IndexOf(':', StringComparison.Ordinal) + 1)..]}:{Short(k.Verdict)}"));
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{at.TotalSeconds,7:0.0} s  {round.InjectedAt:HH:mm:ss.fff}  {round.Fault,-28} failover {round.Failover.TotalMilliseconds,5:0} ms  elections {round.Elections,2}  {ops.Length,5} ops  keys {keys}{(round.Correct ? string.Empty : "  VIOLATION")}");
        _lines.Add(line);
        return line;
    }

    /// <summary>The report, as printed at the end of a run.</summary>
    public string Describe(TimeSpan elapsed, long requestTimeoutMs)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("rounds (each key's verdict: lin = linearizable, NOT = a violation, ? = undecided):");
        foreach (string line in _lines)
        {
            text.AppendLine(line);
        }

        text.AppendLine(c, $"fault run: {elapsed.TotalMinutes:0.0} min, {_rounds} rounds, raft-request-timeout {requestTimeoutMs} ms");
        text.AppendLine(c, $"operations: {_operations} ({_ok} ok, {_fail} fail, {_unknown} unknown)");
        text.AppendLine(c, $"keys: {_keys.GetValueOrDefault(Verdict.Linearizable)} linearizable, {_keys.GetValueOrDefault(Verdict.NotLinearizable)} NOT linearizable, {_keys.GetValueOrDefault(Verdict.Unknown)} undecided (search budget)");
        text.AppendLine(c, $"acknowledged writes lost: {Lost}; writes applied twice: {Duplicated}");
        text.AppendLine("failover (fault -> first acknowledged write invoked after it), ms; elections (terms begun meanwhile):");
        foreach ((string category, List<double> times) in _failovers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            double[] sorted = [.. times.Order()];
            long[] elections = [.. _elections[category].Order()];
            text.AppendLine(c, $"  {category,-28} n={sorted.Length,-4} min {sorted[0],6:0}  median {sorted[sorted.Length / 2],6:0}  max {sorted[^1],6:0}  elections total {elections.Sum()}, max {elections[^1]}");
        }

        text.AppendLine("errors met by clients:");
        foreach (string line in _errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("  ").AppendLine(line);
        }

        text.AppendLine(c, $"rounds with a violation: {_failures.Count}");
        foreach (string failure in _failures)
        {
            text.AppendLine(failure);
        }

        return text.ToString();
    }

    private static string Short(Verdict verdict) => verdict switch
    {
        Verdict.Linearizable => "lin",
        Verdict.NotLinearizable => "NOT",
        _ => "?",
    };

    /// <summary>
    /// Counters: acknowledged INCRs above the final value are lost; a final value above acknowledged plus unknown
    /// INCRs, and two acknowledged INCRs returning one value, are duplicates. Registers: each acknowledged SET the
    /// durability check finds overwritten by an older value (or the key gone) is lost.
    /// </summary>
    private static (int Lost, int Duplicated) CountWrites(RoundResult round)
    {
        int lost = 0;
        int duplicated = 0;
        foreach (IGrouping<string, Operation> key in round.Run.History.ByKey())
        {
            if (!key.Any(o => o.Kind == OperationKind.Incr))
            {
                continue;
            }

            Operation[] incrs = [.. key.Where(o => o.Kind == OperationKind.Incr)];
            int acknowledged = incrs.Count(o => o.Outcome == Outcome.Ok);
            int unknown = incrs.Count(o => o.Outcome == Outcome.Unknown);
            long final = round.Run.Final.GetValueOrDefault(key.Key) ?? 0;
            lost += (int)Math.Max(0, acknowledged - final);
            duplicated += (int)Math.Max(0, final - acknowledged - unknown);
            duplicated += incrs.Where(o => o.Outcome == Outcome.Ok).GroupBy(o => o.Result).Sum(g => g.Count() - 1);
        }

        lost += round.Durability.Count(d => d.StartsWith("register", StringComparison.Ordinal)
            && (d.Contains(" is lost", StringComparison.Ordinal) || d.Contains("the key is gone", StringComparison.Ordinal)));
        return (lost, duplicated);
    }
}
