using System.Buffers;

namespace Kiwi.Core.Tests;

/// <summary>Hashes through the embedded API (<see cref="KiwiDb.Hashes"/>), on RocksDB.</summary>
public sealed class KiwiDbHashTests : KiwiDbTestBase
{
    [Fact]
    public async Task Set_get_increment_delete_and_survive_a_restart()
    {
        KiwiHashes hashes = Db.Hashes;
        Assert.True(await hashes.SetAsync(B("h"), B("f"), B("v")));
        Assert.False(await hashes.SetAsync(B("h"), B("f"), B("w")));
        Assert.False(await hashes.SetIfNotExistsAsync(B("h"), B("f"), B("x")));
        Assert.Equal(2, await hashes.SetAsync(B("h"), [new(B("a"), B("1")), new(B("b"), B("2")), new(B("f"), B("z"))]));
        Assert.Equal(5, await hashes.IncrementAsync(B("h"), B("a"), 4));
        Assert.Equal(3, hashes.Length(B("h")));
        using (KiwiValue value = hashes.Get(B("h"), B("f")))
        {
            Assert.Equal("z", value.ToString());
        }

        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(hashes.TryGet(B("h"), B("a"), buffer));
        Assert.Equal("5", System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan));
        Assert.False(hashes.TryGet(B("h"), B("none"), buffer));
        Assert.True(hashes.Exists(B("h"), B("b")));
        Assert.True(await hashes.DeleteAsync(B("h"), B("b")));
        Assert.False(await hashes.DeleteAsync(B("h"), B("b")));

        Reopen();
        var seen = new List<string>();
        Db.Hashes.ForEach(B("h"), (field, value) => seen.Add(System.Text.Encoding.ASCII.GetString(field) + "=" + System.Text.Encoding.ASCII.GetString(value)));
        Assert.Equal(["a=5", "f=z"], seen);
        Assert.Equal(2, Db.Hashes.Length(B("h")));
    }

    [Fact]
    public async Task A_string_key_is_the_wrong_type_and_a_cancelled_write_is_not_submitted()
    {
        await Db.SetAsync(B("s"), B("v"));
        KiwiException ex = await Assert.ThrowsAsync<KiwiException>(async () => await Db.Hashes.SetAsync(B("s"), B("f"), B("v")));
        Assert.Equal(Kiwi.Core.Apply.KiwiError.WrongType, ex.Error);
        Assert.Throws<KiwiException>(() => Db.Hashes.Length(B("s")));
        Assert.Throws<OperationCanceledException>(() => Db.Hashes.SetAsync(B("h2"), B("f"), B("v"), new CancellationToken(canceled: true)));
        Assert.Equal(0, Db.Hashes.Length(B("h2")));
    }
}

/// <summary>Sets through the embedded API (<see cref="KiwiDb.Sets"/>), on RocksDB.</summary>
public sealed class KiwiDbSetMemberTests : KiwiDbTestBase
{
    [Fact]
    public async Task Add_remove_contains_count_and_walk()
    {
        KiwiSets sets = Db.Sets;
        Assert.True(await sets.AddAsync(B("s"), B("a")));
        Assert.False(await sets.AddAsync(B("s"), B("a")));
        Assert.Equal(2, await sets.AddAsync(B("s"), [B("b"), B("c"), B("b")]));
        Assert.True(sets.Contains(B("s"), B("c")));
        Assert.False(sets.Contains(B("s"), B("z")));
        Assert.Equal(3, sets.Count(B("s")));
        Assert.True(await sets.RemoveAsync(B("s"), B("a")));
        Assert.Equal(1, await sets.RemoveAsync(B("s"), [B("a"), B("b")]));
        var seen = new List<string>();
        sets.ForEach(B("s"), member => seen.Add(System.Text.Encoding.ASCII.GetString(member)));
        Assert.Equal(["c"], seen);
        await Db.SetAsync(B("str"), B("v"));
        Assert.Throws<KiwiException>(() => sets.Contains(B("str"), B("v")));
        Assert.Equal(Kiwi.Core.Apply.KiwiError.WrongType, (await Assert.ThrowsAsync<KiwiException>(async () => await sets.AddAsync(B("str"), B("v")))).Error);
    }
}
