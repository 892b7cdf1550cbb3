using System.Buffers.Binary;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Tests.Commands;

/// <summary>
/// The write commands' encoders (StringEntries, KeyEntries, HashEntries, SetEntries): the bytes they propose, their
/// refusals with Redis's text, and that the hot ones allocate nothing.
/// </summary>
public sealed class EntryEncoderTests : KiwiDbTestBase
{
    [Fact]
    public void Set_WithEx_ProposesAnAbsoluteExpiry()
    {
        ApplyRequest request = Ready(StringEntries.Set(Db.Target, "k"u8, "v"u8, KiwiExpiry.Seconds(10), SetCondition.NotExists, get: true));

        byte[] expected = Entry(OpCode.Set, (byte)(SetFlags.Expire | SetFlags.Nx | SetFlags.Get), StartMs + 10_000, 0, "k"u8.ToArray(), "v"u8.ToArray());
        Assert.Equal(expected, request.Payload.WrittenSpan.ToArray());
        ApplyRequestPool.Return(request);
    }

    [Fact]
    public void SortStore_ProposesTheCommandsArgumentsUnderOpCode76()
    {
        ReadOnlyMemory<byte>[] args = ["src"u8.ToArray(), "DESC"u8.ToArray(), "STORE"u8.ToArray(), "dst"u8.ToArray()];
        ApplyRequest request = Ready(Kiwi.Core.Commands.Sort.SortEntries.Store(Db.Target, new MemoryArgs(args)));

        byte[] expected = Entry(OpCode.SortStore, 0, 0, 0, "src"u8.ToArray(), "DESC"u8.ToArray(), "STORE"u8.ToArray(), "dst"u8.ToArray());
        Assert.Equal(76, expected[11]);
        Assert.Equal(expected, request.Payload.WrittenSpan.ToArray());
        ApplyRequestPool.Return(request);
    }

    [Fact]
    public void Expire_InSeconds_ProposesUnixMilliseconds()
    {
        ApplyRequest request = Ready(KeyEntries.Expire(Db.Target, "k"u8, 5, ExpireCondition.Xx | ExpireCondition.Gt, ExpireCommand.Expire));

        byte[] expected = Entry(OpCode.Expire, (byte)(ExpireCondition.Xx | ExpireCondition.Gt), StartMs + 5_000, 0, "k"u8.ToArray());
        Assert.Equal(expected, request.Payload.WrittenSpan.ToArray());
        ApplyRequestPool.Return(request);
    }

    [Fact]
    public void MSet_FromPairsOrFromAFlatList_ProposesTheSameBytes()
    {
        KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[] pairs = [new(B("a"), B("1")), new(B("b"), B("2"))];
        ReadOnlyMemory<byte>[] flat = [B("a"), B("1"), B("b"), B("2")];

        ApplyRequest fromPairs = Ready(StringEntries.MSet(Db.Target, new PairArgs(pairs)));
        ApplyRequest fromFlat = Ready(StringEntries.MSet(Db.Target, new MemoryArgs(flat)));

        byte[] expected = Entry(OpCode.MSet, 0, 0, 0, B("a"), B("1"), B("b"), B("2"));
        Assert.Equal(expected, fromPairs.Payload.WrittenSpan.ToArray());
        Assert.Equal(expected, fromFlat.Payload.WrittenSpan.ToArray());
        ApplyRequestPool.Return(fromPairs);
        ApplyRequestPool.Return(fromFlat);
    }

    [Fact]
    public void Refusals_CarryRedisTextAndRentNothing()
    {
        ReadOnlyMemory<byte>[] odd = [B("a"), B("1"), B("b")];
        Assert.Equal("ERR decrement would overflow", Refusal(StringEntries.DecrBy(Db.Target, "k"u8, long.MinValue)));
        Assert.Equal("ERR offset is out of range", Refusal(StringEntries.SetRange(Db.Target, "k"u8, -1, "v"u8)));
        Assert.Equal("ERR wrong number of arguments for 'msetnx' command", Refusal(StringEntries.MSetNx(Db.Target, new MemoryArgs(odd))));
        Assert.Equal("ERR invalid expire time in 'set' command", Refusal(StringEntries.Set(Db.Target, "k"u8, "v"u8, KiwiExpiry.Milliseconds(0), SetCondition.Always, get: false)));
        Assert.Equal("ERR syntax error", Refusal(StringEntries.GetEx(Db.Target, "k"u8, KiwiExpiry.KeepTtl)));
        Assert.Equal("ERR GT and LT options at the same time are not compatible", Refusal(KeyEntries.Expire(Db.Target, "k"u8, 1, ExpireCondition.Gt | ExpireCondition.Lt, ExpireCommand.PExpire)));
        Assert.Equal("ERR invalid expire time in 'expireat' command", Refusal(KeyEntries.Expire(Db.Target, "k"u8, long.MaxValue, ExpireCondition.None, ExpireCommand.ExpireAt)));
        Assert.Equal("ERR wrong number of arguments for 'hmset' command", Refusal(HashEntries.Set(Db.Target, "h"u8, new SpanArgs("f"u8), HashSetFlags.ReplyOk)));
        Assert.Equal("ERR value is NaN or Infinity", Refusal(HashEntries.IncrByFloat(Db.Target, "h"u8, "f"u8, "inf"u8)));
        Assert.Equal("ERR value is out of range, must be positive", Refusal(SetEntries.Pop(Db.Target, "s"u8, -1)));
    }

    [Fact]
    public void HotEncoders_AllocateNothing()
    {
        const int Iterations = 10_000;
        KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[] pairs = [new(B("a"), B("1")), new(B("b"), B("2"))];
        EncodeRepeatedly(Db.Target, pairs, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        EncodeRepeatedly(Db.Target, pairs, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Tiered JIT recompilation may allocate a few bytes once; one object per operation would be 24+ bytes each.
        Assert.True(allocated < Iterations, $"{allocated} bytes allocated over {Iterations} iterations");
    }

    private static void EncodeRepeatedly(EntryTarget target, KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>[] pairs, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            ApplyRequestPool.Return(Ready(StringEntries.Set(target, "key"u8, "value"u8, KiwiExpiry.Seconds(10), SetCondition.Always, get: false)));
            ApplyRequestPool.Return(Ready(StringEntries.IncrBy(target, "counter"u8, 1)));
            ApplyRequestPool.Return(Ready(StringEntries.MSet(target, new PairArgs(pairs))));
            ApplyRequestPool.Return(Ready(KeyEntries.Del(target, new SpanArgs("key"u8))));
            ApplyRequestPool.Return(Ready(HashEntries.Set(target, "h"u8, new SpanArgs("f"u8, "v"u8), HashSetFlags.None)));
        }
    }

    private static ApplyRequest Ready(EncodedEntry entry)
    {
        Assert.True(entry.Error.IsEmpty);
        return entry.Request!;
    }

    private static string Refusal(EncodedEntry entry)
    {
        Assert.Null(entry.Request);
        return System.Text.Encoding.ASCII.GetString(entry.Error);
    }

    /// <summary>One entry of one command in database 0, stamped <see cref="KiwiDbTestBase.StartMs"/>, written out by hand.</summary>
    private static byte[] Entry(OpCode op, byte flags, long n1, long n2, params byte[][] args)
    {
        var bytes = new List<byte> { 1, 1, 0 };
        bytes.AddRange(Int64(StartMs));
        bytes.AddRange([(byte)op, flags, 0, 0]);
        bytes.AddRange(UInt32((uint)args.Length));
        bytes.AddRange(Int64(n1));
        bytes.AddRange(Int64(n2));
        foreach (byte[] arg in args)
        {
            bytes.AddRange(UInt32((uint)arg.Length));
            bytes.AddRange(arg);
        }

        return [.. bytes];
    }

    private static byte[] UInt32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
