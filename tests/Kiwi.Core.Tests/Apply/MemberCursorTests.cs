using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Apply;

/// <summary>The writer's ordered walk over a collection: committed members merged with the batch's own writes.</summary>
public sealed class MemberCursorTests
{
    [Fact]
    public void Walk_MergesTheBatchWithCommittedMembers_InByteOrder()
    {
        using var engine = new MemoryEngine();
        using var key = new ByteBuffer();
        using (var committed = new WriteSet())
        {
            foreach (string member in new[] { "b", "d", "f", "h" })
            {
                committed.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, Encoding.ASCII.GetBytes(member)), Encoding.ASCII.GetBytes("old-" + member));
            }

            // Another collection's members (another version, another key) around it must not show.
            committed.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 6, "a"u8), default);
            committed.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 8, "a"u8), default);
            committed.Put(KeySpace.Set, KeyCodec.Data(key, 0, "t"u8, 7, "a"u8), default);
            engine.Commit(committed, sync: false);
        }

        using var batch = new WriteSet();
        batch.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "a"u8), "new-a"u8);
        batch.Delete(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "d"u8));
        batch.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "f"u8), "new-f"u8);
        batch.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "g"u8), "first-g"u8);
        batch.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "g"u8), "new-g"u8);
        batch.Put(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "z"u8), "gone"u8);
        batch.Delete(KeySpace.Set, KeyCodec.Data(key, 0, "s"u8, 7, "z"u8));
        batch.Put(KeySpace.Hash, KeyCodec.Data(key, 0, "s"u8, 7, "c"u8), "other space"u8);

        using var prefix = new ByteBuffer();
        using var cursor = new MemberCursor(engine.OpenCursor(KeySpace.Set), batch, KeySpace.Set, KeyCodec.Data(prefix, 0, "s"u8, 7, default));
        Assert.Equal(["a=new-a", "b=old-b", "f=new-f", "g=new-g", "h=old-h"], Walk(cursor));

        using var from = new MemberCursor(engine.OpenCursor(KeySpace.Set), batch, KeySpace.Set, KeyCodec.Data(prefix, 0, "s"u8, 7, default), "c"u8);
        Assert.Equal(["f=new-f", "g=new-g", "h=old-h"], Walk(from));

        using var committedOnly = new MemberCursor(engine.OpenCursor(KeySpace.Set), null, KeySpace.Set, KeyCodec.Data(prefix, 0, "s"u8, 7, default));
        Assert.Equal(["b=old-b", "d=old-d", "f=old-f", "h=old-h"], Walk(committedOnly));
    }

    private static List<string> Walk(MemberCursor cursor)
    {
        var seen = new List<string>();
        for (; cursor.Valid; cursor.Next())
        {
            seen.Add(Encoding.ASCII.GetString(cursor.Member) + "=" + Encoding.ASCII.GetString(cursor.Value));
        }

        return seen;
    }
}
