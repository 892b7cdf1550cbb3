using Kiwi.Core;
using Kiwi.Core.Apply;
using Microsoft.Extensions.Options;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Refuses <see cref="KiwiDbOptions"/> the database would refuse or misbehave with, when the host starts (so a bad
/// configuration stops the start with every problem named instead of failing the first request).
/// </summary>
internal sealed class KiwiDbOptionsValidator : IValidateOptions<KiwiDbOptions>
{
    public ValidateOptionsResult Validate(string? name, KiwiDbOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("Path is required: the directory of the database");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            failures.Add($"Durability '{options.Durability}' is not one of {string.Join(", ", Enum.GetNames<Durability>())}");
        }

        if (options.MemoryBudgetBytes < 0)
        {
            failures.Add("MemoryBudgetBytes must be 0 (a quarter of the memory) or more");
        }

        if (options.BlockCacheBytes is <= 0)
        {
            failures.Add("BlockCacheBytes must be more than 0 when set");
        }

        if (options.ReadCacheBytes is < 0)
        {
            failures.Add("ReadCacheBytes must be 0 (off) or more when set");
        }

        if (options.RingCapacity <= 0)
        {
            failures.Add("RingCapacity must be more than 0");
        }

        if (options.MaxBatch <= 0)
        {
            failures.Add("MaxBatch must be more than 0");
        }

        if (options.ExpiryInterval <= TimeSpan.Zero)
        {
            failures.Add("ExpiryInterval must be more than 0");
        }

        if (options.CollectionCleanupInterval <= TimeSpan.Zero)
        {
            failures.Add("CollectionCleanupInterval must be more than 0");
        }

        if (options.CollectionCleanupSlice <= 0)
        {
            failures.Add("CollectionCleanupSlice must be more than 0");
        }

        if (options.Clock is null)
        {
            failures.Add("Clock must not be null");
        }

        if (options.Raft is { } raft)
        {
            foreach (string problem in raft.TimeoutProblems())
            {
                failures.Add($"Raft: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
