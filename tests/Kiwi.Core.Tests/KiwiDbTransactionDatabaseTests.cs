namespace Kiwi.Core.Tests;

/// <summary>Typed transactions on <see cref="KiwiDb.GetDatabase"/> handles, and watches across SWAPDB and a restart.</summary>
public sealed class KiwiDbTransactionDatabaseTests : KiwiDbTestBase
{
    [Fact]
    public async Task A_transaction_of_a_handle_writes_its_database_and_counts_its_keys()
    {
        KiwiDb three = Db.GetDatabase(3);
        KiwiTransactionResult? result = await three.CreateTransaction()
            .Set(B("a"), B("1"))
            .IncrementBy(B("a"), 2)
            .SetAdd(B("s"), B("m"))
            .ExecuteAsync(CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(3, result.Integer(1));
        Assert.Equal("3", three.GetString("a"));
        Assert.Null(Db.GetString("a"));
        Assert.Equal(2, three.DbSize());
        Assert.Equal(0, Db.DbSize());

        // After a swap the handle's database stands on the other physical one: the transaction follows it.
        await Db.SwapDatabasesAsync(3, 4);
        Assert.NotNull(await three.CreateTransaction().Set(B("b"), B("1")).ExecuteAsync(CancellationToken.None));
        Assert.Equal(1, three.DbSize());
        Assert.Equal(2, Db.GetDatabase(4).DbSize());
    }

    [Fact]
    public async Task A_watch_follows_its_logical_database_through_a_swap_and_a_restart()
    {
        KiwiDb five = Db.GetDatabase(5);
        KiwiTransaction absent = five.CreateTransaction();
        await absent.WatchAsync(B("w"), CancellationToken.None);
        KiwiTransaction present = five.CreateTransaction();
        await present.WatchAsync(B("p"), CancellationToken.None);
        await Db.GetDatabase(6).SetAsync("p", "x");
        long absentToken = absent.WatchToken;
        long presentToken = present.WatchToken;

        // "p" exists in database 6: the swap changes it; "w" exists in neither: no change.
        await Db.SwapDatabasesAsync(5, 6);
        Reopen();

        KiwiTransaction resumedPresent = new KiwiTransaction(Db.GetDatabase(5)) { WatchToken = presentToken }.Set(B("r"), B("1"));
        Assert.Null(await resumedPresent.ExecuteAsync(CancellationToken.None));

        // "w" is still watched in logical database 5, now on physical 6: a write there changes it.
        await Db.GetDatabase(5).SetAsync("w", "1");
        KiwiTransaction resumedAbsent = new KiwiTransaction(Db.GetDatabase(5)) { WatchToken = absentToken }.Set(B("r"), B("1"));
        Assert.Null(await resumedAbsent.ExecuteAsync(CancellationToken.None));
        Assert.Null(Db.GetDatabase(5).GetString("r"));
    }
}
