using Kiwi.Jepsen.Tests.Histories;
using static Kiwi.Jepsen.Tests.Support.Ops;

namespace Kiwi.Jepsen.Tests.Checking;

public sealed class DurabilityCheckerTests
{
    private static readonly History s_counter = History(
        Incr(0, 1, 0, 1),
        Incr(1, 2, 2, 3),
        IncrUnknown(2, 4),
        Incr(0, 3, 5, 6));

    [Theory]
    [InlineData(3L)]
    [InlineData(4L)]
    public void A_counter_ends_between_its_acknowledged_increments_and_those_plus_the_unknown(long final)
        => Assert.Empty(DurabilityChecker.Check(s_counter, Final("x", final)));

    [Fact]
    public void A_counter_below_its_acknowledged_increments_lost_some()
    {
        string problem = Assert.Single(DurabilityChecker.Check(s_counter, Final("x", 2)));
        Assert.Contains("1 lost", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_counter_above_every_increment_issued_applied_one_twice()
    {
        string problem = Assert.Single(DurabilityChecker.Check(s_counter, Final("x", 5)));
        Assert.Contains("applied twice", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_counter_gone_at_the_end_lost_every_increment()
        => Assert.Single(DurabilityChecker.Check(s_counter, new Dictionary<string, long?>()));

    [Fact]
    public void Two_acknowledged_increments_returning_the_same_value_are_a_duplicate()
    {
        History history = History(Incr(0, 1, 0, 1), Incr(1, 1, 2, 3));
        Assert.Contains(DurabilityChecker.Check(history, Final("x", 2)), p => p.Contains("2 acknowledged INCRs returned 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_register_ending_with_its_last_acknowledged_write_is_fine()
        => Assert.Empty(DurabilityChecker.Check(History(Set(0, 1, 0, 1), Set(1, 2, 2, 3), Get(0, 2, 4, 5)), Final("x", 2)));

    [Fact]
    public void A_register_may_end_with_a_write_concurrent_with_the_last_or_one_of_unknown_outcome()
    {
        History history = History(Set(0, 1, 0, 10), Set(1, 2, 2, 3), SetUnknown(2, 3, 4));
        Assert.Empty(DurabilityChecker.Check(history, Final("x", 1)));
        Assert.Empty(DurabilityChecker.Check(history, Final("x", 2)));
        Assert.Empty(DurabilityChecker.Check(history, Final("x", 3)));
    }

    [Fact]
    public void A_register_ending_with_a_value_overwritten_by_a_later_acknowledged_write_lost_that_write()
    {
        string problem = Assert.Single(DurabilityChecker.Check(History(Set(0, 1, 0, 1), Set(1, 2, 2, 3)), Final("x", 1)));
        Assert.Contains("c1 SET 2 -> OK", problem, StringComparison.Ordinal);
        Assert.Contains("is lost", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_register_gone_at_the_end_lost_its_acknowledged_writes()
        => Assert.Single(DurabilityChecker.Check(History(Set(0, 1, 0, 1)), Final("x", null)));

    [Fact]
    public void A_register_ending_with_the_value_of_a_failed_write_is_caught()
        => Assert.Single(DurabilityChecker.Check(History(Set(0, 1, 0, 1), SetFailed(1, 2, 2, 3)), Final("x", 2)));

    [Fact]
    public void Reading_a_value_never_written_or_written_by_a_failed_write_is_caught()
    {
        History history = History(Set(0, 1, 0, 1), SetFailed(1, 2, 2, 3), Get(0, 2, 4, 5), Get(0, 9, 6, 7));
        IReadOnlyList<string> problems = DurabilityChecker.Check(history, Final("x", 1));
        Assert.Equal(2, problems.Count);
        Assert.Contains("a SET that failed", problems[0], StringComparison.Ordinal);
        Assert.Contains("no SET wrote", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_register_check_needs_a_distinct_value_per_write()
        => Assert.Throws<ArgumentException>(() => DurabilityChecker.Check(History(Set(0, 1, 0, 1), Set(1, 1, 2, 3)), Final("x", 1)));

    private static Dictionary<string, long?> Final(string key, long? value) => new(StringComparer.Ordinal) { [key] = value };
}
