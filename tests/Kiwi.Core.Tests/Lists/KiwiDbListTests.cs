namespace Kiwi.Core.Tests.Lists;

/// <summary>The embedded list API (<see cref="KiwiLists"/>) over real RocksDB.</summary>
public sealed class KiwiDbListTests : KiwiDbTestBase
{
    private List<string> All(string key)
    {
        var all = new List<string>();
        Db.Lists.ForEach(B(key), 0, -1, e => all.Add(System.Text.Encoding.UTF8.GetString(e)));
        return all;
    }

    [Fact]
    public async Task Push_pop_length_index_and_range()
    {
        Assert.Equal(1, await Db.Lists.PushRightAsync(B("k"), B("b")));
        Assert.Equal(2, await Db.Lists.PushLeftAsync(B("k"), B("a")));
        Assert.Equal(4, await Db.Lists.PushRightAsync(B("k"), [B("c"), B("d")]));
        Assert.Equal(4, Db.Lists.Length(B("k")));
        using (KiwiValue last = Db.Lists.Get(B("k"), -1))
        {
            Assert.Equal("d", last.ToString());
        }

        Assert.True(Db.Lists.Get(B("k"), 4).IsNull);
        Assert.Equal(["a", "b", "c", "d"], All("k"));
        Assert.Equal("a", await Text(Db.Lists.PopLeftAsync(B("k"))));
        Assert.Equal("d", await Text(Db.Lists.PopRightAsync(B("k"))));
        await Db.Lists.SetAsync(B("k"), 0, B("B"));
        Assert.Equal(3, await Db.Lists.InsertAsync(B("k"), after: true, B("B"), B("x")));
        Assert.Equal(1, await Db.Lists.RemoveAsync(B("k"), 0, B("x")));
        Assert.Equal("c", await Text(Db.Lists.MoveAsync(B("k"), B("k2"), fromRight: true, toRight: false)));
        await Db.Lists.TrimAsync(B("k"), 1, 0);
        Assert.Equal(0, Db.Lists.Length(B("k")));
        Assert.Equal(["c"], All("k2"));
        Assert.Null(await Text(Db.Lists.PopLeftAsync(B("k"))));
    }

    [Fact]
    public async Task Errors_have_redis_text()
    {
        await Db.SetAsync(B("s"), B("v"));
        Assert.StartsWith("WRONGTYPE", await ErrorOf(async () => await Db.Lists.PushLeftAsync(B("s"), B("a"))));
        Assert.StartsWith("WRONGTYPE", Assert.Throws<KiwiException>(() => Db.Lists.Length(B("s"))).Message);
        Assert.Equal("ERR no such key", await ErrorOf(async () => await Db.Lists.SetAsync(B("none"), 0, B("a"))));
        await Db.Lists.PushLeftAsync(B("k"), B("a"));
        Assert.Equal("ERR index out of range", await ErrorOf(async () => await Db.Lists.SetAsync(B("k"), 1, B("a"))));
        Assert.Equal("ERR wrong number of arguments for 'rpush' command", await ErrorOf(async () => await Db.Lists.PushRightAsync(B("k"), ReadOnlySpan<ReadOnlyMemory<byte>>.Empty)));
    }

    [Fact]
    public async Task Lists_survive_a_restart_and_middle_edits_keep_indexes_dense()
    {
        for (int i = 0; i < 200; i++)
        {
            await Db.Lists.PushRightAsync(B("big"), B(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(201, await Db.Lists.InsertAsync(B("big"), after: false, B("10"), B("before-10")));
        Assert.Equal(202, await Db.Lists.InsertAsync(B("big"), after: true, B("190"), B("after-190")));
        Assert.Equal(2, await Db.Lists.RemoveAsync(B("big"), 0, B("5")) + await Db.Lists.RemoveAsync(B("big"), -1, B("150")));
        Reopen();
        List<string> all = All("big");
        Assert.Equal(200, all.Count);
        Assert.Equal(200, Db.Lists.Length(B("big")));
        for (int i = 0; i < all.Count; i++)
        {
            using KiwiValue at = Db.Lists.Get(B("big"), i);
            Assert.Equal(all[i], at.ToString());
        }

        Assert.Equal("before-10", all[9]);
        Assert.DoesNotContain("5", all);
        Assert.DoesNotContain("150", all);
    }
}
