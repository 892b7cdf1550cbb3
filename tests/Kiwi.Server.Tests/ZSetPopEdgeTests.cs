using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>
/// Pops start past the entries earlier pops removed (the writer's seek bounds); whatever is written after them,
/// below, above or in between, the next pop still takes the true lowest or highest member.
/// </summary>
public sealed class ZSetPopEdgeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    private void Fill(string key, int count)
    {
        var entries = new SortedSetEntry[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = new SortedSetEntry($"m{i:D4}", i);
        }

        Db.SortedSetAdd(key, entries);
    }

    [Fact]
    public void A_member_added_below_what_was_popped_is_the_next_min()
    {
        Fill("zedge:min", 100);
        Assert.Equal(["m0000", "m0001", "m0002", "m0003", "m0004", "m0005", "m0006", "m0007", "m0008", "m0009"],
            Members(Db.SortedSetPop("zedge:min", 10, Order.Ascending)));
        Assert.Equal("m0010", (string?)Db.SortedSetPop("zedge:min")!.Value.Element);
        Db.SortedSetAdd("zedge:min", "back", 5);
        Db.SortedSetAdd("zedge:min", "low", -1);
        Assert.Equal(["low", "back", "m0011"], Members(Db.SortedSetPop("zedge:min", 3, Order.Ascending)));

        // A member re-scored below the popped range, and one re-added with a popped member's exact score.
        Db.SortedSetIncrement("zedge:min", "m0050", -100);
        Db.SortedSetAdd("zedge:min", "m0000", 0);
        Assert.Equal(["m0050", "m0000", "m0012"], Members(Db.SortedSetPop("zedge:min", 3, Order.Ascending)));
        Assert.Equal(86, Db.SortedSetLength("zedge:min"));
        Assert.Equal("m0013", (string?)Db.SortedSetRangeByRank("zedge:min", 0, 0)[0]);
    }

    [Fact]
    public void A_member_added_above_what_was_popped_is_the_next_max()
    {
        Fill("zedge:max", 100);
        Assert.Equal(["m0099", "m0098", "m0097"], Members(Db.SortedSetPop("zedge:max", 3, Order.Descending)));
        Db.SortedSetAdd("zedge:max", "m0098", 98);
        Db.SortedSetAdd("zedge:max", "top", 1000);
        Assert.Equal(["top", "m0098", "m0096"], Members(Db.SortedSetPop("zedge:max", 3, Order.Descending)));
        Db.SortedSetAdd("zedge:max", "again", 1000);
        RedisResult popped = Db.Execute("ZMPOP", "1", "zedge:max", "MAX", "COUNT", "2");
        Assert.Equal("again", (string?)popped[1][0][0]);
        Assert.Equal("m0095", (string?)popped[1][1][0]);
        Assert.Equal(95, Db.SortedSetLength("zedge:max"));
    }

    [Fact]
    public void A_set_deleted_and_made_again_pops_from_its_own_start()
    {
        Fill("zedge:again", 20);
        Db.SortedSetPop("zedge:again", 15, Order.Ascending);
        Db.KeyDelete("zedge:again");
        Fill("zedge:again", 3);
        Assert.Equal(["m0000", "m0001", "m0002"], Members(Db.SortedSetPop("zedge:again", 5, Order.Ascending)));
        Assert.False(Db.KeyExists("zedge:again"));
    }

    [Fact]
    public async Task Pops_and_adds_from_many_clients_leave_the_set_redis_would()
    {
        Fill("zedge:queue", 200);
        var pops = new Task<SortedSetEntry[]>[20];
        var adds = new Task<bool>[20];
        for (int i = 0; i < pops.Length; i++)
        {
            pops[i] = Db.SortedSetPopAsync("zedge:queue", 5, Order.Ascending);
            adds[i] = Db.SortedSetAddAsync("zedge:queue", $"late{i:D2}", 1000 + i);
        }

        var popped = new HashSet<string>();
        foreach (Task<SortedSetEntry[]> pop in pops)
        {
            foreach (SortedSetEntry entry in await pop)
            {
                Assert.True(popped.Add(entry.Element!), $"{entry.Element} popped twice");
            }
        }

        await Task.WhenAll(adds);
        Assert.Equal(100, popped.Count);
        Assert.Equal(120, Db.SortedSetLength("zedge:queue"));
        Assert.Equal("m0100", (string?)Db.SortedSetRangeByRank("zedge:queue", 0, 0)[0]);
        Assert.Equal("late19", (string?)Db.SortedSetPop("zedge:queue", Order.Descending)!.Value.Element);
    }

    private static string[] Members(SortedSetEntry[] entries)
    {
        string[] members = new string[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            members[i] = entries[i].Element!;
        }

        return members;
    }
}
