namespace Kiwi.Core.Tests.Lists;

/// <summary>Blocking pops of the embedded API: awaitables woken by the writer, never by polling.</summary>
public sealed class KiwiDbBlockingListTests : KiwiDbBlockingTestBase
{
    [Fact]
    public async Task A_waiting_pop_is_served_by_the_next_push_on_any_of_its_keys()
    {
        Task<KiwiListPop> pop = Db.Lists.BlockingPopAsync([B("a"), B("b")], right: false, Timeout.InfiniteTimeSpan);
        await UntilBlocked(1);
        Assert.False(pop.IsCompleted);
        await Db.Lists.PushRightAsync(B("b"), B("x"));
        using KiwiListPop got = await Within(pop);
        Assert.Equal(1, got.KeyIndex);
        Assert.Equal("x", got.Value.ToString());
        Assert.Equal(0, Db.Lists.Length(B("b")));
        Assert.Equal(0, Db.Blocking.Count);
    }

    [Fact]
    public async Task Waiters_are_served_in_the_order_they_began()
    {
        var pops = new List<Task<KiwiListPop>>();
        for (int i = 0; i < 3; i++)
        {
            pops.Add(Db.Lists.BlockingPopAsync([B("fifo")], right: false, TimeSpan.Zero));
            await UntilBlocked(i + 1);
        }

        await Db.Lists.PushRightAsync(B("fifo"), [B("1"), B("2"), B("3")]);
        for (int i = 0; i < 3; i++)
        {
            using KiwiListPop got = await Within(pops[i]);
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), got.Value.ToString());
        }
    }

    [Fact]
    public async Task Timeout_cancellation_and_closing_end_a_wait()
    {
        using (KiwiListPop timedOut = await Within(Db.Lists.BlockingPopAsync([B("t")], right: true, TimeSpan.FromMilliseconds(10))))
        {
            Assert.True(timedOut.IsTimedOut);
        }

        using var cancel = new CancellationTokenSource();
        Task<KiwiListPop> cancelled = Db.Lists.BlockingPopAsync([B("t")], right: true, TimeSpan.Zero, cancel.Token);
        await UntilBlocked(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(cancelled));
        await UntilBlocked(0);

        Task<KiwiValue> closed = Db.Lists.BlockingMoveAsync(B("t"), B("u"), false, false, TimeSpan.Zero);
        await UntilBlocked(1);
        Db.Dispose();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(closed));
        Reopen();
    }

    [Fact]
    public async Task Consumers_blocked_while_a_producer_pushes_get_every_element_exactly_once()
    {
        const int Elements = 2000;
        const int Consumers = 4;
        var got = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var done = new CancellationTokenSource();
        var consumers = new Task[Consumers];
        for (int c = 0; c < Consumers; c++)
        {
            consumers[c] = Task.Run(async () =>
            {
                while (true)
                {
                    KiwiListPop pop;
                    try
                    {
                        pop = await Db.Lists.BlockingPopAsync([B("work")], right: false, TimeSpan.Zero, done.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    using (pop)
                    {
                        got.Add(pop.Value.ToString()!);
                    }
                }
            });
        }

        for (int i = 0; i < Elements; i++)
        {
            await Db.Lists.PushRightAsync(B("work"), B(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        DateTime deadline = DateTime.UtcNow + Deadline;
        while (got.Count < Elements)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{got.Count} of {Elements} elements consumed");
            await Task.Yield();
        }

        await done.CancelAsync();
        await Within(Task.WhenAll(consumers).ContinueWith(static _ => true, TaskScheduler.Default));
        Assert.Equal(Elements, got.Count);
        Assert.Equal(Elements, got.Distinct().Count());
        Assert.Equal(0, Db.Lists.Length(B("work")));
    }

    [Fact]
    public async Task Blocking_move_and_wrongtype()
    {
        Task<KiwiValue> move = Db.Lists.BlockingMoveAsync(B("src"), B("dst"), fromRight: true, toRight: false, TimeSpan.Zero);
        await UntilBlocked(1);
        await Db.Lists.PushRightAsync(B("src"), [B("1"), B("2")]);
        using (KiwiValue moved = await Within(move))
        {
            Assert.Equal("2", moved.ToString());
        }

        Assert.Equal(1, Db.Lists.Length(B("dst")));
        await Db.SetAsync(B("str"), B("v"));
        Assert.StartsWith("WRONGTYPE", (await Assert.ThrowsAsync<KiwiException>(() => Db.Lists.BlockingPopAsync([B("str")], false, TimeSpan.Zero))).Message);
        Assert.Equal(0, Db.Blocking.Count);
    }
}
