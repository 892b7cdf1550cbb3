using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Apply;

/// <summary>The per-origin window of applied write ids: its decisions, its bound and its stored bytes.</summary>
public sealed class WriteDedupTests
{
    [Fact]
    public void AnId_IsAppliedOnce_InAnyOrderInsideTheWindow()
    {
        var dedup = new WriteDedup();
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 1, 10));
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 3, 10));
        Assert.Equal(WriteDedup.Verdict.Duplicate, dedup.Admit(7, 1, 11));
        Assert.Equal(WriteDedup.Verdict.Duplicate, dedup.Admit(7, 3, 11));

        // 2 was skipped over (in flight elsewhere): it applies when it comes, once.
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 2, 12));
        Assert.Equal(WriteDedup.Verdict.Duplicate, dedup.Admit(7, 2, 13));

        // Another origin's seqs are its own.
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(8, 1, 13));
    }

    [Fact]
    public void BelowTheWindow_NothingIsApplied()
    {
        var dedup = new WriteDedup();
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 5, 1));
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 5 + WriteDedup.Window, 2));

        // 6 .. 5 + Window - 1 are inside the window and were never applied; 5 is now below it.
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 6, 3));
        Assert.Equal(WriteDedup.Verdict.TooOld, dedup.Admit(7, 5, 4));
        Assert.Equal(WriteDedup.Verdict.TooOld, dedup.Admit(7, 4, 4));

        // A jump past the whole window forgets the bits of the old one.
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, 10 * WriteDedup.Window, 5));
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(7, (10 * WriteDedup.Window) - 1, 6));
    }

    [Fact]
    public void AtMostMaxOrigins_AreKept_TheOldestInTheLogGoesFirst()
    {
        var dedup = new WriteDedup();
        var engine = new MemoryEngine();
        using var writes = new WriteSet();
        for (ulong origin = 1; origin <= WriteDedup.MaxOrigins; origin++)
        {
            // Origin 1's last write is the newest.
            Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(origin, 1, origin == 1 ? 5000 : (long)origin));
        }

        dedup.WriteChanges(writes);
        engine.Commit(writes, sync: false);
        Assert.Equal(WriteDedup.MaxOrigins, dedup.Count);

        writes.Clear();
        Assert.Equal(WriteDedup.Verdict.Apply, dedup.Admit(99_999, 1, 6000));
        dedup.WriteChanges(writes);
        engine.Commit(writes, sync: false);
        Assert.Equal(WriteDedup.MaxOrigins, dedup.Count);

        // Origin 2 (last index 2) was dropped, in memory and in storage; origin 1 was kept.
        var reloaded = new WriteDedup();
        reloaded.Load(engine);
        Assert.Equal(WriteDedup.MaxOrigins, reloaded.Count);
        Assert.Equal(WriteDedup.Verdict.Duplicate, reloaded.Admit(1, 1, 7000));
        Assert.Equal(WriteDedup.Verdict.Duplicate, reloaded.Admit(99_999, 1, 7000));
        Assert.Equal(WriteDedup.Verdict.Apply, reloaded.Admit(2, 1, 7000));
    }

    [Fact]
    public void TheRecord_HasFixedBytes_AndLoadsBack()
    {
        var dedup = new WriteDedup();
        dedup.Admit(0x0102030405060708, 1, 42);
        dedup.Admit(0x0102030405060708, 3, 43);
        dedup.Admit(0x0102030405060708, 65, 44);
        var engine = new MemoryEngine();
        using var writes = new WriteSet();
        dedup.WriteChanges(writes);
        engine.Commit(writes, sync: false);

        using var raw = new ByteBuffer();
        byte[] key = [.. "dedup:"u8, 1, 2, 3, 4, 5, 6, 7, 8];
        Assert.True(engine.TryGet(KeySpace.Raft, key, raw));
        var expected = new byte[WriteDedup.RecordSize];
        expected[0] = 1;
        expected[1] = 65;
        expected[9] = 44;

        // Bits 1 and 3 in word 0, bit 65 % 64 = 1 in word 1.
        expected[17] = 0b1010;
        expected[25] = 0b10;
        Assert.Equal(expected, raw.WrittenSpan.ToArray());

        var reloaded = new WriteDedup();
        reloaded.Load(engine);
        Assert.Equal(WriteDedup.Verdict.Duplicate, reloaded.Admit(0x0102030405060708, 3, 50));
        Assert.Equal(WriteDedup.Verdict.Apply, reloaded.Admit(0x0102030405060708, 2, 50));
    }
}
