using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Jepsen.Tests.Support;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>
/// The search against the definition: on small random histories (linearizable or not) it must give the verdict
/// of trying every order of every subset of the unknown writes.
/// </summary>
public sealed class BruteForceAgreementTests
{
    [Fact]
    public void The_search_agrees_with_trying_every_order_on_small_random_histories()
    {
        var random = new Random(15);
        int linearizable = 0;
        for (int round = 0; round < 1_500; round++)
        {
            History history = RandomHistory(random, random.Next(1, 8));
            bool expected = BruteForce(history.Operations);
            CheckResult result = LinearizabilityChecker.Check(history);
            Assert.True(
                result.Verdict == (expected ? Verdict.Linearizable : Verdict.NotLinearizable),
                $"round {round}: brute force says {(expected ? "linearizable" : "not")}, the search {result}\n" + string.Join("\n", history.Operations.Select(history.Format)));
            linearizable += expected ? 1 : 0;
        }

        // Both kinds were generated.
        Assert.InRange(linearizable, 100, 1_400);
    }

    private static History RandomHistory(Random random, int count)
    {
        var ops = new List<Operation>();
        for (int i = 0; i < count; i++)
        {
            double invoke = random.Next(20);
            double complete = invoke + random.Next(1, 8);
            var kind = (OperationKind)random.Next(3);
            Outcome outcome = random.Next(6) switch
            {
                0 => Outcome.Unknown,
                1 => Outcome.Fail,
                _ => Outcome.Ok,
            };
            long? result = kind == OperationKind.Set || outcome != Outcome.Ok ? null : random.Next(4) is var r && r > 0 ? r : null;
            ops.Add(new Operation(
                i, "x", kind, kind == OperationKind.Set ? random.Next(1, 4) : 0, Ops.Ms(invoke), outcome == Outcome.Unknown ? Operation.Open : Ops.Ms(complete), outcome, result));
        }

        return new History(ops);
    }

    /// <summary>Every order that respects real time, with each operation of unknown outcome in it or not.</summary>
    private static bool BruteForce(Operation[] all)
    {
        Operation[] ops = [.. all.Where(o => o.Outcome == Outcome.Ok || (o.Outcome == Outcome.Unknown && o.IsWrite))];
        return Extend(ops, new bool[ops.Length], null);
    }

    private static bool Extend(Operation[] ops, bool[] placed, long? state)
    {
        bool answeredLeft = false;
        for (int i = 0; i < ops.Length; i++)
        {
            answeredLeft |= !placed[i] && ops[i].Outcome == Outcome.Ok;
        }

        if (!answeredLeft)
        {
            return true;
        }

        for (int i = 0; i < ops.Length; i++)
        {
            // Next may be any operation invoked before every operation left has completed.
            if (placed[i] || ops.Where((o, j) => !placed[j] && j != i).Any(o => o.Complete < ops[i].Invoke))
            {
                continue;
            }

            if (KeyModel.Step(state, ops[i], out long? next))
            {
                placed[i] = true;
                bool found = Extend(ops, placed, next);
                placed[i] = false;
                if (found)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
