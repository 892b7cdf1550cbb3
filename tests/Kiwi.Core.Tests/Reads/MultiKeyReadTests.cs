using System.Globalization;
using Kiwi.Core.Storage;
using Kiwi.Core.Tests.Storage;

namespace Kiwi.Core.Tests.Reads;

/// <summary>
/// A read of several keys sees each write whole: an MGET racing MSETs of the same keys gets the values of one
/// MSET, never some keys from one and some from the next (Redis never answers that; each MSET is one commit).
/// On every engine: RocksDB with in-place updates (the default: views hold off commits), RocksDB with snapshots,
/// and the in-memory engine.
/// </summary>
public sealed class MultiKeyReadTests
{
    private const int Keys = 8;
    private const int Rounds = 3_000;

    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    [InlineData(EngineKind.Memory)]
    public async Task MGet_racing_MSet_never_sees_half_of_one(EngineKind kind)
    {
        using var directory = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, directory.Path);
        using KiwiDb db = KiwiDb.Open(engine, new KiwiDbOptions { Path = directory.Path, ActiveExpiry = false });
        string[] keys = [.. Enumerable.Range(1, Keys).Select(i => "mk:" + i.ToString(CultureInfo.InvariantCulture))];
        await db.MSetAsync([.. keys.Select(k => (k, Value(0)))]);

        (int reads, int torn, string example) = await RaceAsync(
            async round =>
            {
                string value = Value(round);
                await db.MSetAsync([.. keys.Select(k => (k, value))]);
            },
            () =>
            {
                string?[] values = db.MGet(keys);
                return values.Any(v => v != values[0]) ? string.Join(",", values.Select(v => v?[..8])) : null;
            });

        Assert.True(torn == 0, $"{torn} of {reads} MGETs saw half of an MSET, e.g. {example}");
    }

    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    [InlineData(EngineKind.Memory)]
    public async Task Exists_racing_MSet_and_Del_counts_all_keys_or_none(EngineKind kind)
    {
        using var directory = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, directory.Path);
        using KiwiDb db = KiwiDb.Open(engine, new KiwiDbOptions { Path = directory.Path, ActiveExpiry = false });
        string[] keys = [.. Enumerable.Range(1, Keys).Select(i => "ek:" + i.ToString(CultureInfo.InvariantCulture))];

        (int reads, int torn, string example) = await RaceAsync(
            async round =>
            {
                await db.MSetAsync([.. keys.Select(k => (k, Value(round)))]);
                await db.DelAsync(keys);
            },
            () => db.Exists(keys) is var count && count is 0 or Keys ? null : count.ToString(CultureInfo.InvariantCulture));

        Assert.True(torn == 0, $"{torn} of {reads} EXISTS counted part of an MSET or a DEL, e.g. {example}");
    }

    /// <summary>
    /// Runs <paramref name="write"/> for <see cref="Rounds"/> rounds on one thread while another loops
    /// <paramref name="read"/> (which returns a description of a torn read, or null) until the writes are done.
    /// </summary>
    private static async Task<(int Reads, int Torn, string Example)> RaceAsync(Func<int, Task> write, Func<string?> read)
    {
        using var done = new CancellationTokenSource();
        Task writer = Task.Run(async () =>
        {
            try
            {
                for (int round = 1; round <= Rounds; round++)
                {
                    await write(round);
                }
            }
            finally
            {
                done.Cancel();
            }
        });

        Task<(int, int, string)> reader = Task.Run(() =>
        {
            int reads = 0, torn = 0;
            string example = string.Empty;
            while (!done.IsCancellationRequested)
            {
                string? bad = read();
                reads++;
                if (bad is not null)
                {
                    torn++;
                    example = example.Length > 0 ? example : bad;
                }
            }

            return (reads, torn, example);
        });

        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        return await reader.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static string Value(int round) => round.ToString("D8", CultureInfo.InvariantCulture) + new string('v', 56);
}
