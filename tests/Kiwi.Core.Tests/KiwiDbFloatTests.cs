namespace Kiwi.Core.Tests;

/// <summary>INCRBYFLOAT through the writer: Redis's long-double results, TTL kept, errors in Redis's order.</summary>
public sealed class KiwiDbFloatTests : KiwiDbTestBase
{
    [Theory]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("3.0", "0.1", "3.1")]
    [InlineData("10", "-10", "0")]
    [InlineData("1", "0x10", "17")]
    [InlineData("1000", "0.1", "1000.09999999999999998")] // what redis-server 7.0.15 replies
    public async Task IncrByFloat_MatchesRedis(string start, string increment, string expected)
    {
        await Db.SetAsync("f", start);
        Assert.Equal(expected, await Text(Db.IncrByFloatAsync("f", increment)));
        Assert.Equal(expected, Db.GetString("f"));
    }

    [Fact]
    public async Task IncrByFloat_OnAMissingKeyStartsFromZero_AndKeepsAnExistingTtl()
    {
        Assert.Equal("2.5", await Text(Db.IncrByFloatAsync("f", "2.5")));
        Assert.Equal(-1, Db.Ttl("f"));

        await Db.SetAsync("t", "1", KiwiExpiry.Seconds(100));
        Assert.Equal("1.5", await Text(Db.IncrByFloatAsync("t", "0.5")));
        Assert.Equal(100, Db.Ttl("t"));
    }

    [Theory]
    [InlineData("abc", "1")]
    [InlineData("1", "abc")]
    [InlineData("1", "")]
    [InlineData("1", " 1")]
    [InlineData("1", "1 ")]
    [InlineData("1", "nan")]
    public async Task IncrByFloat_InvalidFloat_IsRejectedAndChangesNothing(string start, string increment)
    {
        await Db.SetAsync("f", start);
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => Db.IncrByFloatAsync("f", increment).AsTask());
        Assert.Equal("ERR value is not a valid float", error.Message);
        Assert.Equal(start, Db.GetString("f"));
    }

    [Theory]
    [InlineData("1", "inf")]
    [InlineData("1.1e4932", "1.1e4932")]
    public async Task IncrByFloat_ToInfinity_IsRejected(string start, string increment)
    {
        await Db.SetAsync("f", start);
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => Db.IncrByFloatAsync("f", increment).AsTask());
        Assert.Equal("ERR increment would produce NaN or Infinity", error.Message);
        Assert.Equal(start, Db.GetString("f"));
    }

    [Fact]
    public async Task IncrByFloat_ManyInOneBatch_SeeEachOther()
    {
        var pending = new List<Task<KiwiValue>>();
        for (int i = 0; i < 100; i++)
        {
            pending.Add(Db.IncrByFloatAsync("sum", "0.5").AsTask());
        }

        foreach (Task<KiwiValue> p in pending)
        {
            (await p).Dispose();
        }

        Assert.Equal("50", Db.GetString("sum"));
    }
}
