using System.Text;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Storage;
using Kiwi.Core.Tests.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Commands.SortedSets;

/// <summary>The backward score walk on every engine, alone and merged with a batch's puts and deletes.</summary>
public sealed class ZReverseCursorTests
{
    [Theory]
    [InlineData(EngineKind.RocksInplace)]
    [InlineData(EngineKind.RocksSnapshots)]
    [InlineData(EngineKind.Memory)]
    public void Walks_the_score_order_backwards_merging_the_batch(EngineKind kind)
    {
        using var dir = new TempDirectory();
        using IStorageEngine engine = TestEngines.Open(kind, dir.Path);
        using var group = new ByteBuffer();
        using var other = new ByteBuffer();
        KeyCodec.Data(group, 0, "z"u8, 7, default);
        using (var writes = new WriteSet())
        {
            for (int i = 0; i < 10; i++)
            {
                Put(writes, group.WrittenSpan, i, $"m{i}");
            }

            // Neighbours: the same key's member order, and the next version's group.
            writes.Put(KeySpace.ZSet, [.. group.WrittenSpan, ZSetKeys.MemberTag, (byte)'x'], default);
            KeyCodec.Data(other, 0, "z"u8, 8, default);
            Put(writes, other.WrittenSpan, 100, "next-version");
            engine.Commit(writes, sync: false);
        }

        Assert.Equal(["m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2", "m1", "m0"], Walk(engine, null, group.WrittenSpan, [ZSetKeys.ScoreTag + 1]));
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], Walk(engine, null, group.WrittenSpan, Bound(5)));
        Assert.Empty(Walk(engine, null, group.WrittenSpan, Bound(0)));

        using var batch = new WriteSet();
        Put(batch, group.WrittenSpan, 20, "top");
        Put(batch, group.WrittenSpan, 4.5, "between");
        Delete(batch, group.WrittenSpan, 8, "m8");
        Delete(batch, group.WrittenSpan, 0, "m0");
        Assert.Equal(["top", "m9", "m7", "m6", "m5", "between", "m4", "m3", "m2", "m1"], Walk(engine, batch, group.WrittenSpan, [ZSetKeys.ScoreTag + 1]));
        Assert.Equal(["between", "m4", "m3", "m2", "m1"], Walk(engine, batch, group.WrittenSpan, Bound(5)));
    }

    private static byte[] Bound(double score)
    {
        using var buffer = new ByteBuffer();
        return ZSetKeys.Score(buffer, score, default).ToArray();
    }

    private static void Put(WriteSet writes, ReadOnlySpan<byte> group, double score, string member)
    {
        using var suffix = new ByteBuffer();
        Span<byte> value = stackalloc byte[8];
        ZSetKeys.WriteScoreValue(value, score);
        writes.Put(KeySpace.ZSet, [.. group, .. ZSetKeys.Score(suffix, score, Encoding.UTF8.GetBytes(member))], value);
    }

    private static void Delete(WriteSet writes, ReadOnlySpan<byte> group, double score, string member)
    {
        using var suffix = new ByteBuffer();
        writes.Delete(KeySpace.ZSet, [.. group, .. ZSetKeys.Score(suffix, score, Encoding.UTF8.GetBytes(member))]);
    }

    private static List<string> Walk(IStorageEngine engine, WriteSet? batch, ReadOnlySpan<byte> group, ReadOnlySpan<byte> before)
    {
        var seen = new List<string>();
        using var cursor = new ZReverseCursor(engine.OpenCursor(KeySpace.ZSet), batch, KeySpace.ZSet, group, before);
        for (; cursor.Valid; cursor.Next())
        {
            seen.Add(Encoding.UTF8.GetString(ZSetKeys.MemberOfScoreEntry(cursor.Member)));
        }

        return seen;
    }
}
