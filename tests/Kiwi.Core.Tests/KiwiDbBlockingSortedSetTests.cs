namespace Kiwi.Core.Tests;

/// <summary>Blocking sorted-set pops of the embedded API: awaitables woken by the writer, never by polling.</summary>
public sealed class KiwiDbBlockingSortedSetTests : KiwiDbBlockingTestBase
{
    [Fact]
    public async Task A_waiting_pop_gets_the_lowest_or_highest_member_of_the_key_written()
    {
        Task<KiwiZSetPop> min = Db.SortedSets.BlockingPopAsync([B("za"), B("zb")], max: false, Timeout.InfiniteTimeSpan);
        await UntilBlocked(1);
        Task<KiwiZSetPop> max = Db.SortedSets.BlockingPopAsync([B("zb")], max: true, TimeSpan.Zero);
        await UntilBlocked(2);
        await Db.SortedSets.AddAsync(B("zb"), 2.5, B("x"));
        using (KiwiZSetPop got = await Within(min))
        {
            Assert.Equal((1, "x", 2.5), (got.KeyIndex, got.Member.ToString(), got.Score));
        }

        Assert.False(max.IsCompleted);
        await Db.SortedSets.AddAsync(B("zb"), double.PositiveInfinity, B("top"));
        using (KiwiZSetPop got = await Within(max))
        {
            Assert.Equal((0, "top", double.PositiveInfinity), (got.KeyIndex, got.Member.ToString(), got.Score));
        }

        using KiwiZSetPop timedOut = await Within(Db.SortedSets.BlockingPopAsync([B("zc")], max: false, TimeSpan.FromMilliseconds(10)));
        Assert.True(timedOut.IsTimedOut);
        Assert.Equal(0, Db.Blocking.Count);
    }

    [Fact]
    public async Task Cancellation_ends_a_wait()
    {
        using var cancel = new CancellationTokenSource();
        Task<KiwiZSetPop> cancelled = Db.SortedSets.BlockingPopAsync([B("zt")], max: true, TimeSpan.Zero, cancel.Token);
        await UntilBlocked(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(cancelled));
        await UntilBlocked(0);
    }
}
