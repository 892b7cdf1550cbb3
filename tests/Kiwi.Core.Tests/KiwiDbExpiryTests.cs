using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests;

/// <summary>EXPIRE family, TTL family, PERSIST and GETEX, on a manual clock.</summary>
public sealed class KiwiDbExpiryTests : KiwiDbTestBase
{
    [Fact]
    public async Task Expire_And_PExpire_SetRelativeTimes()
    {
        await Db.SetAsync("a", "v");
        await Db.SetAsync("b", "v");

        Assert.True(await Db.ExpireAsync("a", 100));
        Assert.True(await Db.PExpireAsync("b", 1500));

        Assert.Equal(100_000, Db.PTtl("a"));
        Assert.Equal(StartMs + 1500, Db.PExpireTime("b"));
    }

    [Fact]
    public async Task ExpireAt_And_PExpireAt_SetAbsoluteTimes()
    {
        await Db.SetAsync("a", "v");
        await Db.SetAsync("b", "v");

        Assert.True(await Db.ExpireAtAsync("a", (StartMs / 1000) + 60));
        Assert.True(await Db.PExpireAtAsync("b", StartMs + 60_001));

        Assert.Equal((StartMs / 1000) + 60, Db.ExpireTime("a"));
        Assert.Equal(StartMs + 60_001, Db.PExpireTime("b"));
    }

    [Fact]
    public async Task Expire_MissingKey_ReturnsFalse()
    {
        Assert.False(await Db.ExpireAsync("missing", 10));
        Assert.False(await Db.PExpireAtAsync("missing", StartMs + 10));
        Assert.Equal(0, Db.Exists("missing"));
    }

    [Fact]
    public async Task Expire_NegativeOrPastTime_DeletesTheKeyAndReturnsTrue()
    {
        await Db.MSetAsync(("a", "v"), ("b", "v"), ("c", "v"), ("d", "v"));

        Assert.True(await Db.ExpireAsync("a", -1));
        Assert.True(await Db.PExpireAsync("b", 0));
        Assert.True(await Db.ExpireAtAsync("c", 1));
        Assert.True(await Db.PExpireAtAsync("d", StartMs - 1));

        Assert.Equal(0, Db.Exists("a", "b", "c", "d"));
    }

    [Theory]
    [InlineData(ExpireCondition.Nx, false, true)]
    [InlineData(ExpireCondition.Nx, true, false)]
    [InlineData(ExpireCondition.Xx, false, false)]
    [InlineData(ExpireCondition.Xx, true, true)]
    [InlineData(ExpireCondition.Gt, false, false)]
    [InlineData(ExpireCondition.Lt, false, true)]
    [InlineData(ExpireCondition.Xx | ExpireCondition.Lt, false, false)]
    [InlineData(ExpireCondition.Xx | ExpireCondition.Gt, false, false)]
    public async Task Expire_Condition_AgainstNoTtlOrATtl(ExpireCondition condition, bool hasTtl, bool expected)
    {
        // A key without a TTL counts as an infinite TTL for GT and LT.
        await Db.SetAsync("k", "v", hasTtl ? KiwiExpiry.Seconds(50) : KiwiExpiry.None);

        Assert.Equal(expected, await Db.ExpireAsync("k", 100, condition));

        Assert.Equal(expected ? 100 : hasTtl ? 50 : -1, Db.Ttl("k"));
    }

    [Theory]
    [InlineData(ExpireCondition.Gt, 200, true)]
    [InlineData(ExpireCondition.Gt, 100, false)]
    [InlineData(ExpireCondition.Gt, 50, false)]
    [InlineData(ExpireCondition.Lt, 50, true)]
    [InlineData(ExpireCondition.Lt, 100, false)]
    [InlineData(ExpireCondition.Lt, 200, false)]
    [InlineData(ExpireCondition.Xx | ExpireCondition.Gt, 200, true)]
    [InlineData(ExpireCondition.Xx | ExpireCondition.Lt, 50, true)]
    public async Task Expire_GtLt_CompareWithTheCurrentTtl(ExpireCondition condition, long seconds, bool expected)
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(100));

        Assert.Equal(expected, await Db.ExpireAsync("k", seconds, condition));

        Assert.Equal(expected ? seconds : 100, Db.Ttl("k"));
    }

    [Fact]
    public async Task Expire_LtWithAPastTime_DeletesAKeyWithoutTtl()
    {
        await Db.SetAsync("k", "v");

        Assert.True(await Db.ExpireAsync("k", -5, ExpireCondition.Lt));

        Assert.Equal(0, Db.Exists("k"));
    }

    [Theory]
    [InlineData(ExpireCondition.Nx | ExpireCondition.Xx, "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData(ExpireCondition.Nx | ExpireCondition.Gt, "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData(ExpireCondition.Nx | ExpireCondition.Lt, "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData(ExpireCondition.Gt | ExpireCondition.Lt, "ERR GT and LT options at the same time are not compatible")]
    [InlineData(ExpireCondition.Xx | ExpireCondition.Gt | ExpireCondition.Lt, "ERR GT and LT options at the same time are not compatible")]
    public async Task Expire_IncompatibleConditions_Fail(ExpireCondition condition, string expected)
    {
        await Db.SetAsync("k", "v");

        Assert.Equal(expected, await ErrorOf(async () => await Db.ExpireAsync("k", 10, condition)));
        Assert.Equal(expected, await ErrorOf(async () => await Db.PExpireAtAsync("k", StartMs + 10, condition)));

        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task Expire_TimesThatOverflow_AreInvalid()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("ERR invalid expire time in 'expire' command", await ErrorOf(async () => await Db.ExpireAsync("k", (long.MaxValue / 1000) + 1)));
        Assert.Equal("ERR invalid expire time in 'expire' command", await ErrorOf(async () => await Db.ExpireAsync("k", (long.MinValue / 1000) - 1)));
        Assert.Equal("ERR invalid expire time in 'pexpire' command", await ErrorOf(async () => await Db.PExpireAsync("k", long.MaxValue)));
        Assert.Equal("ERR invalid expire time in 'expireat' command", await ErrorOf(async () => await Db.ExpireAtAsync("k", (long.MaxValue / 1000) + 1)));

        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task Ttl_MissingKeyAndNoExpiry()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal(-2, Db.Ttl("missing"));
        Assert.Equal(-2, Db.PTtl("missing"));
        Assert.Equal(-1, Db.Ttl("k"));
        Assert.Equal(-1, Db.PTtl("k"));
    }

    [Theory]
    [InlineData(1499, 1)]
    [InlineData(1500, 2)]
    [InlineData(499, 0)]
    [InlineData(500, 1)]
    public async Task Ttl_RoundsMillisecondsToTheNearestSecond(long milliseconds, long seconds)
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Milliseconds(milliseconds));

        Assert.Equal(seconds, Db.Ttl("k"));
        Assert.Equal(milliseconds, Db.PTtl("k"));
    }

    [Fact]
    public async Task ExpireTime_ReportsMissingNoExpiryAndTheRoundedTime()
    {
        await Db.SetAsync("plain", "v");
        await Db.SetAsync("k", "v", KiwiExpiry.AtUnixMilliseconds(StartMs + 60_600));

        Assert.Equal(-2, Db.ExpireTime("missing"));
        Assert.Equal(-2, Db.PExpireTime("missing"));
        Assert.Equal(-1, Db.ExpireTime("plain"));
        Assert.Equal(-1, Db.PExpireTime("plain"));
        Assert.Equal((StartMs / 1000) + 61, Db.ExpireTime("k"));
        Assert.Equal(StartMs + 60_600, Db.PExpireTime("k"));
    }

    [Fact]
    public async Task Ttl_CountsDownWithTheClock()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(10));

        Clock.Advance(4_000);

        Assert.Equal(6, Db.Ttl("k"));
        Assert.Equal(StartMs + 10_000, Db.PExpireTime("k"));
    }

    [Fact]
    public async Task Persist_RemovesTheTtlOnce()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(10));
        await Db.SetAsync("plain", "v");

        Assert.True(await Db.PersistAsync("k"));
        Assert.False(await Db.PersistAsync("k"));
        Assert.False(await Db.PersistAsync("plain"));
        Assert.False(await Db.PersistAsync("missing"));

        Assert.Equal(-1, Db.Ttl("k"));
        Assert.Equal("v", Db.GetString("k"));
    }

    [Fact]
    public async Task GetEx_WithoutOption_IsAPlainRead()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(10));

        Assert.Equal("v", await Text(Db.GetExAsync("k")));
        Assert.Null(await Text(Db.GetExAsync("missing")));
        Assert.Equal(10, Db.Ttl("k"));
    }

    [Fact]
    public async Task GetEx_Options_ChangeTheTtl()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.Seconds(100))));
        Assert.Equal(100, Db.Ttl("k"));
        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.Milliseconds(2500))));
        Assert.Equal(2500, Db.PTtl("k"));
        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.AtUnixSeconds((StartMs / 1000) + 30))));
        Assert.Equal(30, Db.Ttl("k"));
        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.AtUnixMilliseconds(StartMs + 7))));
        Assert.Equal(7, Db.PTtl("k"));
        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.Persist)));
        Assert.Equal(-1, Db.Ttl("k"));
    }

    [Fact]
    public async Task GetEx_PxAtInThePast_ReturnsTheValueAndDeletesTheKey()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("v", await Text(Db.GetExAsync("k", KiwiExpiry.AtUnixMilliseconds(StartMs - 1))));

        Assert.Equal(0, Db.Exists("k"));
    }

    [Fact]
    public async Task GetEx_InvalidExpiry_IsNilForAMissingKeyAndAnErrorForAString()
    {
        await Db.SetAsync("k", "v", KiwiExpiry.Seconds(10));

        Assert.Null(await Text(Db.GetExAsync("missing", KiwiExpiry.Seconds(0))));
        Assert.Null(await Text(Db.GetExAsync("missing", KiwiExpiry.Milliseconds(-1))));
        Assert.Equal("ERR invalid expire time in 'getex' command", await ErrorOf(async () => await Db.GetExAsync("k", KiwiExpiry.Seconds(0))));
        Assert.Equal("ERR invalid expire time in 'getex' command", await ErrorOf(async () => await Db.GetExAsync("k", KiwiExpiry.Seconds((long.MaxValue / 1000) + 1))));
        Assert.Equal("ERR invalid expire time in 'getex' command", await ErrorOf(async () => await Db.GetExAsync("k", KiwiExpiry.Milliseconds(long.MaxValue))));

        Assert.Equal(10, Db.Ttl("k"));
        Assert.Equal(0, Db.Exists("missing"));
    }

    [Fact]
    public async Task GetEx_KeepTtl_IsASyntaxError()
    {
        await Db.SetAsync("k", "v");

        Assert.Equal("ERR syntax error", await ErrorOf(async () => await Db.GetExAsync("k", KiwiExpiry.KeepTtl)));
    }

    [Fact]
    public async Task Key_IsVisibleAtItsExpiryMillisecondAndGoneAfter()
    {
        // Redis: a key is expired when now > expire time.
        await Db.SetAsync("k", "v", KiwiExpiry.Milliseconds(1000));

        Clock.Advance(1000);
        Assert.Equal("v", Db.GetString("k"));
        Assert.Equal(0, Db.PTtl("k"));

        Clock.Advance(1);
        Assert.Null(Db.GetString("k"));
    }

    [Fact]
    public async Task ExpiredKey_IsInvisibleToEveryRead()
    {
        await Db.SetAsync("k", "value", KiwiExpiry.Milliseconds(100));
        Clock.Advance(101);

        using KiwiValue value = Db.Get(B("k"));
        Assert.True(value.IsNull);
        Assert.Null(await Text(Db.GetExAsync("k")));
        Assert.Equal(0, Db.Exists("k"));
        Assert.Equal(-2, Db.Ttl("k"));
        Assert.Equal(-2, Db.PTtl("k"));
        Assert.Equal(-2, Db.ExpireTime("k"));
        Assert.Equal(-2, Db.PExpireTime("k"));
        Assert.Equal(KeyType.None, Db.Type("k"));
        Assert.Equal(0, Db.StrLen("k"));
        Assert.Equal(string.Empty, Db.GetRange("k", 0, -1));
        AssertValues(Db.MGet("k"), [null]);
    }

    [Fact]
    public async Task ExpiredKey_IsMissingForReadModifyWriteCommands()
    {
        foreach (string key in new[] { "incr", "append", "nx", "xx", "getset", "getdel", "expire", "persist", "del", "setrange", "msetnx" })
        {
            await Db.SetAsync(key, "old", KiwiExpiry.Milliseconds(100));
        }

        Clock.Advance(101);

        Assert.Equal(1, await Db.IncrAsync("incr"));
        Assert.Equal(-1, Db.Ttl("incr"));
        Assert.Equal(3, await Db.AppendAsync("append", "new"));
        Assert.Equal("new", Db.GetString("append"));
        Assert.True(await Db.SetAsync("nx", "new", condition: SetCondition.NotExists));
        Assert.False(await Db.SetAsync("xx", "new", condition: SetCondition.Exists));
        Assert.Null(await Text(Db.GetSetAsync("getset", "new")));
        Assert.Null(await Text(Db.GetDelAsync("getdel")));
        Assert.False(await Db.ExpireAsync("expire", 100));
        Assert.False(await Db.PersistAsync("persist"));
        Assert.Equal(0, await Db.DelAsync("del"));
        Assert.Equal(2, await Db.SetRangeAsync("setrange", 1, "x"));
        Assert.True(await Db.MSetNxAsync(("msetnx", "new")));

        Assert.Equal(-1, Db.Ttl("nx"));
        Assert.Equal(0, Db.Exists("xx", "getdel", "expire", "persist", "del"));
        using KiwiValue padded = Db.Get(B("setrange"));
        Assert.Equal(new byte[] { 0, (byte)'x' }, padded.Span.ToArray());
    }
}
