namespace Kiwi.Core.Tests;

/// <summary>
/// <see cref="KiwiDbTestBase"/> for tests of blocking calls: waits bounded by one deadline, so a wake-up that never
/// comes fails the test instead of hanging it, and "blocked" is read from the database's waiter count, never guessed
/// from elapsed time.
/// </summary>
public abstract class KiwiDbBlockingTestBase : KiwiDbTestBase
{
    /// <summary>How long any single wait of a test may take.</summary>
    protected static TimeSpan Deadline { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Returns once exactly <paramref name="count"/> calls are blocked on the database.</summary>
    protected async Task UntilBlocked(int count)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (Db.Blocking.Count != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} blocked, saw {Db.Blocking.Count}");
            await Task.Yield();
        }
    }

    /// <summary>The task's result, failing the test when it takes longer than <see cref="Deadline"/>.</summary>
    protected static async Task<T> Within<T>(Task<T> task)
    {
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(Deadline)));
        return await task;
    }
}
