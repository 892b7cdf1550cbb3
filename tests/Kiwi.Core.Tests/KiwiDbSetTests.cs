using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>SET and its relatives (SETNX, SETEX, PSETEX, GETSET, SET ... GET) with Redis 7's semantics.</summary>
public sealed class KiwiDbSetTests : KiwiDbTestBase
{
    [Fact]
    public async Task Set_Plain_StoresTheValueWithoutTtl()
    {
        Assert.True(await Db.SetAsync("k", "v"));

        Assert.Equal("v", Db.GetString("k"));
        Assert.Equal(-1, Db.Ttl("k"));
        Assert.Equal(KeyType.String, Db.Type("k"));
    }

    [Fact]
    public async Task Set_OverwritesAnExistingValue()
    {
        await Db.SetAsync("k", "first");
        Assert.True(await Db.SetAsync("k", "second"));

        Assert.Equal("second", Db.GetString("k"));
    }

    [Fact]
    public void Get_MissingKey_IsNil()
    {
        using KiwiValue value = Db.Get(B("missing"));

        Assert.True(value.IsNull);
        Assert.Null(Db.GetString("missing"));
    }

    [Fact]
    public async Task Set_Ex_SetsSecondsFromNow()
    {
        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.Seconds(100)));

        Assert.Equal(100_000, Db.PTtl("k"));
        Assert.Equal(100, Db.Ttl("k"));
        Assert.Equal(StartMs + 100_000, Db.PExpireTime("k"));
    }

    [Fact]
    public async Task Set_Px_SetsMillisecondsFromNow()
    {
        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.Milliseconds(1500)));

        Assert.Equal(1500, Db.PTtl("k"));
        Assert.Equal(StartMs + 1500, Db.PExpireTime("k"));
    }

    [Fact]
    public async Task Set_ExAt_SetsAnAbsoluteUnixTimeInSeconds()
    {
        long at = (StartMs / 1000) + 50;
        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.AtUnixSeconds(at)));

        Assert.Equal(at, Db.ExpireTime("k"));
        Assert.Equal(at * 1000, Db.PExpireTime("k"));
    }

    [Fact]
    public async Task Set_PxAt_SetsAnAbsoluteUnixTimeInMilliseconds()
    {
        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.AtUnixMilliseconds(StartMs + 1234)));

        Assert.Equal(StartMs + 1234, Db.PExpireTime("k"));
        Assert.Equal(1234, Db.PTtl("k"));
    }

    [Fact]
    public async Task Set_PxAtInThePast_ReturnsTrueAndLeavesNoKey()
    {
        await Db.SetAsync("k", "old");

        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.AtUnixMilliseconds(StartMs - 1)));
        Assert.True(await Db.SetAsync("fresh", "v", KiwiExpiry.AtUnixSeconds(1)));

        Assert.Equal(0, Db.Exists("k", "fresh"));
        Assert.Null(Db.GetString("k"));
    }

    [Fact]
    public async Task Set_Nx_OnlySetsAMissingKey()
    {
        Assert.True(await Db.SetAsync("k", "first", condition: SetCondition.NotExists));
        Assert.False(await Db.SetAsync("k", "second", condition: SetCondition.NotExists));

        Assert.Equal("first", Db.GetString("k"));
    }

    [Fact]
    public async Task Set_Xx_OnlySetsAnExistingKey()
    {
        Assert.False(await Db.SetAsync("k", "first", condition: SetCondition.Exists));
        Assert.Equal(0, Db.Exists("k"));

        await Db.SetAsync("k", "first");
        Assert.True(await Db.SetAsync("k", "second", condition: SetCondition.Exists));
        Assert.Equal("second", Db.GetString("k"));
    }

    [Fact]
    public async Task Set_WithoutKeepTtl_ClearsAnExistingTtl()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(100));
        await Db.SetAsync("k", "w");

        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task Set_KeepTtl_KeepsTheExistingTtl()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(100));
        Clock.Advance(10_000);

        Assert.True(await Db.SetAsync("k", "w", KiwiExpiry.KeepTtl));

        Assert.Equal("w", Db.GetString("k"));
        Assert.Equal(90_000, Db.PTtl("k"));
    }

    [Fact]
    public async Task Set_KeepTtl_OnAMissingKey_SetsWithoutTtl()
    {
        Assert.True(await Db.SetAsync("k", "v", KiwiExpiry.KeepTtl));

        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task SetGet_ReturnsThePreviousValueOrNil()
    {
        Assert.Null(await Text(Db.SetGetAsync(B("k"), B("first"))));
        Assert.Equal("first", await Text(Db.SetGetAsync(B("k"), B("second"))));

        Assert.Equal("second", Db.GetString("k"));
    }

    [Fact]
    public async Task SetGet_WithNx_ReturnsTheOldValueAndDoesNotOverwrite()
    {
        Assert.Null(await Text(Db.SetGetAsync(B("k"), B("first"), condition: SetCondition.NotExists)));
        Assert.Equal("first", await Text(Db.SetGetAsync(B("k"), B("second"), condition: SetCondition.NotExists)));

        Assert.Equal("first", Db.GetString("k"));
    }

    [Fact]
    public async Task SetGet_WithXx_SetsOnlyAnExistingKey()
    {
        Assert.Null(await Text(Db.SetGetAsync(B("k"), B("first"), condition: SetCondition.Exists)));
        Assert.Equal(0, Db.Exists("k"));

        await Db.SetAsync("k", "first");
        Assert.Equal("first", await Text(Db.SetGetAsync(B("k"), B("second"), condition: SetCondition.Exists)));
        Assert.Equal("second", Db.GetString("k"));
    }

    [Fact]
    public async Task SetGet_WithExpiry_SetsTheTtl()
    {
        await Db.SetAsync("k", "old");

        Assert.Equal("old", await Text(Db.SetGetAsync(B("k"), B("new"), KiwiExpiry.Seconds(5))));

        Assert.Equal(5, Db.Ttl("k"));
    }

    [Theory]
    [InlineData(KiwiExpiryKind.Seconds, 0L)]
    [InlineData(KiwiExpiryKind.Milliseconds, 0L)]
    [InlineData(KiwiExpiryKind.AtUnixSeconds, 0L)]
    [InlineData(KiwiExpiryKind.AtUnixMilliseconds, 0L)]
    [InlineData(KiwiExpiryKind.Seconds, -1L)]
    [InlineData(KiwiExpiryKind.Milliseconds, -100L)]
    [InlineData(KiwiExpiryKind.AtUnixMilliseconds, long.MinValue)]
    [InlineData(KiwiExpiryKind.Seconds, (long.MaxValue / 1000) + 1)]
    [InlineData(KiwiExpiryKind.AtUnixSeconds, (long.MaxValue / 1000) + 1)]
    [InlineData(KiwiExpiryKind.Milliseconds, long.MaxValue)]
    public async Task Set_InvalidExpire_FailsWithoutWriting(KiwiExpiryKind kind, long value)
    {
        await Db.SetAsync("k", "old");
        KiwiExpiry expiry = kind switch
        {
            KiwiExpiryKind.Seconds => KiwiExpiry.Seconds(value),
            KiwiExpiryKind.Milliseconds => KiwiExpiry.Milliseconds(value),
            KiwiExpiryKind.AtUnixSeconds => KiwiExpiry.AtUnixSeconds(value),
            _ => KiwiExpiry.AtUnixMilliseconds(value),
        };

        Assert.Equal("ERR invalid expire time in 'set' command", await ErrorOf(async () => await Db.SetAsync("k", "new", expiry)));
        Assert.Equal("ERR invalid expire time in 'set' command", await ErrorOf(async () => await Db.SetGetAsync(B("k"), B("new"), expiry)));

        Assert.Equal("old", Db.GetString("k"));
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task SetEx_And_PSetEx_SetValueAndTtl()
    {
        await Db.SetExAsync("a", 10, "x");
        await Db.PSetExAsync("b", 2500, "y");

        Assert.Equal("x", Db.GetString("a"));
        Assert.Equal(10_000, Db.PTtl("a"));
        Assert.Equal("y", Db.GetString("b"));
        Assert.Equal(2500, Db.PTtl("b"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public async Task SetEx_And_PSetEx_InvalidTime_NameTheirCommand(long time)
    {
        Assert.Equal("ERR invalid expire time in 'setex' command", await ErrorOf(async () => await Db.SetExAsync("k", time, "v")));
        Assert.Equal("ERR invalid expire time in 'psetex' command", await ErrorOf(async () => await Db.PSetExAsync("k", time, "v")));

        Assert.Equal(0, Db.Exists("k"));
    }

    [Fact]
    public async Task SetEx_SecondsThatOverflowMilliseconds_IsInvalid()
    {
        Assert.Equal(
            "ERR invalid expire time in 'setex' command",
            await ErrorOf(async () => await Db.SetExAsync("k", (long.MaxValue / 1000) + 1, "v")));
    }

    [Fact]
    public async Task GetSet_ReturnsTheOldValueAndClearsTheTtl()
    {
        Assert.Null(await Text(Db.GetSetAsync("k", "first")));
        await Db.ExpireAsync("k", 100);

        Assert.Equal("first", await Text(Db.GetSetAsync("k", "second")));

        Assert.Equal("second", Db.GetString("k"));
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task SetNx_ReturnsWhetherItSet()
    {
        Assert.True(await Db.SetNxAsync("k", "first"));
        Assert.False(await Db.SetNxAsync("k", "second"));

        Assert.Equal("first", Db.GetString("k"));
    }

    [Fact]
    public async Task SetNx_KeepsTheTtlOfTheKeyItDidNotTouch()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(30));

        Assert.False(await Db.SetNxAsync("k", "w"));

        Assert.Equal(30, Db.Ttl("k"));
    }

    [Fact]
    public async Task GetDel_ReturnsTheValueAndDeletesTheKey()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("v", await Text(Db.GetDelAsync("k")));
        Assert.Equal(0, Db.Exists("k"));
        Assert.Null(await Text(Db.GetDelAsync("k")));
    }

    [Fact]
    public async Task Set_PersistOption_IsASyntaxError()
    {
        Assert.Equal("ERR syntax error", await ErrorOf(async () => await Db.SetAsync("k", "v", KiwiExpiry.Persist)));
        Assert.Equal(0, Db.Exists("k"));
    }
}
