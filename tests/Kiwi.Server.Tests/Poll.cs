namespace Kiwi.Server.Tests;

/// <summary>Waits for a condition by asking again until a deadline, never by sleeping a fixed time.</summary>
internal static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Re-checks <paramref name="condition"/> (each check is a round trip to the server) until it holds.</summary>
    public static void Until(Func<bool> condition, string failure)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Yield();
        }
    }

    /// <summary>Async form of <see cref="Until"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Yield();
        }
    }
}
