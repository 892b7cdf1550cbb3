using Kiwi.Core.Apply;
using Kiwi.Core.Commands.Bits;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core;

/// <summary>The result of LCS ... IDX: the matches (from the end of the strings backwards) and the LCS length.</summary>
/// <param name="Matches">The matching ranges, last first, as Redis lists them.</param>
/// <param name="Length">Length of the longest common subsequence.</param>
public sealed record LcsResult(IReadOnlyList<LcsMatch> Matches, long Length);

/// <summary>
/// The bit commands of a <see cref="KiwiDb"/> (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO) and
/// LCS, with Redis 7.0's semantics and error texts (errors throw <see cref="KiwiException"/>). Writes go through
/// the writer like every write; reads read committed state at once. Thread-safe.
/// </summary>
public sealed class KiwiBits
{
    private readonly KiwiDb _db;

    internal KiwiBits(KiwiDb db) => _db = db;

    /// <summary>
    /// SETBIT key offset bit: sets or clears the bit at <paramref name="offset"/> (0 to 2^32-1), growing the string
    /// with zero bytes and keeping its TTL; returns the previous bit. <paramref name="cancellationToken"/> is
    /// checked before the write is submitted: a submitted write is applied.
    /// </summary>
    public ValueTask<bool> SetBitAsync(ReadOnlySpan<byte> key, long offset, bool bit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckOffset(offset);
        return _db.SubmitEntry(BitEntries.SetBit(_db.Target, key, offset, bit ? 1 : 0)).AsStatusTask();
    }

    /// <summary>GETBIT key offset: the bit at <paramref name="offset"/>; false past the end or for a missing key.</summary>
    public bool GetBit(ReadOnlySpan<byte> key, long offset)
    {
        CheckOffset(offset);
        return Read(key, out ReadOnlySpan<byte> value) && Release(Bitmap.GetBit(value, offset) == 1);
    }

    /// <summary>BITCOUNT key: the number of set bits in the string (0 for a missing key).</summary>
    public long BitCount(ReadOnlySpan<byte> key)
        => Read(key, out ReadOnlySpan<byte> value) ? Release(BitRange.Count(value, true, 0, 0, BitUnit.Byte)) : 0;

    /// <summary>BITCOUNT key start end [BYTE|BIT]: set bits between two indexes (inclusive; negative count from the end).</summary>
    public long BitCount(ReadOnlySpan<byte> key, long start, long end, BitUnit unit = BitUnit.Byte)
        => Read(key, out ReadOnlySpan<byte> value) ? Release(BitRange.Count(value, false, start, end, unit)) : 0;

    /// <summary>
    /// BITPOS key bit: the first bit equal to <paramref name="bit"/>; for a clear bit in a string of ones, the bit
    /// just past its end; -1 when looking for a set bit that is not there; 0 / -1 for a missing key.
    /// </summary>
    public long BitPos(ReadOnlySpan<byte> key, bool bit) => BitPos(key, bit, 0, null, BitUnit.Byte);

    /// <summary>BITPOS key bit start: as <see cref="BitPos(ReadOnlySpan{byte}, bool)"/> from byte <paramref name="start"/>.</summary>
    public long BitPos(ReadOnlySpan<byte> key, bool bit, long start) => BitPos(key, bit, start, null, BitUnit.Byte);

    /// <summary>BITPOS key bit start end [BYTE|BIT]: the first bit equal to <paramref name="bit"/> inside the range, or -1.</summary>
    public long BitPos(ReadOnlySpan<byte> key, bool bit, long start, long end, BitUnit unit = BitUnit.Byte)
        => BitPos(key, bit, start, (long?)end, unit);

    /// <summary>
    /// BITOP op destination source...: stores AND, OR, XOR of the sources (missing ones are empty, shorter ones
    /// padded with zeros) or NOT of the single source in <paramref name="destination"/> (deleted when the result
    /// is empty); returns the result's length. <paramref name="cancellationToken"/> is checked before submitting.
    /// </summary>
    public ValueTask<long> BitOpAsync(BitOperation operation, ReadOnlySpan<byte> destination, ReadOnlySpan<ReadOnlyMemory<byte>> sources, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (operation > BitOperation.Not)
        {
            throw new KiwiException("ERR syntax error");
        }

        if (sources.IsEmpty)
        {
            throw new KiwiException("ERR wrong number of arguments for 'bitop' command");
        }

        if (operation == BitOperation.Not && sources.Length != 1)
        {
            throw new KiwiException(BitLimits.BitOpNotError);
        }

        ApplyRequest request = BitEntries.BeginBitOp(_db.Target, operation, sources.Length);
        Commands.CommandFormat.AddArg(request.Payload, destination);
        foreach (ReadOnlyMemory<byte> source in sources)
        {
            Commands.CommandFormat.AddArg(request.Payload, source.Span);
        }

        return _db.SubmitRaw(request).AsIntegerTask();
    }

    /// <summary>
    /// BITFIELD key op...: runs the ops in order on one string (SET and INCRBY create or grow it, keeping its TTL);
    /// one result per op, null where OVERFLOW FAIL stopped a SET or INCRBY. <paramref name="cancellationToken"/>
    /// is checked before submitting.
    /// </summary>
    public ValueTask<long?[]> BitFieldAsync(ReadOnlySpan<byte> key, ReadOnlySpan<BitFieldOp> ops, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Validate(ops);
        return AwaitFields(_db.SubmitEntry(BitEntries.BitField(_db.Target, key, ops)));
    }

    /// <summary>BITFIELD_RO key GET...: the values of the fields (GET ops only; zeros past the end or for a missing key).</summary>
    public long[] BitFieldRo(ReadOnlySpan<byte> key, ReadOnlySpan<BitFieldOp> ops)
    {
        Validate(ops);
        foreach (BitFieldOp op in ops)
        {
            if (op.Kind != BitFieldOpKind.Get)
            {
                throw new KiwiException(BitLimits.BitFieldReadOnlyError);
            }
        }

        bool exists = Read(key, out ReadOnlySpan<byte> value);
        var results = new long[ops.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            results[i] = BitFieldRunner.Get(exists ? value : default, ops[i]);
        }

        ReadPath.Release();
        return results;
    }

    /// <summary>LCS key1 key2: the longest common subsequence of the two strings (missing keys are empty).</summary>
    public KiwiValue Lcs(ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2)
    {
        using LcsInput input = LoadLcs(key1, key2);
        byte[] text = new byte[Math.Min(input.A.Length, input.B.Length) + 1];
        int length = Commands.Bits.Lcs.Solve(input.A, input.B, 0, text, null, wantText: true);
        return KiwiValue.Copy(text.AsSpan(0, length));
    }

    /// <summary>LCS key1 key2 LEN: the length of the longest common subsequence.</summary>
    public long LcsLength(ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2)
    {
        using LcsInput input = LoadLcs(key1, key2);
        return Commands.Bits.Lcs.Length(input.A, input.B);
    }

    /// <summary>LCS key1 key2 IDX [MINMATCHLEN n]: the matching ranges of at least <paramref name="minMatchLength"/> bytes, and the length.</summary>
    public LcsResult LcsIdx(ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2, long minMatchLength = 0)
    {
        using LcsInput input = LoadLcs(key1, key2);
        var matches = new List<LcsMatch>();
        int length = Commands.Bits.Lcs.Solve(input.A, input.B, Math.Max(minMatchLength, 0), default, matches, wantText: false);
        return new LcsResult(matches, length);
    }

    private long BitPos(ReadOnlySpan<byte> key, bool bit, long start, long? end, BitUnit unit)
    {
        if (!Read(key, out ReadOnlySpan<byte> value))
        {
            return bit ? -1 : 0;
        }

        return Release(BitRange.Position(value, bit ? 1 : 0, start, end, unit));
    }

    private LcsInput LoadLcs(ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2)
    {
        bool loaded;
        LcsInput input;
        using (Storage.StorageSnapshot view = _db.Engine.OpenSnapshot())
        {
            loaded = LcsInput.TryLoad(view, _db.ReadDatabase, key1, key2, _db.NowMs(), out input);
        }

        if (!loaded)
        {
            throw new KiwiException(Commands.Bits.Lcs.WrongTypeError);
        }

        if (!Commands.Bits.Lcs.Fits(input.A.Length, input.B.Length))
        {
            input.Dispose();
            throw new KiwiException(Commands.Bits.Lcs.TooLargeError);
        }

        return input;
    }

    /// <summary>Reads a string: false for a missing key; WRONGTYPE for another type. Release after use.</summary>
    private bool Read(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        KeyType type = ReadPath.Lookup(_db.Engine, _db.ReadDatabase, key, _db.NowMs());
        value = type == KeyType.String ? MetaValue.Payload(ReadPath.Record) : default;
        return type switch
        {
            KeyType.String => true,
            KeyType.None => false,
            _ => throw new KiwiException(KiwiError.WrongType),
        };
    }

    private static T Release<T>(T result)
    {
        ReadPath.Release();
        return result;
    }

    private static void CheckOffset(long offset)
    {
        if (!BitLimits.IsValidOffset(offset))
        {
            throw new KiwiException(BitLimits.BitOffsetError);
        }
    }

    private static void Validate(ReadOnlySpan<BitFieldOp> ops)
    {
        foreach (BitFieldOp op in ops)
        {
            if (op.Validate() is string error)
            {
                throw new KiwiException(error);
            }
        }
    }

    private static async ValueTask<long?[]> AwaitFields(ApplyRequest request)
    {
        try
        {
            await request.WaitAsync().ConfigureAwait(false);
            ReadOnlySpan<byte> reply = request.ReplyBuffer.WrittenSpan;
            return Decode(reply) ?? throw request.ToException();
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    private static long?[]? Decode(ReadOnlySpan<byte> reply)
    {
        int position = 0;
        if (!RespValue.TryRead(reply, ref position, out RespValue header) || header.Type != RespType.Array)
        {
            return null;
        }

        var results = new long?[header.Count];
        for (int i = 0; i < results.Length; i++)
        {
            if (!RespValue.TryRead(reply, ref position, out RespValue item))
            {
                return null;
            }

            results[i] = item.Type == RespType.Integer ? item.Integer : null;
        }

        return results;
    }
}
