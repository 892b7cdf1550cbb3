using System.Text;
using Kiwi.Core.Reads;

namespace Kiwi.Core.Tests.Reads;

/// <summary>RANDOMKEY's pick: uniform over small databases, spread over large ones, never an expired key.</summary>
public sealed class KeySamplerTests : KiwiDbTestBase
{
    [Fact]
    public void An_empty_database_has_no_random_key()
        => Assert.Null(Pick());

    [Fact]
    public async Task Expired_keys_are_never_picked()
    {
        for (int i = 0; i < 100; i++)
        {
            Assert.True(await Db.SetAsync($"gone:{i}", "v", KiwiExpiry.Seconds(10)));
        }

        Assert.True(await Db.SetAsync("kept", "v"));
        Clock.Advance(TimeSpan.FromSeconds(11));
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal("kept", Pick());
        }

        Assert.Equal(1, await Db.DelAsync("kept"));
        Assert.Null(Pick());
    }

    [Fact]
    public async Task Picks_spread_over_a_database_larger_than_the_window()
    {
        const int keyCount = 2000;
        for (int i = 0; i < keyCount; i += 100)
        {
            var pairs = new (string, string)[100];
            for (int j = 0; j < pairs.Length; j++)
            {
                pairs[j] = ($"user:{i + j}", "v");
            }

            await Db.MSetAsync(pairs);
        }

        var counts = new Dictionary<string, int>();
        const int picks = 4000;
        for (int i = 0; i < picks; i++)
        {
            string key = Pick()!;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        // Uniform picks would see about 1730 distinct keys, none more than about 10 times; a start seeking to
        // random bytes saw only the first few dozen keys.
        int most = counts.Values.Max();
        Assert.True(counts.Count >= 1000, $"{counts.Count} distinct keys in {picks} picks");
        Assert.True(most <= 40, $"one key picked {most} times in {picks}");
    }

    private string? Pick()
    {
        using Kiwi.Core.Storage.IStorageCursor cursor = Db.Engine.OpenCursor(Kiwi.Core.Storage.KeySpace.Meta);
        byte[]? key = KeySampler.PickRandom(cursor, 0, Db.NowMs(), CancellationToken.None);
        return key is null ? null : Encoding.UTF8.GetString(key);
    }
}
