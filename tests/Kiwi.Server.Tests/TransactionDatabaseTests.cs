namespace Kiwi.Server.Tests;

/// <summary>
/// Transactions and databases together: queued commands run in their own database through the writer's SWAPDB map,
/// MOVE/SWAPDB/DBSIZE inside MULTI, and WATCH dirtied by SWAPDB and a per-database FLUSHDB as in Redis 7.0.
/// Each test uses its own databases (the fixture's server is shared within the class).
/// </summary>
public sealed class TransactionDatabaseTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static Task<string> Call(RawClient client, params string[] args) => client.CallAsync(RawClient.Command(args));

    [Fact]
    public async Task Queued_commands_follow_a_swapdb_queued_before_them_and_move_and_dbsize_run_inside_exec()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "3"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "a", "1"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SWAPDB", "3", "4"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "GET", "a"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "b", "2"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "MOVE", "b", "5"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "EXISTS", "b"));
        Assert.Equal("*8\r\n+OK\r\n:1\r\n+OK\r\n$-1\r\n:0\r\n+OK\r\n:1\r\n:0\r\n", await Call(c, "EXEC"));

        Assert.Equal("$-1\r\n", await Call(c, "GET", "a"));
        Assert.Equal(":0\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "4"));
        Assert.Equal("$1\r\n1\r\n", await Call(c, "GET", "a"));
        Assert.Equal(":1\r\n", await Call(c, "DBSIZE"));
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "5"));
        Assert.Equal("$1\r\n2\r\n", await Call(c, "GET", "b"));
        Assert.Equal(":1\r\n", await Call(c, "DBSIZE"));
    }

    [Fact]
    public async Task Select_inside_multi_is_queued_moves_later_commands_and_the_connection_only_when_exec_runs()
    {
        using RawClient c = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(c, "SELECT", "12"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "s", "12"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "13"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SET", "s", "13"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "GET", "s"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "99"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "x"));
        Assert.Equal(
            "*6\r\n+OK\r\n+OK\r\n+OK\r\n$2\r\n13\r\n-ERR DB index is out of range\r\n-ERR value is not an integer or out of range\r\n",
            await Call(c, "EXEC"));
        Assert.Equal("$2\r\n13\r\n", await Call(c, "GET", "s"));

        // DISCARD and EXECABORT: nothing ran, the connection stays where MULTI found it.
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "12"));
        Assert.Equal("+OK\r\n", await Call(c, "DISCARD"));
        Assert.Equal("$2\r\n13\r\n", await Call(c, "GET", "s"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "12"));
        Assert.StartsWith("-ERR unknown command", await Call(c, "NOSUCH"));
        Assert.StartsWith("-EXECABORT", await Call(c, "EXEC"));
        Assert.Equal("$2\r\n13\r\n", await Call(c, "GET", "s"));

        // Under a WATCH: refused, it stays; run, it moves (a GET pipelined after EXEC reads the right database).
        Assert.Equal("+OK\r\n", await Call(c, "WATCH", "s"));
        Assert.Equal("+OK\r\n", await Call(other, "SELECT", "13"));
        Assert.Equal("+OK\r\n", await Call(other, "SET", "s", "changed"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "12"));
        await c.SendAsync(RawClient.Command("EXEC") + RawClient.Command("GET", "s"));
        Assert.Equal("*-1\r\n", await c.ReadReplyAsync());
        Assert.Equal("$7\r\nchanged\r\n", await c.ReadReplyAsync());
        Assert.Equal("+OK\r\n", await Call(c, "WATCH", "s"));
        Assert.Equal("+OK\r\n", await Call(c, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(c, "SELECT", "12"));
        await c.SendAsync(RawClient.Command("EXEC") + RawClient.Command("GET", "s"));
        Assert.Equal("*1\r\n+OK\r\n", await c.ReadReplyAsync());
        Assert.Equal("$2\r\n12\r\n", await c.ReadReplyAsync());
    }

    [Fact]
    public async Task Swapdb_dirties_watched_keys_that_exist_in_either_database_and_the_watch_stays_on_its_logical_database()
    {
        using RawClient watcher = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);

        // A watched key that exists: the swap changes it.
        Assert.Equal("+OK\r\n", await Call(watcher, "SELECT", "6"));
        Assert.Equal("+OK\r\n", await Call(watcher, "SET", "w", "1"));
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "w"));
        Assert.Equal("+OK\r\n", await Call(other, "SWAPDB", "6", "7"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "PING"));
        Assert.Equal("*-1\r\n", await Call(watcher, "EXEC"));

        // A watched key in neither database: no change (Redis's touchAllWatchedKeysInDb looks the key up).
        Assert.Equal("+OK\r\n", await Call(watcher, "SELECT", "8"));
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "q"));
        Assert.Equal("+OK\r\n", await Call(other, "SWAPDB", "8", "9"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "PING"));
        Assert.Equal("*1\r\n+PONG\r\n", await Call(watcher, "EXEC"));

        // The watch names the logical database: after a swap, a write there (now on the other physical one) changes it.
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "q"));
        Assert.Equal("+OK\r\n", await Call(other, "SWAPDB", "8", "9"));
        Assert.Equal("+OK\r\n", await Call(other, "SELECT", "8"));
        Assert.Equal("+OK\r\n", await Call(other, "SET", "q", "1"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "GET", "q"));
        Assert.Equal("*-1\r\n", await Call(watcher, "EXEC"));
    }

    [Fact]
    public async Task Flushdb_dirties_a_watched_key_of_its_own_database_only()
    {
        using RawClient watcher = await RawClient.ConnectAsync(server.Port);
        using RawClient other = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await Call(watcher, "SELECT", "10"));
        Assert.Equal("+OK\r\n", await Call(watcher, "SET", "f", "1"));
        Assert.Equal("+OK\r\n", await Call(other, "SELECT", "11"));
        Assert.Equal("+OK\r\n", await Call(other, "SET", "f", "1"));

        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "f"));
        Assert.Equal("+OK\r\n", await Call(other, "FLUSHDB"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "GET", "f"));
        Assert.Equal("*1\r\n$1\r\n1\r\n", await Call(watcher, "EXEC"));

        // Swapped first, the flush of logical 11 empties the physical database the watched key now stands on.
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "f"));
        Assert.Equal("+OK\r\n", await Call(other, "SWAPDB", "10", "11"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "PING"));
        Assert.Equal("*-1\r\n", await Call(watcher, "EXEC"));

        Assert.Equal("+OK\r\n", await Call(watcher, "SELECT", "11"));
        Assert.Equal("+OK\r\n", await Call(watcher, "WATCH", "f"));
        Assert.Equal("+OK\r\n", await Call(other, "FLUSHDB"));
        Assert.Equal("+OK\r\n", await Call(watcher, "MULTI"));
        Assert.Equal("+QUEUED\r\n", await Call(watcher, "PING"));
        Assert.Equal("*-1\r\n", await Call(watcher, "EXEC"));
    }
}
