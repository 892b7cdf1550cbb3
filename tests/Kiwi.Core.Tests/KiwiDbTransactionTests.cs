using Kiwi.Core.Transactions;

namespace Kiwi.Core.Tests;

/// <summary>KiwiDb's typed transactions: one entry applied atomically, results in order, WATCH as Redis's.</summary>
public sealed class KiwiDbTransactionTests : KiwiDbTestBase
{
    [Fact]
    public async Task Execute_applies_every_operation_and_returns_each_result()
    {
        await Db.Hashes.SetAsync(B("h"), B("f"), B("v"));
        KiwiTransaction tx = Db.CreateTransaction()
            .Set(B("a"), B("1"))
            .IncrementBy(B("a"), 5)
            .IncrementBy(B("h"), 1)
            .SetAdd(B("s"), B("m"))
            .Set(B("a"), B("x"), condition: SetCondition.NotExists)
            .Delete(B("missing"));
        Assert.Equal(6, tx.Count);
        KiwiTransactionResult? result = await tx.ExecuteAsync(CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(6, result.Count);
        Assert.Equal(1, result.Integer(0));
        Assert.Equal(6, result.Integer(1));
        Assert.True(result.IsError(2));
        Assert.StartsWith("WRONGTYPE", result.Error(2));
        Assert.Throws<KiwiException>(() => result.Integer(2));
        Assert.Equal(1, result.Integer(3));
        Assert.True(result.IsNull(4));
        Assert.Equal(0, result.Integer(5));
        Assert.Equal("6", Db.GetString("a"));
        Assert.True(Db.Sets.Contains(B("s"), B("m")));
    }

    [Fact]
    public void A_bad_argument_is_refused_when_added()
    {
        KiwiTransaction tx = Db.CreateTransaction();
        Assert.Throws<KiwiException>(() => tx.Set(B("k"), B("v"), KiwiExpiry.Seconds(-5)));
        Assert.Equal(0, tx.Count);
    }

    [Fact]
    public async Task A_watched_key_changed_before_execute_applies_nothing()
    {
        await using KiwiTransaction tx = Db.CreateTransaction();
        await tx.WatchAsync(B("w"), CancellationToken.None);
        await Db.SetAsync("w", "changed");
        tx.Set(B("out"), B("1"));
        Assert.Null(await tx.ExecuteAsync(CancellationToken.None));
        Assert.Null(Db.GetString("out"));

        await using KiwiTransaction quiet = Db.CreateTransaction();
        await quiet.WatchAsync(B("w"), CancellationToken.None);
        await Db.SetAsync("other", "x");
        quiet.Set(B("out"), B("2"));
        Assert.NotNull(await quiet.ExecuteAsync(CancellationToken.None));
        Assert.Equal("2", Db.GetString("out"));
    }

    [Fact]
    public async Task Watches_and_their_changes_survive_a_restart()
    {
        var changed = Db.CreateTransaction();
        await changed.WatchAsync(B("k1"), CancellationToken.None);
        var untouched = Db.CreateTransaction();
        await untouched.WatchAsync(B("k2"), CancellationToken.None);
        await Db.SetAsync("k1", "x");
        long changedToken = changed.WatchToken;
        long untouchedToken = untouched.WatchToken;

        Reopen();

        KiwiTransaction resumedChanged = new KiwiTransaction(Db) { WatchToken = changedToken }.Set(B("r1"), B("1"));
        Assert.Null(await resumedChanged.ExecuteAsync(CancellationToken.None));
        KiwiTransaction resumedUntouched = new KiwiTransaction(Db) { WatchToken = untouchedToken }.Set(B("r2"), B("1"));
        Assert.NotNull(await resumedUntouched.ExecuteAsync(CancellationToken.None));
        Assert.Null(Db.GetString("r1"));
        Assert.Equal("1", Db.GetString("r2"));

        // Each token is dropped once its transaction ran: running it again finds no watch and applies nothing.
        KiwiTransaction again = new KiwiTransaction(Db) { WatchToken = untouchedToken }.Set(B("r3"), B("1"));
        Assert.Null(await again.ExecuteAsync(CancellationToken.None));
    }

    [Fact]
    public void Watch_record_format_is_fixed()
    {
        var watch = new WatchRegistry.Watch(7) { WatchedAtMs = 0x0102030405060708, Dirty = true };
        watch.Keys.Add(new WatchRegistry.WatchedKey(watch, [0x00, 0x01, (byte)'k']) { ExpiredAtWatch = true });
        var bytes = new byte[WatchRegistry.RecordSize(watch)];
        WatchRegistry.Encode(watch, bytes);
        Assert.Equal(
            Convert.FromHexString("0101" + "0807060504030201" + "01000000" + "01" + "03000000" + "00016B"),
            bytes);
    }

    [Fact]
    public async Task A_relative_expiry_counts_from_execute_and_an_absolute_one_stays()
    {
        KiwiTransaction tx = Db.CreateTransaction()
            .Set(B("rel"), B("v"), KiwiExpiry.Milliseconds(1500))
            .Set(B("abs"), B("v"), KiwiExpiry.AtUnixMilliseconds(StartMs + 1500));
        Clock.Advance(1000);
        Assert.NotNull(await tx.ExecuteAsync(CancellationToken.None));

        // As Redis's MULTI: from the time the transaction runs, not the time the operation was added.
        Assert.Equal(1500, Db.PTtl(B("rel")));
        Assert.Equal(500, Db.PTtl(B("abs")));
    }
}
