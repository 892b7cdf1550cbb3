namespace Kiwi.Core.Tests;

/// <summary>
/// The key counts (DBSIZE, INFO keyspace's expires) stay exact with many writes in flight: the writer thread busy,
/// batches that write one key several times, keys whose record the callers' threads read ahead of the writer.
/// </summary>
public sealed class KiwiDbKeyCountTests : KiwiDbTestBase
{
    private const int Keys = 2000;

    [Fact]
    public async Task ConcurrentWrites_OfOverlappingKeys_LeaveExactCounts()
    {
        const int Callers = 64;
        const int PerCaller = 400;
        var callers = new Task[Callers];
        for (int c = 0; c < Callers; c++)
        {
            int seed = c;
            callers[c] = Task.Run(() => WriteAsync(seed, PerCaller));
        }

        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(120));

        long live = 0;
        long expiring = 0;
        for (int k = 0; k < Keys; k++)
        {
            byte[] key = B("k:" + k);
            live += Db.Exists(key);
            expiring += Db.PTtl(key) > 0 ? 1 : 0;
        }

        Assert.True(live > Keys / 2, $"only {live} keys written");
        Assert.Equal(live, Db.DbSize());
        Assert.Equal(expiring, Db.ExpiringKeyCount(0));
    }

    // Mostly blind SETs (the ones whose count reads only the old record's header), some with an expiry, some
    // deletes, each in flight with the others of a few callers.
    private async Task WriteAsync(int seed, int count)
    {
        var random = new Random(seed);
        byte[] value = B("value-" + seed);
        var pending = new ValueTask[8];
        for (int i = 0; i < count; i += pending.Length)
        {
            for (int j = 0; j < pending.Length; j++)
            {
                byte[] key = B("k:" + random.Next(Keys));
                int pick = random.Next(10);
                pending[j] = pick switch
                {
                    0 => Ignore(Db.DelAsync(key)),
                    1 => Ignore(Db.SetAsync(key, value, KiwiExpiry.Seconds(3600))),
                    _ => Ignore(Db.SetAsync(key, value)),
                };
            }

            foreach (ValueTask write in pending)
            {
                await write;
            }
        }
    }

    private static async ValueTask Ignore<T>(ValueTask<T> pending) => await pending;
}
