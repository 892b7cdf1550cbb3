using System.Text;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>
/// Explains a key that is not linearizable in a few lines: the end of the longest linearization the search
/// found, the value it leaves, the operations that could come next and why none fits, and the key's operations
/// around that point in time.
/// </summary>
internal static class FailureReport
{
    private const int PrefixLines = 6;
    private const int WindowLines = 30;

    public static string Build(History history, string key, Operation[] ops, SearchOutcome outcome)
    {
        var linearized = new bool[ops.Length];
        foreach (int i in outcome.Deepest)
        {
            linearized[i] = true;
        }

        // The answered operation that completes first among those left: it has to be linearized before its
        // reply, and each operation invoked by then is a candidate to come first.
        int blocker = -1;
        for (int i = 0; i < ops.Length; i++)
        {
            if (!linearized[i] && ops[i].Complete != Operation.Open && (blocker < 0 || ops[i].Complete < ops[blocker].Complete))
            {
                blocker = i;
            }
        }

        var text = new StringBuilder();
        text.Append($"key '{key}': not linearizable. The longest linearization found orders {outcome.Deepest.Length} of its {ops.Length} operations");
        if (outcome.Deepest.Length > 0)
        {
            text.AppendLine("; it ends:");
            int from = Math.Max(0, outcome.Deepest.Length - PrefixLines);
            if (from > 0)
            {
                text.AppendLine($"    ... {from} before");
            }

            for (int i = from; i < outcome.Deepest.Length; i++)
            {
                text.Append("    ").AppendLine(history.Format(ops[outcome.Deepest[i]]));
            }
        }
        else
        {
            text.AppendLine(".");
        }

        text.AppendLine($"  which leaves the value {Operation.FormatValue(outcome.DeepestState)}.");
        if (blocker < 0)
        {
            return text.ToString();
        }

        Operation must = ops[blocker];
        text.AppendLine($"  {must.Describe()} must be placed before its reply, but none of the operations that may come next fits:");
        long windowStart = long.MaxValue;
        for (int i = 0; i < ops.Length; i++)
        {
            if (!linearized[i] && ops[i].Invoke <= must.Complete)
            {
                windowStart = Math.Min(windowStart, ops[i].Invoke);
                string why = KeyModel.WhyNot(outcome.DeepestState, ops[i]) ?? "fits, but no order of the rest does after it";
                text.Append("    ").Append(history.Format(ops[i])).Append("   ").AppendLine(why);
            }
        }

        if (outcome.Deepest.Length > 0)
        {
            windowStart = Math.Min(windowStart, ops[outcome.Deepest[^1]].Invoke);
        }

        text.AppendLine("  The key's operations in that stretch of time:");
        int shown = 0;
        int more = 0;
        foreach (Operation op in ops)
        {
            if (op.Invoke <= must.Complete && op.Complete >= windowStart)
            {
                if (shown++ < WindowLines)
                {
                    text.Append("    ").AppendLine(history.Format(op));
                }
                else
                {
                    more++;
                }
            }
        }

        if (more > 0)
        {
            text.AppendLine($"    ... {more} more");
        }

        return text.ToString();
    }
}
