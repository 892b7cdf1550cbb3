using Kiwi.Jepsen.Tests.Histories;
using Kiwi.Jepsen.Tests.Support;
using Xunit.Abstractions;
using static Kiwi.Jepsen.Tests.Support.Ops;

namespace Kiwi.Jepsen.Tests.Checking;

public sealed class LinearizabilityCheckerTests(ITestOutputHelper output)
{
    [Fact]
    public void An_empty_history_is_linearizable() => AssertLinearizable(History());

    [Fact]
    public void Sequential_writes_and_reads_are_linearizable()
        => AssertLinearizable(History(
            Get(0, null, 0, 1),
            Set(0, 1, 2, 3),
            Get(1, 1, 4, 5),
            Set(1, 2, 6, 7),
            Get(0, 2, 8, 9)));

    [Fact]
    public void Reads_during_a_write_may_see_the_old_or_the_new_value_until_one_sees_the_new()
        => AssertLinearizable(History(
            Set(0, 1, 0, 10),
            Get(1, null, 1, 2),
            Get(2, 1, 3, 4),
            Get(1, 1, 5, 6),
            Get(2, 1, 11, 12)));

    [Fact]
    public void Concurrent_writes_may_take_effect_in_either_order()
        => AssertLinearizable(History(
            Set(0, 1, 0, 10),
            Set(1, 2, 0, 10),
            Get(2, 1, 2, 3),
            Get(2, 2, 11, 12),
            Get(3, 2, 13, 14)));

    [Fact]
    public void A_write_of_unknown_outcome_may_have_taken_effect()
        => AssertLinearizable(History(
            Set(0, 1, 0, 1),
            SetUnknown(1, 2, 2),
            Get(2, 2, 10, 11)));

    [Fact]
    public void A_write_of_unknown_outcome_may_never_take_effect()
        => AssertLinearizable(History(
            Set(0, 1, 0, 1),
            SetUnknown(1, 2, 2),
            Get(2, 1, 10, 11),
            Get(2, 1, 20, 21)));

    [Fact]
    public void A_write_of_unknown_outcome_may_take_effect_long_after_its_client_gave_up()
        => AssertLinearizable(History(
            Set(0, 1, 0, 1),
            SetUnknown(1, 2, 2),
            Get(2, 1, 10, 11),
            Get(2, 2, 20, 21),
            Get(0, 2, 30, 31)));

    [Fact]
    public void Failed_writes_and_unanswered_reads_constrain_nothing()
        => AssertLinearizable(History(
            Set(0, 1, 0, 1),
            SetFailed(1, 2, 2, 3),
            GetUnknown(2, 2),
            Get(0, 1, 4, 5)));

    [Fact]
    public void Overlapping_increments_return_values_in_the_order_they_took_effect()
        => AssertLinearizable(History(
            Incr(0, 2, 0, 10),
            Incr(1, 1, 1, 5),
            Get(2, 1, 2, 3),
            Get(2, 2, 11, 12)));

    [Fact]
    public void Increments_of_unknown_outcome_may_count_or_not()
        => AssertLinearizable(History(
            Incr(0, 1, 0, 1),
            IncrUnknown(1, 2),
            IncrUnknown(2, 2),
            Get(0, 2, 5, 6),
            Incr(0, 3, 7, 8),
            Get(3, 3, 9, 10),
            Incr(3, 5, 11, 12)));

    [Fact]
    public void Keys_are_checked_each_on_its_own()
    {
        CheckResult result = LinearizabilityChecker.Check(History(
            Set(0, 1, 0, 1, key: "a"),
            Get(1, 1, 2, 3, key: "a"),
            Incr(0, 1, 4, 5, key: "b"),
            Set(1, 2, 6, 7, key: "a"),
            Get(0, 1, 8, 9, key: "b")));
        Assert.Equal(Verdict.Linearizable, result.Verdict);
        Assert.Equal(["a", "b"], result.Keys.Select(k => k.Key));
    }

    [Fact]
    public void A_stale_read_after_a_completed_write_is_caught()
    {
        KeyResult violation = AssertNotLinearizable(
            History(
                Set(0, 1, 0, 1),
                Set(0, 2, 2, 3),
                Get(1, 1, 4, 5),
                Set(1, 7, 0, 1, key: "other")),
            "x");
        Assert.Contains("read 1, but the value is 2", violation.Report, StringComparison.Ordinal);
        Assert.Contains("c1 GET -> 1", violation.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_reads_that_go_back_in_time_are_caught()
        => AssertNotLinearizable(
            History(
                Set(0, 1, 0, 1),
                Set(0, 2, 2, 100),
                Get(1, 2, 10, 11),
                Get(2, 1, 20, 21)),
            "x");

    [Fact]
    public void A_counter_that_skips_a_value_is_caught()
        => AssertNotLinearizable(History(Incr(0, 1, 0, 1), Incr(1, 3, 2, 3)), "x");

    [Fact]
    public void A_counter_read_above_its_increments_is_caught()
        => AssertNotLinearizable(History(Incr(0, 1, 0, 1), Incr(1, 2, 2, 3), Get(0, 3, 4, 5)), "x");

    [Fact]
    public void A_lost_acknowledged_increment_is_caught()
        => AssertNotLinearizable(History(Incr(0, 1, 0, 1), Incr(1, 2, 2, 3), Get(2, 1, 4, 5), Get(2, 1, 6, 7)), "x");

    [Fact]
    public void A_lost_acknowledged_write_is_caught()
        => AssertNotLinearizable(History(Set(0, 1, 0, 1), Set(1, 2, 2, 3), Get(2, 1, 10, 11), Get(0, 1, 20, 21)), "x");

    [Fact]
    public void A_read_before_an_unknown_write_was_invoked_cannot_see_its_value()
        => AssertNotLinearizable(History(Set(0, 1, 0, 1), Get(1, 2, 2, 3), SetUnknown(0, 2, 5)), "x");

    [Fact]
    public void The_value_of_a_failed_write_cannot_be_read()
        => AssertNotLinearizable(History(Set(0, 1, 0, 1), SetFailed(0, 2, 2, 3), Get(1, 2, 4, 5)), "x");

    [Fact]
    public void A_read_of_a_value_never_written_is_caught()
        => AssertNotLinearizable(History(Set(0, 1, 0, 1), Get(1, 42, 2, 3)), "x");

    [Fact]
    public void Random_linearizable_histories_of_5_clients_x_200_operations_on_10_keys_check_within_the_budget()
    {
        for (int seed = 1; seed <= 3; seed++)
        {
            History history = SyntheticHistory.Linearizable(seed, clients: 5, opsPerClient: 200, keys: 10);
            Assert.Contains(history.Operations, o => o.Outcome == Outcome.Unknown);
            CheckResult result = LinearizabilityChecker.Check(history);
            output.WriteLine($"seed {seed}: {result}");
            Assert.True(result.Verdict == Verdict.Linearizable, $"seed {seed}: {result}");
        }
    }

    [Fact]
    public void Ten_clients_on_one_key_with_unknown_writes_check_within_the_budget()
    {
        History history = SyntheticHistory.Linearizable(5, clients: 10, opsPerClient: 200, keys: 1, unknownWrites: 0.05);
        CheckResult result = LinearizabilityChecker.Check(history);
        output.WriteLine(result.ToString());
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
    }

    [Fact]
    public void A_bad_read_planted_in_a_large_random_history_is_found_and_its_key_named()
    {
        History history = SyntheticHistory.Linearizable(7, clients: 5, opsPerClient: 200, keys: 10);
        Operation[] ops = history.Operations;
        int target = Array.FindIndex(ops, o => o.Kind == OperationKind.Get && o.Outcome == Outcome.Ok && o.Result is > 0 && o.Key == "k1");
        Assert.True(target >= 0);
        ops[target] = ops[target] with { Result = ops[target].Result + 1_000 };
        CheckResult result = LinearizabilityChecker.Check(new History(ops));
        output.WriteLine(result.ToString());
        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal(["k1"], result.Violations.Select(k => k.Key));
    }

    [Fact]
    public void A_search_past_its_budget_says_unknown_rather_than_guess()
    {
        History history = SyntheticHistory.Linearizable(3, clients: 5, opsPerClient: 50, keys: 1);
        CheckResult result = LinearizabilityChecker.Check(history, new CheckerOptions { MaxStepsPerKey = 10 });
        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("gave up after 10 steps", result.ToString(), StringComparison.Ordinal);
    }

    private void AssertLinearizable(History history)
    {
        CheckResult result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
    }

    private KeyResult AssertNotLinearizable(History history, string key)
    {
        CheckResult result = LinearizabilityChecker.Check(history);
        output.WriteLine(result.ToString());
        Assert.True(result.Verdict == Verdict.NotLinearizable, result.ToString());
        KeyResult violation = Assert.Single(result.Violations);
        Assert.Equal(key, violation.Key);
        Assert.NotNull(violation.Report);
        return violation;
    }
}
