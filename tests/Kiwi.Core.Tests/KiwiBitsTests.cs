using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Bits;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests;

/// <summary><see cref="KiwiDb.Bits"/>: the bit commands and LCS through the embedded API.</summary>
public sealed class KiwiBitsTests : KiwiDbTestBase
{
    private static readonly CancellationToken s_none = CancellationToken.None;

    private KiwiBits Bits => Db.Bits;

    [Fact]
    public async Task SetBit_returns_the_old_bit_grows_with_zeros_and_keeps_the_ttl()
    {
        Assert.False(await Bits.SetBitAsync("b"u8, 7, true, s_none));
        Assert.Equal([0x01], Db.GetString("b")!.Select(c => (byte)c).ToArray());
        Assert.True(await Bits.SetBitAsync("b"u8, 7, false, s_none));
        Assert.False(await Bits.SetBitAsync("b"u8, 7, false, s_none));
        Assert.False(await Bits.SetBitAsync("b"u8, 8 * 9, true, s_none));
        Assert.Equal(10, Db.StrLen("b"));
        Assert.True(Bits.GetBit("b"u8, 72));
        Assert.False(Bits.GetBit("b"u8, 73));
        Assert.False(Bits.GetBit("b"u8, 100_000));
        Assert.False(Bits.GetBit("missing"u8, 0));

        await Db.SetAsync("t"u8, "a"u8, KiwiExpiry.Seconds(100));
        Assert.True(await Bits.SetBitAsync("t"u8, 1, false, s_none));
        Assert.Equal("!", Db.GetString("t"));
        Assert.Equal(100, Db.Ttl("t"));
    }

    [Fact]
    public async Task Offsets_beyond_two_to_the_32_are_refused_and_a_megabyte_offset_works()
    {
        const string error = "ERR bit offset is not an integer or out of range";
        Assert.Equal(error, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.SetBitAsync("b"u8, 1L << 32, true, s_none))).Message);
        Assert.Equal(error, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.SetBitAsync("b"u8, -1, true, s_none))).Message);
        Assert.Equal(error, Assert.Throws<KiwiException>(() => Bits.GetBit("b"u8, 1L << 32)).Message);
        Assert.Equal(0, Db.Exists("b"));

        Assert.False(await Bits.SetBitAsync("big"u8, (8L << 20) - 1, true, s_none));
        Assert.Equal(1L << 20, Db.StrLen("big"));
        Assert.Equal(1, Bits.BitCount("big"u8));
        Assert.Equal((8L << 20) - 1, Bits.BitPos("big"u8, true));
    }

    [Fact]
    public async Task BitCount_follows_redis_ranges_in_bytes_and_bits()
    {
        await Db.SetAsync("s"u8, "foobar"u8);
        Assert.Equal(26, Bits.BitCount("s"u8));
        Assert.Equal(4, Bits.BitCount("s"u8, 0, 0));
        Assert.Equal(6, Bits.BitCount("s"u8, 1, 1));
        Assert.Equal(18, Bits.BitCount("s"u8, 1, -2));
        Assert.Equal(26, Bits.BitCount("s"u8, -100, 100));
        Assert.Equal(0, Bits.BitCount("s"u8, -1, -3));
        Assert.Equal(0, Bits.BitCount("s"u8, 3, 2));
        Assert.Equal(17, Bits.BitCount("s"u8, 5, 30, BitUnit.Bit));
        Assert.Equal(3, Bits.BitCount("s"u8, 1, 5, BitUnit.Bit));
        Assert.Equal(0, Bits.BitCount("missing"u8));
        await Db.SetAsync("e"u8, ""u8);
        Assert.Equal(0, Bits.BitCount("e"u8, 0, -1));
    }

    [Fact]
    public async Task BitPos_finds_set_and_clear_bits_with_redis_edge_cases()
    {
        await Db.SetAsync("ones"u8, [0xFF, 0xFF, 0xFF]);
        Assert.Equal(24, Bits.BitPos("ones"u8, false));
        Assert.Equal(24, Bits.BitPos("ones"u8, false, 1));
        Assert.Equal(-1, Bits.BitPos("ones"u8, false, 0, -1));
        Assert.Equal(0, Bits.BitPos("ones"u8, true));

        await Db.SetAsync("s"u8, [0x00, 0xFF, 0xF0]);
        Assert.Equal(8, Bits.BitPos("s"u8, true));
        Assert.Equal(16, Bits.BitPos("s"u8, true, 2, -1));
        Assert.Equal(8, Bits.BitPos("s"u8, true, 7, 15, BitUnit.Bit));
        Assert.Equal(20, Bits.BitPos("s"u8, false, 2));
        Assert.Equal(-1, Bits.BitPos("s"u8, false, 8, 15, BitUnit.Bit));
        Assert.Equal(-1, Bits.BitPos("s"u8, true, 3));
        Assert.Equal(-1, Bits.BitPos("s"u8, true, 2, 1));

        Assert.Equal(0, Bits.BitPos("missing"u8, false));
        Assert.Equal(-1, Bits.BitPos("missing"u8, true));
        await Db.SetAsync("e"u8, ""u8);
        Assert.Equal(-1, Bits.BitPos("e"u8, false));
    }

    [Fact]
    public async Task BitOp_combines_pads_with_zeros_and_deletes_an_empty_result()
    {
        await Db.SetAsync("a"u8, "foobar"u8);
        await Db.SetAsync("b"u8, "abcdef"u8);
        await Db.SetAsync("dest"u8, "old"u8, KiwiExpiry.Seconds(100));
        Assert.Equal(6, await Bits.BitOpAsync(BitOperation.And, "dest"u8, Keys("a", "b"), s_none));
        Assert.Equal("`bc`ab", Db.GetString("dest"));
        Assert.Equal(-1, Db.Ttl("dest"));
        Assert.Equal(6, await Bits.BitOpAsync(BitOperation.Or, "dest"u8, Keys("a", "b"), s_none));
        Assert.Equal("goofev", Db.GetString("dest"));
        Assert.Equal(6, await Bits.BitOpAsync(BitOperation.Xor, "dest"u8, Keys("a", "missing"), s_none));
        Assert.Equal("foobar", Db.GetString("dest"));
        Assert.Equal(6, await Bits.BitOpAsync(BitOperation.And, "dest"u8, Keys("a", "missing"), s_none));
        Assert.Equal(new string('\0', 6), Db.GetString("dest"));
        Assert.Equal(0, await Bits.BitOpAsync(BitOperation.Not, "dest"u8, Keys("x1"), s_none));
        Assert.Equal(0, Db.Exists("dest"));

        await Db.SetAsync("n"u8, [0x0F]);
        Assert.Equal(1, await Bits.BitOpAsync(BitOperation.Not, "n"u8, Keys("n"), s_none));
        Assert.Equal([0xF0], Value("n"));

        KiwiException error = await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitOpAsync(BitOperation.Not, "d"u8, Keys("a", "b"), s_none));
        Assert.Equal("ERR BITOP NOT must be called with a single source key.", error.Message);
    }

    [Fact]
    public async Task BitOp_matches_a_byte_by_byte_reference_across_word_boundaries()
    {
        var random = new Random(7);
        foreach (BitOperation op in new[] { BitOperation.And, BitOperation.Or, BitOperation.Xor, BitOperation.Not })
        {
            for (int round = 0; round < 20; round++)
            {
                int sources = op == BitOperation.Not ? 1 : random.Next(1, 4);
                var values = new byte[sources][];
                for (int i = 0; i < sources; i++)
                {
                    values[i] = new byte[random.Next(0, 41)];
                    random.NextBytes(values[i]);
                    await Db.SetAsync(B("src" + i), values[i]);
                }

                int longest = values.Max(v => v.Length);
                var expected = new byte[longest];
                for (int j = 0; j < longest; j++)
                {
                    int folded = j < values[0].Length ? values[0][j] : 0;
                    for (int i = 1; i < sources; i++)
                    {
                        int b = j < values[i].Length ? values[i][j] : 0;
                        folded = op == BitOperation.And ? folded & b : op == BitOperation.Or ? folded | b : folded ^ b;
                    }

                    expected[j] = (byte)(op == BitOperation.Not ? ~folded : folded);
                }

                Assert.Equal(longest, await Bits.BitOpAsync(op, "dest"u8, Keys([.. Enumerable.Range(0, sources).Select(i => "src" + i)]), s_none));
                Assert.Equal(expected, Value("dest"));
            }
        }
    }

    [Fact]
    public async Task BitField_gets_sets_and_increments_with_each_overflow_mode()
    {
        long?[] results = await Bits.BitFieldAsync("f"u8,
        [
            BitFieldOp.Set(signed: false, 8, 0, 255),
            BitFieldOp.Get(signed: true, 8, 0),
            BitFieldOp.IncrBy(signed: false, 8, 0, 10),
            BitFieldOp.IncrBy(signed: false, 8, 0, 300, BitFieldOverflow.Sat),
            BitFieldOp.IncrBy(signed: false, 8, 0, 1, BitFieldOverflow.Fail),
            BitFieldOp.IncrBy(signed: true, 5, 100, -100, BitFieldOverflow.Sat),
            BitFieldOp.Set(signed: true, 64, 8, long.MinValue),
            BitFieldOp.IncrBy(signed: true, 64, 8, -1),
        ], s_none);
        Assert.Equal([0, -1, 9, 255, null, -16, 0, long.MaxValue], results);
        Assert.Equal(14, Db.StrLen("f"));

        Assert.Equal([255, 0], Bits.BitFieldRo("f"u8, [BitFieldOp.Get(false, 8, 0), BitFieldOp.Get(false, 4, 1000)]));
        Assert.Equal([0], Bits.BitFieldRo("missing"u8, [BitFieldOp.Get(true, 64, 0)]));
        Assert.Equal("ERR BITFIELD_RO only supports the GET subcommand",
            Assert.Throws<KiwiException>(() => Bits.BitFieldRo("f"u8, [BitFieldOp.Set(false, 8, 0, 1)])).Message);

        // OVERFLOW FAIL on a missing key still creates it, as in Redis.
        Assert.Equal([null], await Bits.BitFieldAsync("g"u8, [BitFieldOp.Set(false, 2, 0, 9, BitFieldOverflow.Fail)], s_none));
        Assert.Equal([0], Value("g"));

        // Only GETs: nothing is written.
        Assert.Equal([0], await Bits.BitFieldAsync("h"u8, [BitFieldOp.Get(false, 8, 0)], s_none));
        Assert.Equal(0, Db.Exists("h"));
    }

    [Fact]
    public async Task BitField_refuses_unsupported_types_and_offsets()
    {
        const string type = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
        Assert.Equal(type, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitFieldAsync("f"u8, [BitFieldOp.Get(false, 64, 0)], s_none))).Message);
        Assert.Equal(type, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitFieldAsync("f"u8, [BitFieldOp.Get(true, 0, 0)], s_none))).Message);
        Assert.Equal("ERR bit offset is not an integer or out of range",
            (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitFieldAsync("f"u8, [BitFieldOp.Set(true, 8, 1L << 32, 1)], s_none))).Message);
        Assert.Equal(0, Db.Exists("f"));
    }

    [Fact]
    public async Task Lcs_returns_the_string_its_length_and_the_matches()
    {
        await Db.SetAsync("a"u8, "ohmytext"u8);
        await Db.SetAsync("b"u8, "mynewtext"u8);
        using (KiwiValue lcs = Bits.Lcs("a"u8, "b"u8))
        {
            Assert.Equal("mytext", lcs.ToString());
        }

        Assert.Equal(6, Bits.LcsLength("a"u8, "b"u8));
        LcsResult idx = Bits.LcsIdx("a"u8, "b"u8);
        Assert.Equal(6, idx.Length);
        Assert.Equal([new LcsMatch(4, 7, 5, 8, 4), new LcsMatch(2, 3, 0, 1, 2)], idx.Matches);
        Assert.Equal([new LcsMatch(4, 7, 5, 8, 4)], Bits.LcsIdx("a"u8, "b"u8, minMatchLength: 3).Matches);
        Assert.Equal(0, Bits.LcsLength("a"u8, "missing"u8));
        using KiwiValue empty = Bits.Lcs("missing"u8, "b"u8);
        Assert.Equal(0, empty.Length);
        Assert.False(empty.IsNull);
    }

    [Fact]
    public async Task Lcs_refuses_a_table_larger_than_512_MB()
    {
        await Db.SetAsync("a"u8, new byte[12_000]);
        await Db.SetAsync("b"u8, new byte[12_000]);
        Assert.Equal("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
            Assert.Throws<KiwiException>(() => Bits.LcsLength("a"u8, "b"u8)).Message);
    }

    [Fact]
    public async Task Every_bit_command_replies_wrongtype_on_a_hash()
    {
        WriteHash("h");
        await Db.SetAsync("s"u8, "x"u8);
        const string wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        Assert.Equal(wrongType, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.SetBitAsync("h"u8, 1, true, s_none))).Message);
        Assert.Equal(wrongType, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitFieldAsync("h"u8, [BitFieldOp.Get(false, 8, 0)], s_none))).Message);
        Assert.Equal(wrongType, (await Assert.ThrowsAsync<KiwiException>(async () => await Bits.BitOpAsync(BitOperation.Or, "d"u8, Keys("s", "h"), s_none))).Message);
        Assert.Equal(wrongType, Assert.Throws<KiwiException>(() => Bits.GetBit("h"u8, 0)).Message);
        Assert.Equal(wrongType, Assert.Throws<KiwiException>(() => Bits.BitCount("h"u8)).Message);
        Assert.Equal(wrongType, Assert.Throws<KiwiException>(() => Bits.BitPos("h"u8, true)).Message);
        Assert.Equal(wrongType, Assert.Throws<KiwiException>(() => Bits.BitFieldRo("h"u8, [BitFieldOp.Get(false, 8, 0)])).Message);
        Assert.Equal("ERR The specified keys must contain string values", Assert.Throws<KiwiException>(() => Bits.LcsLength("s"u8, "h"u8)).Message);
        Assert.Equal(KeyType.Hash, Db.Type("h"));
        Assert.Equal(0, Db.Exists("d"));

        // BITOP's destination may hold any type: it is replaced.
        Assert.Equal(1, await Bits.BitOpAsync(BitOperation.Or, "h"u8, Keys("s"), s_none));
        Assert.Equal("x", Db.GetString("h"));
    }

    [Fact]
    public void Bit_entries_have_fixed_op_codes_and_bitfield_op_bytes()
    {
        Assert.Equal(40, (byte)OpCode.SetBit);
        Assert.Equal(41, (byte)OpCode.BitOp);
        Assert.Equal(42, (byte)OpCode.BitField);
        Assert.Equal([0, 1, 2, 3], new[] { BitOperation.And, BitOperation.Or, BitOperation.Xor, BitOperation.Not }.Select(o => (int)o));

        var bytes = new byte[BitFieldOp.EncodedSize];
        BitFieldOp.IncrBy(signed: true, 5, 0x0102, -2, BitFieldOverflow.Fail).Write(bytes);
        Assert.Equal(new byte[]
        {
            2, 1, 5, 2, // kind INCRBY, signed, bits, overflow FAIL
            0x02, 0x01, 0, 0, 0, 0, 0, 0, // offset
            0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // value
        }, bytes);
        BitFieldOp back = BitFieldOp.Read(bytes);
        Assert.Equal((BitFieldOpKind.IncrBy, true, 5, 0x0102L, -2L, BitFieldOverflow.Fail), (back.Kind, back.Signed, back.Bits, back.Offset, back.Value, back.Overflow));
    }

    private static ReadOnlyMemory<byte>[] Keys(params string[] keys) => [.. keys.Select(k => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(k))];

    private byte[] Value(string key)
    {
        using KiwiValue value = Db.Get(Encoding.UTF8.GetBytes(key));
        return value.Span.ToArray();
    }

    /// <summary>A hash's meta record written straight into storage, as the hash commands will write it.</summary>
    private void WriteHash(string key)
    {
        Db.Dispose();
        using (RocksEngine engine = RocksEngine.Open(DirectoryPath))
        using (var writes = new WriteSet())
        using (var buffer = new ByteBuffer())
        {
            Span<byte> record = writes.Reserve(KeySpace.Meta, KeyCodec.Meta(buffer, 0, Encoding.UTF8.GetBytes(key)), MetaValue.HeaderSize + 4);
            MetaValue.WriteHeader(record, KeyType.Hash, 0);
            engine.Commit(writes, sync: false);
        }

        Reopen();
    }
}
