using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Storage;

public sealed class WriteSetTests
{
    [Fact]
    public void Find_ReturnsTheLatestWriteOfAKeyInItsSpace()
    {
        using var writes = new WriteSet();
        Assert.Equal(WriteSet.Lookup.NotInBatch, writes.Find(KeySpace.Meta, "a"u8, out _));
        writes.Put(KeySpace.Meta, "a"u8, "1"u8);
        writes.Put(KeySpace.Meta, "a"u8, "2"u8);
        writes.Put(KeySpace.Hash, "a"u8, "h"u8);

        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "a"u8, out ReadOnlySpan<byte> value));
        Assert.Equal("2"u8.ToArray(), value.ToArray());
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Hash, "a"u8, out value));
        Assert.Equal("h"u8.ToArray(), value.ToArray());

        writes.Delete(KeySpace.Meta, "a"u8);
        Assert.Equal(WriteSet.Lookup.Deleted, writes.Find(KeySpace.Meta, "a"u8, out _));
        Assert.Equal(4, writes.Count);
    }

    [Fact]
    public void CollectPuts_finds_the_latest_puts_under_a_prefix_of_its_space_only_in_key_order()
    {
        using var writes = new WriteSet();
        var found = new List<int>();
        writes.Put(KeySpace.ZSet, "z|c"u8, "1"u8);
        writes.Put(KeySpace.Set, "z|a"u8, "s"u8);
        writes.Put(KeySpace.ZSet, "z|a"u8, "2"u8);
        writes.Delete(KeySpace.ZSet, "z|c"u8);
        writes.Put(KeySpace.ZSet, "y|b"u8, "3"u8);
        writes.Put(KeySpace.ZSet, "z|b"u8, "4"u8);
        writes.CollectPuts(KeySpace.ZSet, "z|"u8, found);
        Assert.Equal(["z|a", "z|b"], Keys(writes, found));

        // A rollback takes its puts out of the chain; puts after it are found again.
        int mark = writes.Mark;
        writes.Put(KeySpace.ZSet, "z|d"u8, "5"u8);
        writes.Rollback(mark);
        writes.CollectPuts(KeySpace.ZSet, "z|"u8, found);
        Assert.Equal(["z|a", "z|b"], Keys(writes, found));
        writes.Put(KeySpace.ZSet, "z|0"u8, "6"u8);
        writes.CollectPuts(KeySpace.ZSet, "z|"u8, found);
        Assert.Equal(["z|0", "z|a", "z|b"], Keys(writes, found));

        writes.Clear();
        writes.CollectPuts(KeySpace.ZSet, "z|"u8, found);
        Assert.Empty(found);
        writes.Put(KeySpace.ZSet, "z|e"u8, "7"u8);
        writes.CollectPuts(KeySpace.ZSet, "z|"u8, found);
        Assert.Equal(["z|e"], Keys(writes, found));
    }

    private static List<string> Keys(WriteSet writes, List<int> ops)
    {
        var keys = new List<string>();
        foreach (int op in ops)
        {
            keys.Add(System.Text.Encoding.ASCII.GetString(writes.KeyOf(op)));
        }

        return keys;
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.Meta, "a"u8, "1"u8);
        writes.Clear();
        Assert.Equal(0, writes.Count);
        Assert.Equal(WriteSet.Lookup.NotInBatch, writes.Find(KeySpace.Meta, "a"u8, out _));
    }

    [Fact]
    public void ManyKeys_SurviveRehashing()
    {
        using var writes = new WriteSet();
        for (int i = 0; i < 5000; i++)
        {
            writes.Put(KeySpace.Meta, BitConverter.GetBytes(i), BitConverter.GetBytes(i * 2));
        }

        for (int i = 0; i < 5000; i++)
        {
            Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, BitConverter.GetBytes(i), out ReadOnlySpan<byte> value));
            Assert.Equal(i * 2, BitConverter.ToInt32(value));
        }
    }

    [Fact]
    public void Rollback_RestoresThePreviousStateOfEveryKey()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.Meta, "a"u8, "1"u8);
        int mark = writes.Mark;
        writes.Put(KeySpace.Meta, "a"u8, "2"u8);
        writes.Put(KeySpace.Meta, "b"u8, "3"u8);
        writes.Delete(KeySpace.Meta, "a"u8);

        writes.Rollback(mark);

        Assert.Equal(1, writes.Count);
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "a"u8, out ReadOnlySpan<byte> value));
        Assert.Equal("1"u8.ToArray(), value.ToArray());
        Assert.Equal(WriteSet.Lookup.NotInBatch, writes.Find(KeySpace.Meta, "b"u8, out _));

        // New writes after a rollback are found too.
        writes.Put(KeySpace.Meta, "c"u8, "4"u8);
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "c"u8, out value));
        Assert.Equal("4"u8.ToArray(), value.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writes.Rollback(10));
    }

    [Fact]
    public void ForEach_VisitsOperationsInOrder()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.Meta, "a"u8, "1"u8);
        writes.Delete(KeySpace.Expire, "b"u8);
        writes.Put(KeySpace.Raft, "c"u8, default);
        var visitor = new Recorder(new List<string>());
        writes.ForEach(ref visitor);
        Assert.Equal(["put Meta a=1", "del Expire b", "put Raft c="], visitor.Log);
    }

    [Fact]
    public void ForEach_skips_a_point_write_that_a_later_point_write_of_the_same_key_replaces()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.Meta, "m"u8, "1"u8);
        writes.Put(KeySpace.ZSet, "m"u8, "z"u8);
        writes.Put(KeySpace.Meta, "m"u8, "2"u8);
        writes.Delete(KeySpace.Meta, "d"u8);
        writes.DeleteRange(KeySpace.Meta, "a"u8, "n"u8);
        writes.Put(KeySpace.Meta, "d"u8, "3"u8);
        writes.Put(KeySpace.Meta, "m"u8, "4"u8);

        var visitor = new Recorder(new List<string>());
        writes.ForEach(ref visitor);
        Assert.Equal(["put ZSet m=z", "range Meta a..n", "put Meta d=3", "put Meta m=4"], visitor.Log);

        // Rolling the later writes back brings the writes they replaced back.
        writes.Rollback(5);
        visitor.Log.Clear();
        writes.ForEach(ref visitor);
        Assert.Equal(["put ZSet m=z", "put Meta m=2", "del Meta d", "range Meta a..n"], visitor.Log);
        Assert.Equal(7 - 2, writes.Count);
    }

    [Fact]
    public void ForEachInKeyOrder_sorts_the_last_writes_by_space_and_key_unless_a_range_delete_orders_them()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.ZSet, "b"u8, "1"u8);
        writes.Put(KeySpace.Meta, "z"u8, "2"u8);
        writes.Delete(KeySpace.ZSet, "a"u8);
        writes.Put(KeySpace.Meta, "z"u8, "3"u8);
        writes.Put(KeySpace.Meta, "c"u8, "4"u8);

        var visitor = new Recorder(new List<string>());
        writes.ForEachInKeyOrder(ref visitor);
        Assert.Equal(["put Meta c=4", "put Meta z=3", "del ZSet a", "put ZSet b=1"], visitor.Log);

        writes.DeleteRange(KeySpace.Meta, "a"u8, "b"u8);
        writes.Put(KeySpace.Meta, "a"u8, "5"u8);
        visitor.Log.Clear();
        writes.ForEachInKeyOrder(ref visitor);
        Assert.Equal(["put ZSet b=1", "del ZSet a", "put Meta z=3", "put Meta c=4", "range Meta a..b", "put Meta a=5"], visitor.Log);
    }

    [Theory]
    [InlineData(0)] // each space written in key order
    [InlineData(1)] // each in reverse (pops from a list's tail)
    [InlineData(2)] // shuffled
    [InlineData(3)] // in order but for the last two
    public void ForEachInKeyOrder_gives_the_sorted_order_whatever_order_each_space_was_written_in(int shape)
    {
        using var writes = new WriteSet();
        var expected = new List<string>();
        var random = new Random(shape);
        foreach (KeySpace space in new[] { KeySpace.List, KeySpace.Meta, KeySpace.ZSet })
        {
            var keys = new List<string>();
            for (int i = 0; i < 50; i++)
            {
                keys.Add("k" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }

            expected.AddRange(keys.Select(k => $"del {space} {k}"));
            if (shape == 1)
            {
                keys.Reverse();
            }
            else if (shape == 2)
            {
                keys = keys.OrderBy(_ => random.Next()).ToList();
            }
            else if (shape == 3)
            {
                (keys[^1], keys[^2]) = (keys[^2], keys[^1]);
            }

            foreach (string key in keys)
            {
                writes.Delete(space, System.Text.Encoding.ASCII.GetBytes(key));
            }
        }

        // Spaces in KeySpace order (Meta, ZSet, List), each in key order.
        expected = [.. expected.Skip(50).Take(50), .. expected.Skip(100), .. expected.Take(50)];
        var visitor = new Recorder(new List<string>());
        writes.ForEachInKeyOrder(ref visitor);
        Assert.Equal(expected, visitor.Log);
    }

    [Fact]
    public void DeleteRange_HidesCoveredKeysWrittenBeforeIt_ButNotAfter()
    {
        using var writes = new WriteSet();
        writes.Put(KeySpace.Meta, "b"u8, "1"u8);
        writes.Put(KeySpace.Meta, "z"u8, "2"u8);
        writes.DeleteRange(KeySpace.Meta, "a"u8, "c"u8);
        Assert.Equal(WriteSet.Lookup.Deleted, writes.Find(KeySpace.Meta, "b"u8, out _));
        Assert.Equal(WriteSet.Lookup.Deleted, writes.Find(KeySpace.Meta, "bb"u8, out _));
        Assert.Equal(WriteSet.Lookup.NotInBatch, writes.Find(KeySpace.Meta, "c"u8, out _));
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "z"u8, out _));
        Assert.Equal(WriteSet.Lookup.NotInBatch, writes.Find(KeySpace.Hash, "b"u8, out _));

        writes.Put(KeySpace.Meta, "b"u8, "3"u8);
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "b"u8, out ReadOnlySpan<byte> value));
        Assert.Equal("3"u8.ToArray(), value.ToArray());

        int mark = writes.Mark;
        writes.DeleteRange(KeySpace.Meta, "y"u8, "zz"u8);
        Assert.Equal(WriteSet.Lookup.Deleted, writes.Find(KeySpace.Meta, "z"u8, out _));
        writes.Rollback(mark);
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "z"u8, out _));
    }

    [Fact]
    public void Reserve_ReturnsTheValueToFill()
    {
        using var writes = new WriteSet();
        "xyz"u8.CopyTo(writes.Reserve(KeySpace.Meta, "k"u8, 3));
        Assert.Equal(WriteSet.Lookup.Put, writes.Find(KeySpace.Meta, "k"u8, out ReadOnlySpan<byte> value));
        Assert.Equal("xyz"u8.ToArray(), value.ToArray());
    }

    private readonly struct Recorder(List<string> log) : WriteSet.IVisitor
    {
        public List<string> Log => log;

        public void Put(KeySpace space, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
            => log.Add($"put {space} {System.Text.Encoding.ASCII.GetString(key)}={System.Text.Encoding.ASCII.GetString(value)}");

        public void Delete(KeySpace space, ReadOnlySpan<byte> key)
            => log.Add($"del {space} {System.Text.Encoding.ASCII.GetString(key)}");

        public void DeleteRange(KeySpace space, ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool retired)
            => log.Add($"range {space} {System.Text.Encoding.ASCII.GetString(begin)}..{System.Text.Encoding.ASCII.GetString(end)}");
    }
}
