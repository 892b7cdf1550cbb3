using System.Text;
using Kiwi.Core.Storage;
using Kiwi.Core.Transactions;

namespace Kiwi.Core.Tests.Transactions;

/// <summary>
/// The batch view's cursor: committed keys merged with the batch's puts, point deletes and range deletes, walked
/// forward, backward and turning around, as every ordered read inside EXEC (KEYS, SCAN, a reverse ZRANGE) walks it.
/// </summary>
public sealed class BatchCursorTests
{
    [Fact]
    public void Walks_the_merge_of_committed_keys_and_the_batch_in_both_directions()
    {
        using var engine = new MemoryEngine();
        using (var committed = new WriteSet())
        {
            foreach (string key in new[] { "b", "d", "f", "h", "m", "n" })
            {
                committed.Put(KeySpace.Meta, Bytes(key), Bytes("old-" + key));
            }

            committed.Put(KeySpace.Hash, "c"u8, "other space"u8);
            engine.Commit(committed, sync: false);
        }

        using var batch = new WriteSet();
        batch.Put(KeySpace.Meta, "a"u8, "new-a"u8);
        batch.Delete(KeySpace.Meta, "d"u8);
        batch.Put(KeySpace.Meta, "f"u8, "new-f"u8);
        batch.Put(KeySpace.Meta, "g"u8, "first-g"u8);
        batch.Put(KeySpace.Meta, "g"u8, "new-g"u8);
        batch.Put(KeySpace.Meta, "z"u8, "gone"u8);
        batch.Delete(KeySpace.Meta, "z"u8);
        batch.Put(KeySpace.Meta, "k"u8, "before-range"u8);
        batch.DeleteRange(KeySpace.Meta, "k"u8, "n"u8);
        batch.Put(KeySpace.Meta, "l"u8, "after-range"u8);
        batch.Put(KeySpace.Hash, "e"u8, "other space"u8);
        string[] all = ["a=new-a", "b=old-b", "f=new-f", "g=new-g", "h=old-h", "l=after-range", "n=old-n"];

        using var cursor = new BatchCursor(engine.OpenCursor(KeySpace.Meta), batch, KeySpace.Meta);
        var forward = new List<string>();
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            forward.Add(Entry(cursor));
        }

        Assert.Equal(all, forward);

        var backward = new List<string>();
        for (cursor.SeekForPrev("zz"u8); cursor.Valid; cursor.Prev())
        {
            backward.Add(Entry(cursor));
        }

        Assert.Equal(all.Reverse(), backward);

        // Seeks land on the merge too; a turn goes on from the current key in the other direction.
        cursor.Seek("c"u8);
        Assert.Equal("f=new-f", Entry(cursor));
        cursor.Prev();
        Assert.Equal("b=old-b", Entry(cursor));
        cursor.Next();
        Assert.Equal("f=new-f", Entry(cursor));
        cursor.SeekForPrev("k"u8);
        Assert.Equal("h=old-h", Entry(cursor));
        cursor.Next();
        Assert.Equal("l=after-range", Entry(cursor));
        cursor.SeekForPrev("g"u8);
        Assert.Equal("g=new-g", Entry(cursor));
        cursor.Seek("o"u8);
        Assert.False(cursor.Valid);
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static string Entry(BatchCursor cursor) => Encoding.ASCII.GetString(cursor.Key) + "=" + Encoding.ASCII.GetString(cursor.Value);
}
