using Kiwi.Jepsen.Tests.Checking;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Support;

/// <summary>
/// Random histories of a linearizable store, made up without a server: each client runs operations one after
/// another, each takes effect at a random instant inside its interval, and replies are computed by applying
/// the operations to <see cref="KeyModel"/> in the order of those instants. A write of unknown outcome took
/// effect inside its interval or never; its reply is lost either way.
/// </summary>
internal static class SyntheticHistory
{
    public static History Linearizable(int seed, int clients, int opsPerClient, int keys, double unknownWrites = 0.03)
    {
        var random = new Random(seed);
        var planned = new List<(Operation Op, double At, bool Applies)>();
        for (int c = 0; c < clients; c++)
        {
            double t = random.NextDouble();
            for (int i = 0; i < opsPerClient; i++)
            {
                int k = random.Next(keys);
                string key = "k" + k;

                // Even keys are registers, odd keys counters.
                OperationKind kind = random.Next(2) == 0 ? OperationKind.Get : (k % 2 == 0 ? OperationKind.Set : OperationKind.Incr);
                double invoke = t;
                double complete = invoke + 0.1 + (random.NextDouble() * 3);
                double at = invoke + (random.NextDouble() * (complete - invoke));
                bool unknown = kind != OperationKind.Get && random.NextDouble() < unknownWrites;
                bool applies = !unknown || random.Next(2) == 0;
                long value = kind == OperationKind.Set ? (c * 1_000_000L) + i + 1 : 0;
                var op = new Operation(
                    c, key, kind, value, Ops.Ms(invoke), unknown ? Operation.Open : Ops.Ms(complete), unknown ? Outcome.Unknown : Outcome.Ok, null);
                planned.Add((op, at, applies));
                t = complete + (random.NextDouble() * 0.5);
            }
        }

        var state = new Dictionary<string, long?>(StringComparer.Ordinal);
        var ops = new List<Operation>();
        foreach ((Operation op, double _, bool applies) in planned.OrderBy(p => p.At))
        {
            if (!applies)
            {
                ops.Add(op);
                continue;
            }

            long? before = state.GetValueOrDefault(op.Key);
            KeyModel.Step(before, op with { Outcome = Outcome.Unknown }, out long? after);
            state[op.Key] = after;
            ops.Add(op.Outcome == Outcome.Unknown ? op : op with { Result = op.Kind switch { OperationKind.Get => before, OperationKind.Incr => after, _ => null } });
        }

        return new History(ops);
    }
}
