using System.Diagnostics;
using System.Globalization;

namespace Kiwi.Jepsen.Tests.Histories;

/// <summary>
/// The operations clients made, in invocation order, with helpers to print them: times are shown in
/// milliseconds since the first invocation.
/// </summary>
internal sealed class History
{
    public History(IEnumerable<Operation> operations)
    {
        Operations = [.. operations.OrderBy(o => o.Invoke).ThenBy(o => o.Client)];
        foreach (Operation op in Operations)
        {
            if (op.Complete < op.Invoke)
            {
                throw new ArgumentException($"{op.Describe()} on '{op.Key}' completes before it is invoked", nameof(operations));
            }

            if (op.Outcome == Outcome.Unknown && op.Complete != Operation.Open)
            {
                throw new ArgumentException($"{op.Describe()} on '{op.Key}' has an unknown outcome but a completion time", nameof(operations));
            }
        }

        Origin = Operations.Length > 0 ? Operations[0].Invoke : 0;
    }

    /// <summary>Every operation, ordered by invocation time.</summary>
    public Operation[] Operations { get; }

    /// <summary>The first invocation time: the zero of the printed times.</summary>
    public long Origin { get; }

    /// <summary>The keys, each with its operations in invocation order.</summary>
    public IEnumerable<IGrouping<string, Operation>> ByKey() => Operations.GroupBy(o => o.Key, StringComparer.Ordinal);

    /// <summary>"c2 GET -> 5   [12.345 ms, 12.501 ms]" (an unknown outcome: "[12.345 ms, open)").</summary>
    public string Format(Operation op)
    {
        string end = op.Complete == Operation.Open ? "open)" : Milliseconds(op.Complete) + "]";
        return $"{op.Describe(),-30} [{Milliseconds(op.Invoke)}, {end}";
    }

    private string Milliseconds(long ticks)
        => ((ticks - Origin) * 1000.0 / Stopwatch.Frequency).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
