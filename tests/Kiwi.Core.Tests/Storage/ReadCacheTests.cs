using System.Text;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Storage;

/// <summary>The read cache's protocol: fills, hits, the writer's holds, and the fills it must refuse.</summary>
public sealed class ReadCacheTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static ReadCache.Result Get(ReadCache cache, string key, ByteBuffer record, out long ticket)
        => cache.TryGet(B(key), record, out ticket);

    [Fact]
    public void AMiss_FilledFromTheStore_IsAHitAfterwards_WithTheSameBytes()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out long ticket));
        Assert.True(ticket >= 0);
        cache.Fill(B("k"), found: true, B("value"), ticket);

        Assert.Equal(ReadCache.Result.Found, Get(cache, "k", record, out _));
        Assert.Equal("value", Encoding.UTF8.GetString(record.WrittenSpan));
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "other", record, out _));
    }

    [Fact]
    public void TheSameBytesUnderTwoTags_AreTwoKeys()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Assert.Equal(ReadCache.Result.Miss, cache.TryGet(B("k"), record, out long t0, tag: 0));
        cache.Fill(B("k"), found: true, B("zero"), t0, tag: 0);
        Assert.Equal(ReadCache.Result.Miss, cache.TryGet(B("k"), record, out long t2, tag: 2));
        cache.Fill(B("k"), found: false, default, t2, tag: 2);

        Assert.Equal(ReadCache.Result.Found, cache.TryGet(B("k"), record, out _, tag: 0));
        Assert.Equal("zero", Encoding.UTF8.GetString(record.WrittenSpan));
        Assert.Equal(ReadCache.Result.Absent, cache.TryGet(B("k"), record, out _, tag: 2));
        Assert.Equal(ReadCache.Result.Miss, cache.TryGet(B("k"), record, out _, tag: 3));

        cache.Stage(cache.Hold(B("k"), tag: 3), B("k"), found: true, B("three"), tag: 3);
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Found, cache.TryGet(B("k"), record, out _, tag: 3));
        Assert.Equal("three", Encoding.UTF8.GetString(record.WrittenSpan));
        Assert.Equal(ReadCache.Result.Found, cache.TryGet(B("k"), record, out _, tag: 0));
        Assert.Equal("zero", Encoding.UTF8.GetString(record.WrittenSpan));
    }

    [Fact]
    public void A_range_delete_invalidates_every_record_without_touching_slots_and_refuses_fills_looked_up_before_it()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Get(cache, "a", record, out long ta);
        cache.Fill(B("a"), found: true, B("1"), ta);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "b", record, out long stale)); // looked up before the delete

        cache.HoldAll();
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "a", record, out long during));
        Assert.True(during < 0); // no fill while the range delete is being written
        cache.Release(committed: true);

        Assert.Equal(ReadCache.Result.Miss, Get(cache, "a", record, out long after));
        cache.Fill(B("b"), found: true, B("old"), stale); // read RocksDB before the delete: refused
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "b", record, out _));
        cache.Fill(B("a"), found: true, B("2"), after);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "a", record, out _));
        Assert.Equal("2", Encoding.UTF8.GetString(record.WrittenSpan));

        // The writer's own writes after the delete are staged under the new generation.
        cache.Stage(cache.Hold(B("c")), B("c"), found: true, B("3"));
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "c", record, out _));
    }

    /// <summary>
    /// A record's generation tag has 15 bits: after 32,768 range deletes the tag comes round again, and a record
    /// cached under the old one must not count (the cache empties every slot when the tag wraps).
    /// </summary>
    [Fact]
    public void A_record_does_not_come_back_when_the_generation_tag_wraps()
    {
        var cache = new ReadCache(1 << 17); // 1,024 slots: the sweep at the wrap is quick
        using var record = new ByteBuffer();
        Get(cache, "k", record, out long ticket);
        cache.Fill(B("k"), found: true, B("v"), ticket);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "k", record, out _));
        for (int i = 0; i < 32768; i++)
        {
            cache.HoldAll();
            cache.Release(committed: true);
            Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out _));
        }

        cache.HoldAll();
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out _));
    }

    [Fact]
    public void AnAbsentKey_IsCachedAsAbsent()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Get(cache, "gone", record, out long ticket);
        cache.Fill(B("gone"), found: false, default, ticket);
        Assert.Equal(ReadCache.Result.Absent, Get(cache, "gone", record, out _));
    }

    [Fact]
    public void AWrite_EmptiesTheSlot_AndAFillFromBeforeItIsRefused()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Get(cache, "k", record, out long t0);
        cache.Fill(B("k"), found: true, B("v1"), t0);

        // A reader misses "k2" and reads the store ("old"); the writer writes k2 meanwhile.
        long stale = TicketOfEmptySlot(cache, "k2");
        cache.Hold(B("k2"));
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k2", record, out long whileHeld));
        Assert.True(whileHeld < 0, "a held slot gives no ticket: nothing may be filled while the writer writes");
        cache.Release();

        cache.Fill(B("k2"), found: true, B("old"), stale);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k2", record, out long fresh));
        cache.Fill(B("k2"), found: true, B("new"), fresh);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "k2", record, out _));
        Assert.Equal("new", Encoding.UTF8.GetString(record.WrittenSpan));

        cache.Hold(B("k"));
        cache.Release();
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out _));
    }

    [Fact]
    public void A_committed_write_leaves_what_it_staged_in_the_slot_and_a_failed_one_leaves_it_empty()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Span<byte> prefix = stackalloc byte[3];
        Assert.Equal(-2, cache.TryGetPrefix(B("k"), prefix));

        cache.Stage(cache.Hold(B("k")), B("k"), found: true, B("value"));
        Assert.Equal(-2, cache.TryGetPrefix(B("k"), prefix)); // held: read the store
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "k", record, out _));
        Assert.Equal("value", Encoding.UTF8.GetString(record.WrittenSpan));
        Assert.Equal(3, cache.TryGetPrefix(B("k"), prefix));
        Assert.Equal("val", Encoding.UTF8.GetString(prefix));

        cache.Stage(cache.Hold(B("k")), B("k"), found: false, default);
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Absent, Get(cache, "k", record, out _));
        Assert.Equal(-1, cache.TryGetPrefix(B("k"), prefix));

        cache.Stage(cache.Hold(B("k")), B("k"), found: true, B("lost"));
        cache.Release(committed: false);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out _));
        Assert.Equal(-2, cache.TryGetPrefix(B("k"), prefix));

        // A record too big for a slot is not staged: the slot is given back empty.
        cache.Stage(cache.Hold(B("k")), B("k"), found: true, new byte[ReadCache.SlotBytes]);
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k", record, out _));

        // A second hold of a slot this batch holds already stages nothing over the first.
        cache.Stage(cache.Hold(B("k")), B("k"), found: true, B("first"));
        Assert.Equal(-1, cache.Hold(B("k")));
        cache.Stage(-1, B("k"), found: true, B("second"));
        cache.Release(committed: true);
        Assert.Equal(ReadCache.Result.Found, Get(cache, "k", record, out _));
        Assert.Equal("first", Encoding.UTF8.GetString(record.WrittenSpan));
    }

    [Fact]
    public void ARangeDelete_EmptiesEverySlot()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        for (int i = 0; i < 100; i++)
        {
            string key = "k" + i;
            Get(cache, key, record, out long ticket);
            cache.Fill(B(key), found: true, B("v"), ticket);
        }

        cache.Hold(B("k7"));
        cache.HoldAll();
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "k3", record, out long held));
        Assert.True(held < 0);
        cache.Release();
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(ReadCache.Result.Miss, Get(cache, "k" + i, record, out _));
        }
    }

    [Fact]
    public void RecordsThatDoNotFitASlot_AreNotCached_AndLongKeysAlwaysMiss()
    {
        var cache = new ReadCache(1 << 20);
        using var record = new ByteBuffer();
        Get(cache, "big", record, out long ticket);
        cache.Fill(B("big"), found: true, new byte[ReadCache.SlotBytes], ticket);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "big", record, out _));

        string longKey = new('x', ReadCache.SlotBytes);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, longKey, record, out long none));
        Assert.True(none < 0);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, string.Empty, record, out _));
    }

    [Fact]
    public void RecordsThatFillTheirSlotsToTheLastByte_AreExact_AndLeaveEveryVersionWordIntact()
    {
        var cache = new ReadCache(0); // 1,024 slots side by side: a slot written past its end would corrupt the next one's version
        using var record = new ByteBuffer();
        var written = new Dictionary<string, byte[]>();
        for (int i = 0; i < 4000; i++)
        {
            string key = "key:" + i;
            byte[] value = new byte[ReadCache.MaxPayload - key.Length];
            Array.Fill(value, (byte)0xFF);
            value[^1] = (byte)i;
            if (Get(cache, key, record, out long ticket) == ReadCache.Result.Miss && ticket >= 0)
            {
                cache.Fill(B(key), found: true, value, ticket);
                written[key] = value;
            }
        }

        int hits = 0;
        foreach ((string key, byte[] value) in written)
        {
            if (Get(cache, key, record, out _) == ReadCache.Result.Found)
            {
                Assert.Equal(value, record.WrittenSpan.ToArray());
                hits++;
            }
        }

        Assert.True(hits >= 500, $"{hits} of {written.Count} filled keys were hits");
        foreach (string key in written.Keys)
        {
            // Every slot still takes the writer's hold and gives it back: its version word is whole.
            cache.Hold(B(key));
            Assert.Equal(ReadCache.Result.Miss, Get(cache, key, record, out long held));
            Assert.True(held < 0);
            cache.Release();
        }

        Get(cache, "over", record, out long over);
        cache.Fill(B("over"), found: true, new byte[ReadCache.MaxPayload - "over".Length + 1], over);
        Assert.Equal(ReadCache.Result.Miss, Get(cache, "over", record, out _));
    }

    [Fact]
    public void CollidingKeys_NeverAnswerForEachOther()
    {
        var cache = new ReadCache(0); // the minimum: 1,024 slots, so 5,000 keys collide
        using var record = new ByteBuffer();
        for (int i = 0; i < 5000; i++)
        {
            string key = "key:" + i;
            Get(cache, key, record, out long ticket);
            cache.Fill(B(key), found: true, B("value:" + i), ticket);
        }

        int hits = 0;
        for (int i = 0; i < 5000; i++)
        {
            if (Get(cache, "key:" + i, record, out _) == ReadCache.Result.Found)
            {
                hits++;
                Assert.Equal("value:" + i, Encoding.UTF8.GetString(record.WrittenSpan));
            }
        }

        Assert.InRange(hits, 1, 1024);
    }

    private static long TicketOfEmptySlot(ReadCache cache, string key)
    {
        using var record = new ByteBuffer();
        Assert.Equal(ReadCache.Result.Miss, cache.TryGet(B(key), record, out long ticket));
        return ticket;
    }
}
