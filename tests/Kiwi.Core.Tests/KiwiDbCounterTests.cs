namespace Kiwi.Core.Tests;

/// <summary>INCR, INCRBY, DECR and DECRBY: Redis's integer parsing and overflow rules.</summary>
public sealed class KiwiDbCounterTests : KiwiDbTestBase
{
    private const string NotInteger = "ERR value is not an integer or out of range";
    private const string Overflow = "ERR increment or decrement would overflow";

    [Fact]
    public async Task Incr_OnAMissingKey_StartsFromZero()
    {
        Assert.Equal(1, await Db.IncrAsync("k"));
        Assert.Equal(2, await Db.IncrAsync("k"));

        Assert.Equal("2", Db.GetString("k"));
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task IncrBy_Decr_DecrBy_ApplyTheirDeltas()
    {
        Assert.Equal(10, await Db.IncrByAsync("k", 10));
        Assert.Equal(9, await Db.DecrAsync("k"));
        Assert.Equal(-1, await Db.DecrByAsync("k", 10));
        Assert.Equal(-6, await Db.IncrByAsync("k", -5));
        Assert.Equal(-1, await Db.DecrByAsync("k", -5));

        Assert.Equal("-1", Db.GetString("k"));
    }

    [Fact]
    public async Task Decr_OnAMissingKey_StartsFromZero()
    {
        Assert.Equal(-1, await Db.DecrAsync("k"));
        Assert.Equal(-7, await Db.DecrByAsync("j", 7));
    }

    [Theory]
    [InlineData("10", 11)]
    [InlineData("-5", -4)]
    [InlineData("0", 1)]
    [InlineData("-9223372036854775808", -9223372036854775807)]
    [InlineData("9223372036854775806", long.MaxValue)]
    public async Task Incr_ParsesCanonicalIntegers(string stored, long expected)
    {
        await Db.SetAsync("k", stored);

        Assert.Equal(expected, await Db.IncrAsync("k"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("-")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    [InlineData("123456789012345678901")]
    public async Task IncrFamily_OnANonIntegerValue_FailsAndKeepsTheValue(string stored)
    {
        await Db.SetAsync("k", stored);

        Assert.Equal(NotInteger, await ErrorOf(async () => await Db.IncrAsync("k")));
        Assert.Equal(NotInteger, await ErrorOf(async () => await Db.DecrAsync("k")));
        Assert.Equal(NotInteger, await ErrorOf(async () => await Db.IncrByAsync("k", 5)));
        Assert.Equal(NotInteger, await ErrorOf(async () => await Db.DecrByAsync("k", 5)));

        Assert.Equal(stored, Db.GetString("k"));
    }

    [Fact]
    public async Task Incr_PastMaxValue_Overflows()
    {
        await Db.SetAsync("k", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Overflow, await ErrorOf(async () => await Db.IncrAsync("k")));
        Assert.Equal(Overflow, await ErrorOf(async () => await Db.IncrByAsync("k", long.MaxValue)));
        Assert.Equal(Overflow, await ErrorOf(async () => await Db.DecrByAsync("k", -1)));

        Assert.Equal("9223372036854775807", Db.GetString("k"));
    }

    [Fact]
    public async Task Decr_PastMinValue_Overflows()
    {
        await Db.SetAsync("k", "-9223372036854775808");

        Assert.Equal(Overflow, await ErrorOf(async () => await Db.DecrAsync("k")));
        Assert.Equal(Overflow, await ErrorOf(async () => await Db.IncrByAsync("k", -1)));
        Assert.Equal(Overflow, await ErrorOf(async () => await Db.DecrByAsync("k", long.MaxValue)));

        Assert.Equal("-9223372036854775808", Db.GetString("k"));
    }

    [Fact]
    public async Task IncrBy_MinValueIncrement_IsAllowedWhenTheResultFits()
    {
        await Db.SetAsync("k", "5");

        Assert.Equal(-9223372036854775803, await Db.IncrByAsync("k", long.MinValue));
        Assert.Equal(Overflow, await ErrorOf(async () => await Db.IncrByAsync("k", long.MinValue)));
    }

    [Fact]
    public async Task DecrBy_MinValue_IsRefusedBeforeLookingAtTheKey()
    {
        await Db.SetAsync("k", "abc");

        Assert.Equal("ERR decrement would overflow", await ErrorOf(async () => await Db.DecrByAsync("missing", long.MinValue)));
        Assert.Equal("ERR decrement would overflow", await ErrorOf(async () => await Db.DecrByAsync("k", long.MinValue)));

        Assert.Equal(0, Db.Exists("missing"));
    }

    [Fact]
    public async Task IncrFamily_KeepsTheTtl()
    {
        await Db.SetAsync("k", "10", KiwiExpiry.Seconds(100));

        await Db.IncrAsync("k");
        await Db.DecrByAsync("k", 3);

        Assert.Equal("8", Db.GetString("k"));
        Assert.Equal(100, Db.Ttl("k"));
    }

    [Fact]
    public async Task Incr_ResultIsAValueOtherCommandsCanRead()
    {
        await Db.IncrByAsync("k", 123);

        Assert.Equal(3, await Db.AppendAsync("k", ""));
        Assert.Equal(3, Db.StrLen("k"));
        Assert.Equal(4, await Db.AppendAsync("k", "4"));
        Assert.Equal("1234", Db.GetString("k"));
        Assert.Equal(1235, await Db.IncrAsync("k"));
    }
}
