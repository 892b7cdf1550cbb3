using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>Hash commands through StackExchange.Redis and raw RESP.</summary>
public sealed class HashCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    [Fact]
    public async Task Set_get_delete_and_count()
    {
        Assert.True(await Db.HashSetAsync("h:a", "f1", "v1"));
        Assert.False(await Db.HashSetAsync("h:a", "f1", "v2"));
        await Db.HashSetAsync("h:a", [new("f2", "x"), new("f3", ""), new("f2", "y")]);
        Assert.Equal("v2", (string?)await Db.HashGetAsync("h:a", "f1"));
        Assert.Equal("y", (string?)await Db.HashGetAsync("h:a", "f2"));
        Assert.Equal("", (string?)await Db.HashGetAsync("h:a", "f3"));
        Assert.True((await Db.HashGetAsync("h:a", "none")).IsNull);
        Assert.Equal(3, await Db.HashLengthAsync("h:a"));
        Assert.Equal(RedisType.Hash, await Db.KeyTypeAsync("h:a"));
        Assert.True(await Db.HashExistsAsync("h:a", "f3"));
        Assert.Equal(1, await Db.HashStringLengthAsync("h:a", "f2"));
        RedisValue[] many = await Db.HashGetAsync("h:a", ["f1", "none", "f2"]);
        Assert.Equal(["v2", null, "y"], many.Select(v => (string?)v));
        Assert.Equal(2, await Db.HashDeleteAsync("h:a", ["f1", "f1", "f2", "none"]));
        Assert.Equal(1, await Db.HashLengthAsync("h:a"));
        Assert.True(await Db.HashDeleteAsync("h:a", "f3"));
        Assert.False(await Db.KeyExistsAsync("h:a"));
        Assert.Equal(0, await Db.HashLengthAsync("h:a"));
    }

    [Fact]
    public async Task GetAll_keys_values_and_scan_see_every_field()
    {
        var fields = Enumerable.Range(0, 2500).Select(i => new HashEntry($"f{i}", $"v{i}")).ToArray();
        await Db.HashSetAsync("h:big", fields);
        Assert.Equal(2500, await Db.HashLengthAsync("h:big"));
        HashEntry[] all = await Db.HashGetAllAsync("h:big");
        Assert.Equal(fields.OrderBy(f => (string?)f.Name).Select(f => $"{f.Name}={f.Value}"), all.OrderBy(f => (string?)f.Name).Select(f => $"{f.Name}={f.Value}"));
        Assert.Equal(2500, (await Db.HashKeysAsync("h:big")).Length);
        Assert.Equal(2500, (await Db.HashValuesAsync("h:big")).Length);
        HashEntry[] scanned = Db.HashScan("h:big", pageSize: 100).ToArray();
        Assert.Equal(2500, scanned.Select(f => (string?)f.Name).Distinct().Count());
        Assert.Equal(1111, Db.HashScan("h:big", "f1*", pageSize: 7).Count());
    }

    [Fact]
    public async Task A_hundred_thousand_fields_or_members_in_one_command_are_written_counted_and_read_back()
    {
        const int N = 100_000;
        HashEntry[] fields = [.. Enumerable.Range(0, N).Select(i => new HashEntry($"field:{i}", $"value:{i}"))];
        await Db.HashSetAsync("h:huge", fields);
        Assert.Equal(N, await Db.HashLengthAsync("h:huge"));
        HashEntry[] all = await Db.HashGetAllAsync("h:huge");
        Assert.Equal(N, all.Length);
        Assert.Equal(N, all.Select(f => (string?)f.Name).Distinct().Count());
        Assert.All(all, f => Assert.Equal(((string)f.Name!).Replace("field", "value", StringComparison.Ordinal), (string?)f.Value));

        RedisValue[] members = [.. Enumerable.Range(0, N).Select(i => (RedisValue)i)];
        Assert.Equal(N, await Db.SetAddAsync("s:huge", members));
        Assert.Equal(N, await Db.SetLengthAsync("s:huge"));
        Assert.Equal(N, (await Db.SetMembersAsync("s:huge")).Distinct().Count());
        Assert.Equal(N, await Db.HashDeleteAsync("h:huge", [.. fields.Select(f => f.Name)]));
        Assert.False(await Db.KeyExistsAsync("h:huge"));
        Assert.True(await Db.KeyDeleteAsync("s:huge"));
        Assert.Equal(0, await Db.SetLengthAsync("s:huge"));
    }

    [Fact]
    public async Task Object_encoding_follows_redis_7_0_conversions()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        string longText = new('x', 65);
        Assert.Equal(":1\r\n", await client.CallAsync("HSET enc:h a 1\r\n"));
        Assert.Equal("$8\r\nlistpack\r\n", await client.CallAsync("OBJECT ENCODING enc:h\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync($"HSET enc:h a {longText}\r\n"));
        Assert.Equal("$9\r\nhashtable\r\n", await client.CallAsync("OBJECT ENCODING enc:h\r\n"));
        Assert.Equal(":0\r\n", await client.CallAsync("HSET enc:h a 1\r\n"));
        Assert.Equal("$9\r\nhashtable\r\n", await client.CallAsync("OBJECT ENCODING enc:h\r\n"));
        Assert.Equal("$3\r\n1.5\r\n", await client.CallAsync("HINCRBYFLOAT enc:h2 f 1.5\r\n"));
        Assert.Equal("$8\r\nlistpack\r\n", await client.CallAsync("OBJECT ENCODING enc:h2\r\n"));
        await Db.HashSetAsync("enc:h3", [.. Enumerable.Range(0, 129).Select(i => new HashEntry(i, i))]);
        Assert.Equal("hashtable", (string?)await Db.ExecuteAsync("OBJECT", "ENCODING", "enc:h3"));

        Assert.Equal(":3\r\n", await client.CallAsync("SADD enc:s 1 2 3\r\n"));
        Assert.Equal("$6\r\nintset\r\n", await client.CallAsync("OBJECT ENCODING enc:s\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SADD enc:s a\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SREM enc:s a\r\n"));
        Assert.Equal("$9\r\nhashtable\r\n", await client.CallAsync("OBJECT ENCODING enc:s\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SADD enc:s2 a\r\n"));
        Assert.Equal("$9\r\nhashtable\r\n", await client.CallAsync("OBJECT ENCODING enc:s2\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SADD enc:s3 7\r\n"));
        Assert.Equal(":1\r\n", await client.CallAsync("SINTERSTORE enc:s4 enc:s3\r\n"));
        Assert.Equal("$6\r\nintset\r\n", await client.CallAsync("OBJECT ENCODING enc:s4\r\n"));
        await Db.SetAddAsync("enc:s5", [.. Enumerable.Range(0, 513).Select(i => (RedisValue)i)]);
        Assert.Equal("hashtable", (string?)await Db.ExecuteAsync("OBJECT", "ENCODING", "enc:s5"));
        Assert.True(await Db.KeyRenameAsync("enc:s4", "enc:s6"));
        Assert.Equal("intset", (string?)await Db.ExecuteAsync("OBJECT", "ENCODING", "enc:s6"));
    }

    [Fact]
    public async Task Increments_follow_redis()
    {
        Assert.Equal(5, await Db.HashIncrementAsync("h:n", "i", 5));
        Assert.Equal(2, await Db.HashIncrementAsync("h:n", "i", -3));
        Assert.Equal(2.5, await Db.HashIncrementAsync("h:n", "d", 2.5));
        Assert.Equal(3.6, await Db.HashIncrementAsync("h:n", "d", 1.1), 10);
        await Db.HashSetAsync("h:n", "s", "abc");
        await Db.HashSetAsync("h:n", "max", long.MaxValue);
        Assert.Equal("ERR hash value is not an integer", (await Assert.ThrowsAsync<RedisServerException>(() => Db.HashIncrementAsync("h:n", "s", 1))).Message);
        Assert.Equal("ERR hash value is not a float", (await Assert.ThrowsAsync<RedisServerException>(() => Db.HashIncrementAsync("h:n", "s", 1.5))).Message);
        Assert.Equal("ERR increment or decrement would overflow", (await Assert.ThrowsAsync<RedisServerException>(() => Db.HashIncrementAsync("h:n", "max", 1))).Message);
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await Db.HashGetAsync("h:n", "max"));
    }

    [Fact]
    public async Task Wrong_types_arity_and_bad_numbers_get_redis_errors()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET h:str v\r\n"));
        const string wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        Assert.Equal(wrongType, await client.CallAsync("HSET h:str f v\r\n"));
        Assert.Equal(wrongType, await client.CallAsync("HGET h:str f\r\n"));
        Assert.Equal(wrongType, await client.CallAsync("HGETALL h:str\r\n"));
        Assert.Equal(wrongType, await client.CallAsync("HLEN h:str\r\n"));
        Assert.Equal("+OK\r\n", await client.CallAsync("HMSET h:h f v\r\n"));
        Assert.Equal(wrongType, await client.CallAsync("GET h:h\r\n"));
        Assert.Equal(wrongType, await client.CallAsync("APPEND h:h x\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", await client.CallAsync("HSET h:h f v g\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", await client.CallAsync("HSET h:h f\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'hget' command\r\n", await client.CallAsync("HGET h:h\r\n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", await client.CallAsync("HINCRBY h:h f 1.5\r\n"));
        Assert.Equal("-ERR value is not a valid float\r\n", await client.CallAsync("HINCRBYFLOAT h:h f abc\r\n"));
        Assert.Equal("-ERR value is NaN or Infinity\r\n", await client.CallAsync("HINCRBYFLOAT h:h f inf\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("HRANDFIELD h:h 1 x\r\n"));
        Assert.Equal("-ERR invalid cursor\r\n", await client.CallAsync("HSCAN h:h x\r\n"));
        Assert.Equal("-ERR syntax error\r\n", await client.CallAsync("HSCAN h:h 0 COUNT 0\r\n"));
        Assert.Equal("$-1\r\n", await client.CallAsync("HRANDFIELD h:none\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("HRANDFIELD h:none 3\r\n"));
        Assert.Equal("*0\r\n", await client.CallAsync("HRANDFIELD h:h 0\r\n"));
        Assert.Equal("*6\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n", await client.CallAsync("HRANDFIELD h:h -3 WITHVALUES\r\n"));
        Assert.Equal("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", await client.CallAsync("HRANDFIELD h:h 5 WITHVALUES\r\n"));

        // The server keeps serving, and the replies of pipelined writes stay in order (one reply per command).
        await client.SendAsync("MSETNX h:m1 a h:m2 b\r\nHSET h:h g w\r\nPING\r\n");
        Assert.Equal(":1\r\n", await client.ReadReplyAsync());
        Assert.Equal(":1\r\n", await client.ReadReplyAsync());
        Assert.Equal("+PONG\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Resp3_replies_hashes_as_maps()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await client.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal(":2\r\n", await client.CallAsync("HSET h:r3 a 1 b 2\r\n"));
        Assert.Equal("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", await client.CallAsync("HGETALL h:r3\r\n"));
        Assert.Equal("%0\r\n", await client.CallAsync("HGETALL h:none\r\n"));
        Assert.Equal("_\r\n", await client.CallAsync("HGET h:r3 zz\r\n"));
        Assert.Equal("$3\r\n3.5\r\n", await client.CallAsync("HINCRBYFLOAT h:r3 a 2.5\r\n"));
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n$3\r\n3.5\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", Sorted(await client.CallAsync("HRANDFIELD h:r3 2 WITHVALUES\r\n")));
    }

    [Fact]
    public async Task Delete_rename_copy_and_expire_treat_the_hash_as_one_value()
    {
        await Db.HashSetAsync("h:src", [new("a", "1"), new("b", "2")]);
        Assert.True(await Db.KeyRenameAsync("h:src", "h:dst"));
        Assert.Equal(0, await Db.HashLengthAsync("h:src"));
        Assert.Equal("2", (string?)await Db.HashGetAsync("h:dst", "b"));
        Assert.True(await Db.KeyCopyAsync("h:dst", "h:copy"));
        Assert.True(await Db.HashSetAsync("h:copy", "c", "3"));
        Assert.Equal(2, await Db.HashLengthAsync("h:dst"));
        Assert.Equal(3, (await Db.HashGetAllAsync("h:copy")).Length);

        // A deleted hash leaves nothing behind: a new one under the same key starts empty.
        Assert.True(await Db.KeyDeleteAsync("h:copy"));
        Assert.True(await Db.HashSetAsync("h:copy", "z", "9"));
        Assert.Equal(["z"], (await Db.HashKeysAsync("h:copy")).Select(v => (string?)v));

        // Overwritten by a string (SET replaces any type), then a hash again: the old fields stay gone.
        await Db.StringSetAsync("h:copy", "s");
        Assert.Equal("s", (string?)await Db.StringGetAsync("h:copy"));
        Assert.True(await Db.KeyDeleteAsync("h:copy"));
        Assert.True(await Db.HashSetAsync("h:copy", "y", "8"));
        Assert.Equal(["y"], (await Db.HashKeysAsync("h:copy")).Select(v => (string?)v));

        Assert.True(await Db.KeyExpireAsync("h:dst", TimeSpan.FromMilliseconds(1)));
        await Poll.UntilAsync(async () => !await Db.KeyExistsAsync("h:dst"), "the hash did not expire");
        Assert.True((await Db.HashGetAsync("h:dst", "a")).IsNull);
        Assert.True(await Db.HashSetAsync("h:dst", "a", "new"));
        Assert.Equal(1, await Db.HashLengthAsync("h:dst"));
    }

    // HRANDFIELD's order is random: sort its two pairs for the comparison.
    private static string Sorted(string reply)
    {
        const string a = "*2\r\n$1\r\na\r\n$3\r\n3.5\r\n";
        const string b = "*2\r\n$1\r\nb\r\n$1\r\n2\r\n";
        Assert.True(reply == "*2\r\n" + a + b || reply == "*2\r\n" + b + a, reply);
        return "*2\r\n" + a + b;
    }
}
