using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Storage;

/// <summary>Persisted formats are append-only: these fixed bytes must keep decoding the same way.</summary>
public sealed class EncodingTests
{
    [Fact]
    public void MetaKey_IsDbBigEndianThenKey()
    {
        using var buffer = new ByteBuffer();
        Assert.Equal(new byte[] { 0x00, 0x00, (byte)'k' }, KeyCodec.Meta(buffer, 0, "k"u8).ToArray());
        Assert.Equal(new byte[] { 0x01, 0x02, (byte)'a', (byte)'b' }, KeyCodec.Meta(buffer, 0x0102, "ab"u8).ToArray());
        Assert.Equal(new byte[] { 0x00, 0x05 }, KeyCodec.Meta(buffer, 5, default).ToArray());
    }

    [Fact]
    public void DataKey_HasLengthPrefixedKeyVersionAndMember()
    {
        using var buffer = new ByteBuffer();
        byte[] expected =
        [
            0x00, 0x01,             // db
            0x00, 0x00, 0x00, 0x02, // len(key)
            (byte)'h', (byte)'k',   // key
            0, 0, 0, 0, 0, 0, 0x01, 0x00, // version 256
            (byte)'f',              // member
        ];
        Assert.Equal(expected, KeyCodec.Data(buffer, 1, "hk"u8, 256, "f"u8).ToArray());
    }

    [Fact]
    public void ExpireKey_SortsByTimeAndRoundTrips()
    {
        using var buffer = new ByteBuffer();
        byte[] early = KeyCodec.Expire(buffer, 1000, 3, "zz"u8).ToArray();
        byte[] late = KeyCodec.Expire(buffer, 1001, 0, "aa"u8).ToArray();
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0x00, 0x03, (byte)'z', (byte)'z' }, early);
        Assert.True(early.AsSpan().SequenceCompareTo(late) < 0);

        Assert.True(KeyCodec.TryReadExpire(early, out long at, out int db, out ReadOnlySpan<byte> key));
        Assert.Equal(1000, at);
        Assert.Equal(3, db);
        Assert.Equal("zz"u8.ToArray(), key.ToArray());
        Assert.False(KeyCodec.TryReadExpire(new byte[9], out _, out _, out _));
    }

    [Fact]
    public void MetaValue_HeaderIsTypeThenLittleEndianExpiry()
    {
        byte[] record = new byte[MetaValue.HeaderSize + 1];
        MetaValue.WriteHeader(record, KeyType.String, 0x0102030405060708);
        record[^1] = (byte)'v';
        Assert.Equal(new byte[] { 1, 8, 7, 6, 5, 4, 3, 2, 1, (byte)'v' }, record);
        Assert.Equal(KeyType.String, MetaValue.Type(record));
        Assert.Equal(0x0102030405060708, MetaValue.ExpireAt(record));
        Assert.Equal("v"u8.ToArray(), MetaValue.Payload(record).ToArray());
        Assert.Equal(KeyType.None, MetaValue.Type(new byte[3]));
    }

    [Fact]
    public void MetaValue_CollectionRecord_IsFormatOneWithVersionAndCount()
    {
        byte[] record = new byte[MetaValue.CollectionHeaderSize];
        MetaValue.WriteCollectionHeader(record, KeyType.Hash, 0x0102030405060708, 0x1112131415161718, 3, CollectionEncoding.Table);
        Assert.Equal(
            new byte[]
            {
                0x12, 8, 7, 6, 5, 4, 3, 2, 1,
                0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,
                3, 0, 0, 0, 0, 0, 0, 0,
                1,
            },
            record);
        Assert.Equal(CollectionEncoding.Table, MetaValue.Encoding(record));
        Assert.Equal(KeyType.Hash, MetaValue.Type(record));
        Assert.True(MetaValue.IsCollection(record));
        Assert.Equal(0x0102030405060708, MetaValue.ExpireAt(record));
        Assert.Equal(0x1112131415161718UL, MetaValue.Version(record));
        Assert.Equal(3, MetaValue.Count(record));

        MetaValue.SetExpireAt(record, 5);
        Assert.Equal(5, MetaValue.ExpireAt(record));
        Assert.Equal(0x1112131415161718UL, MetaValue.Version(record));
    }

    [Fact]
    public void MetaValue_FormatZeroCollection_StillReads_AsVersionZeroWithoutMembers()
    {
        // A hash record of format 0 (type byte 2, expiry, no version): written before format 1 existed.
        byte[] record = [2, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0xBB];
        Assert.Equal(KeyType.Hash, MetaValue.Type(record));
        Assert.False(MetaValue.IsCollection(record));
        Assert.Equal(0UL, MetaValue.Version(record));
        Assert.Equal(0, MetaValue.Count(record));
        Assert.Equal(0, MetaValue.ExpireAt(record));
        Assert.Equal(CollectionEncoding.Table, MetaValue.Encoding(record));
        Assert.False(MetaValue.IsCollection(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Theory]
    [InlineData(0, 100, false)]
    [InlineData(100, 99, false)]
    [InlineData(100, 100, false)]
    [InlineData(100, 101, true)]
    public void IsExpired_FollowsRedisStrictlyAfterRule(long expireAt, long now, bool expired)
        => Assert.Equal(expired, MetaValue.IsExpired(expireAt, now));

    [Fact]
    public void CommandEntry_FixedBytesDecode()
    {
        byte[] entry =
        [
            1,                       // format
            1, 0,                    // one command
            0x10, 0, 0, 0, 0, 0, 0, 0, // nowMs 16
            (byte)OpCode.Set, (byte)(SetFlags.Nx | SetFlags.Expire), 0, 0, // op, flags, db 0
            2, 0, 0, 0,              // argc
            0x20, 0, 0, 0, 0, 0, 0, 0, // n1 32
            0, 0, 0, 0, 0, 0, 0, 0,  // n2
            1, 0, 0, 0, (byte)'k',
            2, 0, 0, 0, (byte)'v', (byte)'w',
        ];

        var reader = new EntryReader(entry);
        Assert.True(reader.IsValid);
        Assert.Equal(16, reader.NowMs);
        Assert.Equal(1, reader.Count);
        Assert.True(reader.TryRead(out CommandView cmd));
        Assert.Equal(OpCode.Set, cmd.Op);
        Assert.Equal((byte)(SetFlags.Nx | SetFlags.Expire), cmd.Flags);
        Assert.Equal(2, cmd.ArgCount);
        Assert.Equal(32, cmd.N1);
        Assert.Equal("k"u8.ToArray(), cmd.NextArg().ToArray());
        Assert.Equal("vw"u8.ToArray(), cmd.NextArg().ToArray());
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.IsValid);
    }

    [Fact]
    public void CommandEntry_WriterProducesTheSameBytes()
    {
        using var buffer = new ByteBuffer();
        CommandFormat.BeginEntry(buffer, 16);
        CommandFormat.AddCommand(buffer, OpCode.Del, 0, 7, 2);
        CommandFormat.AddArg(buffer, "a"u8);
        CommandFormat.AddArg(buffer, default);
        byte[] expected =
        [
            1, 1, 0, 0x10, 0, 0, 0, 0, 0, 0, 0,
            (byte)OpCode.Del, 0, 7, 0, 2, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
            1, 0, 0, 0, (byte)'a',
            0, 0, 0, 0,
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void CommandEntry_TruncatedOrWrongVersionIsInvalid()
    {
        using var buffer = new ByteBuffer();
        CommandFormat.BeginEntry(buffer, 1);
        CommandFormat.AddCommand(buffer, OpCode.Del, 0, 0, 1);
        CommandFormat.AddArg(buffer, "key"u8);
        byte[] whole = buffer.WrittenSpan.ToArray();

        var truncated = new EntryReader(whole.AsSpan(0, whole.Length - 1));
        Assert.False(truncated.TryRead(out _));
        Assert.False(truncated.IsValid);

        byte[] future = (byte[])whole.Clone();
        future[0] = 2;
        Assert.False(new EntryReader(future).IsValid);
        Assert.False(new EntryReader(new byte[3]).IsValid);
    }

    [Fact]
    public void AppliedState_RoundTripsThroughAnEngine()
    {
        var engine = new MemoryEngine();
        Assert.Equal(0, AppliedState.Read(engine).Index);
        using var writes = new WriteSet();
        AppliedState.Write(writes, new AppliedState.Position(42, 7, 3, 5));
        engine.Commit(writes, sync: false);
        Assert.Equal(new AppliedState.Position(42, 7, 3, 5), AppliedState.Read(engine));
        Assert.Equal(41, AppliedState.Read(engine).FullyApplied);

        using var raw = new ByteBuffer();
        Assert.True(engine.TryGet(KeySpace.Raft, "applied"u8, raw));
        Assert.Equal(new byte[] { 42, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0 }, raw.WrittenSpan.ToArray());

        // The 16-byte record of earlier versions reads as a whole entry.
        using var old = new WriteSet();
        old.Put(KeySpace.Raft, "applied"u8, raw.WrittenSpan[..16]);
        engine.Commit(old, sync: false);
        Assert.Equal(new AppliedState.Position(42, 7, 1, 1), AppliedState.Read(engine));
    }

    [Fact]
    public void KeySpaces_ColumnFamilyOrderIsFixed()
    {
        Assert.Equal(["meta", "hash", "set", "zset", "list", "expire", "raft"], KeySpaces.ColumnFamilyNames);
        Assert.Equal(KeySpaces.Count, KeySpaces.ColumnFamilyNames.Count);
        Assert.Equal(6, (int)KeySpace.Raft);
    }

    [Fact]
    public void SetOpCodes_AndTheirFlagsAreFixed()
    {
        Assert.Equal([30, 31, 32, 33, 34], new[] { OpCode.SAdd, OpCode.SRem, OpCode.SPop, OpCode.SMove, OpCode.SStore }.Select(o => (int)o));
        Assert.Equal([1, 2, 3], new[] { SetOperation.Inter, SetOperation.Union, SetOperation.Diff }.Select(o => (int)o));
    }

    [Fact]
    public void SpopRandom_IsSplitMix64_SoEveryReplicaAndReplayPicksTheSame()
    {
        // The reference outputs of SplitMix64 seeded with 0: a log entry's seed must pick the same members forever.
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
        var bounded = new SplitMix64(0);
        Assert.Equal((long)(0xE220A8397B1DCDAFUL >> 60), bounded.Next(16));
    }
}
