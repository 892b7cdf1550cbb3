using System.Text.RegularExpressions;
using Kiwi.Core;
using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>
/// SELECT, MOVE, SWAPDB, FLUSHDB per database, DBSIZE and INFO keyspace. The class has a server of its own
/// (SWAPDB and FLUSHALL touch every database) and each test starts with FLUSHALL.
/// </summary>
public sealed partial class DatabaseCommandTests(DatabaseCommandTests.Fixture server) : IClassFixture<DatabaseCommandTests.Fixture>
{
    /// <summary>The class's own server.</summary>
    public sealed class Fixture : ServerFixture;

    private IDatabase Db(int n) => server.Redis.GetDatabase(n);

    private IServer Server => server.Redis.GetServer("127.0.0.1", server.Port);

    private static string C(params string[] args) => RawClient.Command(args);

    private async Task<string> Call(params string[] args)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        return await client.CallAsync(C(args));
    }

    private void FlushAll() => Server.Execute("FLUSHALL");

    [Fact]
    public async Task Select_keeps_each_connection_in_its_own_database()
    {
        FlushAll();
        using RawClient a = await RawClient.ConnectAsync(server.Port);
        using RawClient b = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await a.CallAsync(C("SELECT", "3")));
        Assert.Equal("+OK\r\n", await a.CallAsync(C("SET", "k", "in3")));
        Assert.Equal("+OK\r\n", await b.CallAsync(C("SET", "k", "in0")));
        Assert.Equal("$3\r\nin3\r\n", await a.CallAsync(C("GET", "k")));
        Assert.Equal("$3\r\nin0\r\n", await b.CallAsync(C("GET", "k")));
        Assert.Equal(":1\r\n", await a.CallAsync(C("DBSIZE")));
        Assert.Equal("+OK\r\n", await b.CallAsync(C("SELECT", "15")));
        Assert.Equal("$-1\r\n", await b.CallAsync(C("GET", "k")));
        Assert.Equal("*0\r\n", await b.CallAsync(C("KEYS", "*")));
        Assert.Equal("*1\r\n$1\r\nk\r\n", await a.CallAsync(C("KEYS", "*")));
        Assert.Equal("$1\r\nk\r\n", await a.CallAsync(C("RANDOMKEY")));
        Assert.Equal("$-1\r\n", await b.CallAsync(C("RANDOMKEY")));
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", await a.CallAsync(C("SCAN", "0")));
        Assert.Equal("+string\r\n", await a.CallAsync(C("TYPE", "k")));
        Assert.Equal("+none\r\n", await b.CallAsync(C("TYPE", "k")));
        Assert.Equal("$6\r\nembstr\r\n", await a.CallAsync(C("OBJECT", "ENCODING", "k")));
        Assert.Equal("$-1\r\n", await b.CallAsync(C("OBJECT", "ENCODING", "k")));
        Assert.Equal("in3", (string?)Db(3).StringGet("k"));
        Assert.Equal("in0", (string?)Db(0).StringGet("k"));
    }

    [Theory]
    [InlineData("16", "-ERR DB index is out of range\r\n")]
    [InlineData("-1", "-ERR DB index is out of range\r\n")]
    [InlineData("x", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("1.5", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("99999999999", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")]
    public async Task Select_refuses_what_is_not_a_database(string index, string error)
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal(error, await client.CallAsync(C("SELECT", index)));
        Assert.Equal("-ERR wrong number of arguments for 'select' command\r\n", await client.CallAsync(C("SELECT")));
    }

    [Theory]
    [InlineData("MOVE", "k", "0", "-ERR source and destination objects are the same\r\n")]
    [InlineData("MOVE", "k", "16", "-ERR DB index is out of range\r\n")]
    [InlineData("MOVE", "k", "-1", "-ERR DB index is out of range\r\n")]
    [InlineData("MOVE", "k", "x", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("MOVE", "k", "99999999999", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")]
    [InlineData("SWAPDB", "0", "16", "-ERR DB index is out of range\r\n")]
    [InlineData("SWAPDB", "-1", "0", "-ERR DB index is out of range\r\n")]
    [InlineData("SWAPDB", "x", "0", "-ERR invalid first DB index\r\n")]
    [InlineData("SWAPDB", "0", "x", "-ERR invalid second DB index\r\n")]
    [InlineData("SWAPDB", "99999999999", "0", "-ERR invalid first DB index\r\n")]
    [InlineData("COPY", "k", "k2", "-ERR syntax error\r\n")]
    public async Task Move_swapdb_and_copy_refuse_bad_databases(string command, string first, string second, string error)
    {
        FlushAll();
        Db(0).StringSet("k", "v");
        string reply = command == "COPY"
            ? await Call(command, first, second, "DB")
            : await Call(command, first, second);
        Assert.Equal(error, reply);
        Assert.Equal("-ERR DB index is out of range\r\n", await Call("COPY", "k", "k2", "DB", "16"));
        Assert.Equal("-ERR source and destination objects are the same\r\n", await Call("COPY", "k", "k", "DB", "0"));
        Assert.Equal("v", (string?)Db(0).StringGet("k"));
    }

    [Fact]
    public async Task Swapdb_of_a_database_with_itself_is_ok_and_changes_nothing()
    {
        FlushAll();
        Db(2).StringSet("s", "two");
        Assert.Equal("+OK\r\n", await Call("SWAPDB", "2", "2"));
        Assert.Equal("two", (string?)Db(2).StringGet("s"));
    }

    [Fact]
    public async Task Move_takes_every_type_with_its_members_and_ttl()
    {
        FlushAll();
        IDatabase zero = Db(0);
        zero.StringSet("m:str", "v", TimeSpan.FromSeconds(100));
        zero.HashSet("m:hash", [new("f1", "1"), new("f2", "2")]);
        zero.SetAdd("m:set", ["a", "b", "c"]);
        zero.ListRightPush("m:list", ["x", "y"]);
        zero.SortedSetAdd("m:zset", [new("p", 1), new("q", 2)]);
        zero.KeyExpire("m:zset", TimeSpan.FromSeconds(200));
        foreach (string key in new[] { "m:str", "m:hash", "m:set", "m:list", "m:zset" })
        {
            Assert.Equal(":1\r\n", await Call("MOVE", key, "5"));
            Assert.False(zero.KeyExists(key));
        }

        IDatabase five = Db(5);
        Assert.Equal("v", (string?)five.StringGet("m:str"));
        Assert.InRange(five.KeyTimeToLive("m:str") ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
        Assert.Equal("2", (string?)five.HashGet("m:hash", "f2"));
        Assert.Equal(2, five.HashLength("m:hash"));
        Assert.Equal(["a", "b", "c"], five.SetMembers("m:set").Select(v => (string)v!).Order());
        Assert.Equal(["x", "y"], five.ListRange("m:list").Select(v => (string)v!));
        Assert.Equal(2, five.SortedSetScore("m:zset", "q"));
        Assert.InRange(five.KeyTimeToLive("m:zset") ?? TimeSpan.Zero, TimeSpan.FromSeconds(101), TimeSpan.FromSeconds(200));
        Assert.Null(five.KeyTimeToLive("m:hash"));
        Assert.Equal(5, (long)five.Execute("DBSIZE"));
        Assert.Equal(0, (long)zero.Execute("DBSIZE"));

        // Absent here, or present there: 0, nothing moves.
        Assert.Equal(":0\r\n", await Call("MOVE", "m:none", "5"));
        zero.StringSet("m:str", "other");
        Assert.Equal(":0\r\n", await Call("MOVE", "m:str", "5"));
        Assert.Equal("other", (string?)zero.StringGet("m:str"));
        Assert.Equal("v", (string?)five.StringGet("m:str"));
    }

    [Fact]
    public async Task Copy_db_option_writes_into_the_other_database()
    {
        FlushAll();
        Db(0).SetAdd("c:set", ["a", "b"]);
        Assert.Equal(":1\r\n", await Call("COPY", "c:set", "c:set", "DB", "7"));
        Assert.Equal(2, Db(7).SetLength("c:set"));
        Assert.Equal(":0\r\n", await Call("COPY", "c:set", "c:set", "DB", "7"));
        Assert.Equal(2, Db(0).SetLength("c:set"));
    }

    [Fact]
    public async Task Swapdb_swaps_the_contents_for_every_connection()
    {
        FlushAll();
        Db(0).StringSet("w", "zero");
        Db(0).StringSet("w0", "only0");
        Db(1).StringSet("w", "one");
        Db(1).ListRightPush("w:list", ["a", "b"]);
        using RawClient one = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await one.CallAsync(C("SELECT", "1")));
        Assert.Equal("+OK\r\n", await Call("SWAPDB", "0", "1"));
        Assert.Equal("one", (string?)Db(0).StringGet("w"));
        Assert.Equal(["a", "b"], Db(0).ListRange("w:list").Select(v => (string)v!));
        Assert.Equal("$4\r\nzero\r\n", await one.CallAsync(C("GET", "w")));
        Assert.Equal("$5\r\nonly0\r\n", await one.CallAsync(C("GET", "w0")));
        Assert.Equal(":2\r\n", await one.CallAsync(C("DBSIZE")));
        Assert.Equal(2, (long)Db(0).Execute("DBSIZE"));

        // Writes after the swap land in the database as it now is.
        Assert.Equal(":3\r\n", await one.CallAsync(C("RPUSH", "w:l1", "p", "q", "r")));
        Assert.Equal(3, Db(1).ListLength("w:l1"));
        Assert.False(Db(0).KeyExists("w:l1"));
        Assert.Equal("+OK\r\n", await Call("SWAPDB", "1", "0"));
        Assert.Equal("zero", (string?)Db(0).StringGet("w"));
        Assert.Equal(3, Db(0).ListLength("w:l1"));
    }

    [Fact]
    public async Task Swapdb_serves_a_client_blocked_on_a_key_the_other_database_has()
    {
        FlushAll();
        Db(1).ListRightPush("bl:k", ["x", "y"]);
        int before = BlockedClients();
        using RawClient blocked = await RawClient.ConnectAsync(server.Port);
        await blocked.SendAsync(C("BLPOP", "bl:k", "0"));
        Poll.Until(() => BlockedClients() > before, "the BLPOP never blocked");
        Assert.Equal("+OK\r\n", await Call("SWAPDB", "0", "1"));
        Assert.Equal("*2\r\n$4\r\nbl:k\r\n$1\r\nx\r\n", await blocked.ReadReplyAsync());
        Assert.Equal(["y"], Db(0).ListRange("bl:k").Select(v => (string)v!));
        Assert.False(Db(1).KeyExists("bl:k"));
    }

    [Fact]
    public async Task Flushdb_empties_only_the_selected_database()
    {
        FlushAll();
        Db(0).StringSet("f", "0");
        Db(4).StringSet("f", "4");
        Db(4).HashSet("f:h", "a", "1");
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync(C("SELECT", "4")));
        Assert.Equal("+OK\r\n", await client.CallAsync(C("FLUSHDB", "ASYNC")));
        Assert.Equal(":0\r\n", await client.CallAsync(C("DBSIZE")));
        Assert.False(Db(4).KeyExists("f:h"));
        Assert.Equal("0", (string?)Db(0).StringGet("f"));
        Db(4).StringSet("f", "again");
        Assert.Equal("+OK\r\n", await client.CallAsync(C("FLUSHDB", "SYNC")));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync(C("FLUSHDB", "NOW")));
        Assert.Equal(1, (long)Db(0).Execute("DBSIZE"));
        Assert.Equal("+OK\r\n", await client.CallAsync(C("FLUSHALL")));
        Assert.Equal(0, (long)Db(0).Execute("DBSIZE"));
    }

    /// <summary>
    /// Up to KeyWrites.FlushByKeysLimit keys a flush deletes key by key, past it by range: both empty the same,
    /// collections' members included, and FLUSHDB leaves the other databases.
    /// </summary>
    [Fact]
    public void Flushes_over_and_under_the_key_by_key_limit_empty_the_same()
    {
        foreach (int keys in new[] { 10, (int)Kiwi.Core.Commands.KeyWrites.FlushByKeysLimit + 200 })
        {
            FlushAll();
            IDatabase db3 = Db(3);
            db3.StringSet(Enumerable.Range(0, keys).Select(i => new KeyValuePair<RedisKey, RedisValue>("f:" + i, i)).ToArray());
            db3.HashSet("f:h", [new HashEntry("a", "1"), new HashEntry("b", "2")]);
            db3.SortedSetAdd("f:z", "m", 1);
            db3.StringSet("f:ttl", "v", TimeSpan.FromMinutes(5));
            Db(5).StringSet("other", "kept");
            Assert.Equal(keys + 3, (long)db3.Execute("DBSIZE"));

            Assert.Equal("OK", (string?)db3.Execute("FLUSHDB"));
            Assert.Equal(0, (long)db3.Execute("DBSIZE"));
            Assert.False(db3.KeyExists("f:0"));
            Assert.False(db3.KeyExists("f:ttl"));
            db3.HashSet("f:h", "c", "3");
            Assert.Equal(1, db3.HashLength("f:h")); // a new hash: the old fields are gone
            Assert.Equal(0, db3.SortedSetLength("f:z"));
            Assert.Equal("kept", (string?)Db(5).StringGet("other"));

            db3.StringSet(Enumerable.Range(0, keys).Select(i => new KeyValuePair<RedisKey, RedisValue>("g:" + i, i)).ToArray());
            Assert.Equal("OK", (string?)db3.Execute("FLUSHALL"));
            Assert.Equal(0, (long)db3.Execute("DBSIZE"));
            Assert.Equal(0, (long)Db(5).Execute("DBSIZE"));
            Assert.Equal(0, (long)Db(0).Execute("DBSIZE"));
            db3.StringSet("after", "1");
            Assert.Equal(1, (long)db3.Execute("DBSIZE"));
        }
    }

    [Fact]
    public void Dbsize_follows_writes_deletes_and_expiry()
    {
        FlushAll();
        IDatabase db = Db(6);
        Assert.Equal(0, (long)db.Execute("DBSIZE"));
        db.StringSet("d:1", "a");
        db.StringSet("d:1", "b");
        db.StringSet("d:2", "a");
        db.HashSet("d:h", "f", "v");
        db.SetAdd("d:s", "m");
        Assert.Equal(4, (long)db.Execute("DBSIZE"));
        db.KeyDelete("d:1");
        db.SetRemove("d:s", "m");
        Assert.Equal(2, (long)db.Execute("DBSIZE"));
        db.KeyRename("d:2", "d:3");
        Assert.Equal(2, (long)db.Execute("DBSIZE"));
        db.StringSet("d:t", "v", TimeSpan.FromMilliseconds(1));
        Poll.Until(() => (long)db.Execute("DBSIZE") == 2, "the expiry cycle never removed the expired key from DBSIZE");
        Assert.Equal(0, (long)Db(0).Execute("DBSIZE"));
    }

    [Fact]
    public async Task Dbsize_and_the_swap_survive_a_restart()
    {
        using TestServer own = TestServer.Start();
        using (RawClient client = await RawClient.ConnectAsync(own.Port))
        {
            Assert.Equal("+OK\r\n", await client.CallAsync(C("SELECT", "3")));
            Assert.Equal("+OK\r\n", await client.CallAsync(C("MSET", "r:a", "1", "r:b", "2")));
            Assert.Equal(":1\r\n", await client.CallAsync(C("ZADD", "r:z", "1", "m")));
            Assert.Equal("+OK\r\n", await client.CallAsync(C("SWAPDB", "3", "4")));
            await client.SendAsync(C("SHUTDOWN", "NOSAVE"));
            await client.ReadUntilClosedAsync();
        }

        await own.Run.WaitAsync(Poll.Deadline);
        KiwiDb db = own.ReopenDb();
        Assert.Equal(3, db.GetDatabase(4).DbSize());
        Assert.Equal(0, db.GetDatabase(3).DbSize());
        Assert.Equal("2", db.GetDatabase(4).GetString("r:b"));
    }

    [Fact]
    public void Info_keyspace_has_a_line_per_database_with_keys()
    {
        FlushAll();
        Db(0).StringSet("i:a", "1");
        Db(0).StringSet("i:b", "1", TimeSpan.FromSeconds(100));
        Db(9).SetAdd("i:s", "m");
        string info = Server.InfoRaw("keyspace") ?? string.Empty;
        Assert.Equal(["db0:keys=2,expires=1,avg_ttl=0", "db9:keys=1,expires=0,avg_ttl=0"], KeyspaceLine().Matches(info).Select(m => m.Value));
        Db(0).KeyPersist("i:b");
        Assert.Contains("db0:keys=2,expires=0,avg_ttl=0", Server.InfoRaw("keyspace") ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_get_databases_says_16()
        => Assert.Equal("16", Server.ConfigGet("databases").Single().Value);

    [Fact]
    public async Task The_databases_setting_bounds_select_and_is_checked_at_start()
    {
        Assert.Equal(4, ServerConfig.Parse(["--databases", "4"]).Databases);
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--databases", "0"]));
        Assert.Throws<FormatException>(() => ServerConfig.Parse(["--databases", "65537"]));
        using TestServer own = TestServer.Start(static c => c.Databases = 4);
        using RawClient client = await RawClient.ConnectAsync(own.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync(C("SELECT", "3")));
        Assert.Equal("-ERR DB index is out of range\r\n", await client.CallAsync(C("SELECT", "4")));
        Assert.Equal("-ERR DB index is out of range\r\n", await client.CallAsync(C("SWAPDB", "0", "4")));
        Assert.Equal("*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n", await client.CallAsync(C("CONFIG", "GET", "databases")));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n", await client.CallAsync(C("CONFIG", "SET", "databases", "8")));
    }

    private int BlockedClients()
        => int.Parse(BlockedLine().Match(Server.InfoRaw("clients") ?? string.Empty).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"blocked_clients:(\d+)")]
    private static partial Regex BlockedLine();

    [GeneratedRegex(@"db\d+:[^\r\n]*")]
    private static partial Regex KeyspaceLine();
}
