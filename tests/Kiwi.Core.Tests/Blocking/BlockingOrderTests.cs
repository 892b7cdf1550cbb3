using System.Collections.Concurrent;
using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;

namespace Kiwi.Core.Tests.Blocking;

/// <summary>
/// The wake-up order of <see cref="BlockingKeys"/> with attempts the test answers itself: a wait whose attempt is
/// still in flight when data arrive keeps its place ahead of the waiters behind it.
/// </summary>
public sealed class BlockingOrderTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);
    private readonly BlockingKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task A_wait_whose_first_attempt_is_in_flight_is_served_before_a_later_waiter()
    {
        var first = new ScriptedWait(_keys, "k");
        var second = new ScriptedWait(_keys, "k");
        first.Start(0, CancellationToken.None);
        second.Start(0, CancellationToken.None);
        ApplyRequest firstAttempt = await first.NextAttemptAsync();
        (await second.NextAttemptAsync()).AnswerEmpty();
        await UntilAsync(() => _keys.Count == 1, "the second wait did not block");

        // One member lands while the first wait's attempt is still out (it ran before the push).
        Push("k", members: 1);
        firstAttempt.AnswerEmpty();
        (await first.NextAttemptAsync()).AnswerMember();

        Assert.Equal(BlockOutcome.Served, await Within(first.Outcome));
        ApplyRequestPool.Return(first.Reply!);
        Assert.Equal(1, second.Attempts);
        Assert.False(second.Outcome.IsCompleted);
        Assert.Equal(1, _keys.Count);
        Assert.True(second.Stop(BlockOutcome.TimedOut));
        Assert.Equal(0, _keys.Count);
        Assert.False(_keys.HasWaiters);
    }

    [Fact]
    public async Task Data_a_stopped_wait_kept_its_place_for_goes_to_the_next_waiter()
    {
        var first = new ScriptedWait(_keys, "k");
        var second = new ScriptedWait(_keys, "k");
        first.Start(0, CancellationToken.None);
        second.Start(0, CancellationToken.None);
        ApplyRequest firstAttempt = await first.NextAttemptAsync();
        (await second.NextAttemptAsync()).AnswerEmpty();
        await UntilAsync(() => _keys.Count == 1, "the second wait did not block");

        Push("k", members: 1);
        Assert.True(first.Stop(BlockOutcome.TimedOut));
        firstAttempt.AnswerEmpty();
        Assert.Equal(BlockOutcome.TimedOut, await Within(first.Outcome));

        (await second.NextAttemptAsync()).AnswerMember();
        Assert.Equal(BlockOutcome.Served, await Within(second.Outcome));
        ApplyRequestPool.Return(second.Reply!);
        Assert.Equal(0, _keys.Count);
    }

    [Fact]
    public async Task A_wait_counts_as_blocked_only_once_its_first_attempt_found_nothing()
    {
        var wait = new ScriptedWait(_keys, "k");
        wait.Start(0, CancellationToken.None);
        ApplyRequest attempt = await wait.NextAttemptAsync();
        Assert.Equal(0, _keys.Count);
        Assert.True(_keys.HasWaiters);
        attempt.AnswerEmpty();
        await UntilAsync(() => _keys.Count == 1, "the wait did not block");
        Assert.True(wait.Stop(BlockOutcome.TimedOut));
        Assert.Equal(0, _keys.Count);
    }

    private void Push(string key, long members)
    {
        _keys.Note(0, System.Text.Encoding.ASCII.GetBytes(key), members);
        _keys.Publish();
    }

    private static async Task<T> Within<T>(Task<T> task)
    {
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(s_deadline)));
        return await task;
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(1);
        }
    }

    // A wait whose attempts go nowhere: the test answers each one.
    private sealed class ScriptedWait(BlockingKeys keys, string key) : BlockedWait(keys, 0, [System.Text.Encoding.ASCII.GetBytes(key)])
    {
        private readonly ConcurrentQueue<ApplyRequest> _attempts = new();
        private int _count;

        public int Attempts => Volatile.Read(ref _count);

        public async Task<ApplyRequest> NextAttemptAsync()
        {
            DateTime deadline = DateTime.UtcNow + s_deadline;
            ApplyRequest? attempt;
            while (!_attempts.TryDequeue(out attempt))
            {
                Assert.True(DateTime.UtcNow < deadline, "no attempt was sent");
                await Task.Delay(1);
            }

            return attempt;
        }

        protected override ApplyRequest EncodeAttempt(bool retry)
        {
            ApplyRequest request = ApplyRequestPool.Rent();
            Interlocked.Increment(ref _count);
            _attempts.Enqueue(request);
            return request;
        }
    }
}

internal static class ScriptedAttempts
{
    public static void AnswerEmpty(this ApplyRequest attempt)
    {
        attempt.ReplyNull();
        attempt.Complete();
    }

    public static void AnswerMember(this ApplyRequest attempt)
    {
        attempt.ReplyBulk("m"u8);
        attempt.Complete();
    }
}
