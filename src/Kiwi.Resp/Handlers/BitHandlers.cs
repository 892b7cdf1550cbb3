using System.Buffers;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Bits;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// The bit commands and LCS over RESP, errors in Redis 7.0's order (BITCOUNT and BITPOS look the key up before
/// parsing their range; BITFIELD parses every op before it looks at the key).
/// </summary>
internal static partial class BitHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags W = CommandFlags.Write;
        const CommandFlags R = CommandFlags.ReadOnly | CommandFlags.BatchRead;
        t.Add(new("setbit", 4, W, 1, 1, 1, SetBit));
        t.Add(new("getbit", 3, R | CommandFlags.Fast, 1, 1, 1, GetBit));
        t.Add(new("bitcount", -2, R, 1, 1, 1, BitCount));
        t.Add(new("bitpos", -3, R, 1, 1, 1, BitPos));
        t.Add(new("bitop", -4, W, 2, -1, 1, BitOp));

        // BITFIELD is a write command (as in Redis), but with GETs only it is a read: answered at once, after the
        // client's earlier writes and behind the read barrier, without a log entry.
        t.Add(new("bitfield", -2, W | CommandFlags.BatchRead, 1, 1, 1, BitField) { ReadsOnlyWhen = static args => BitFieldOp.OnlyGets(args, 2) });
        t.Add(new("bitfield_ro", -2, R | CommandFlags.Fast, 1, 1, 1, BitFieldRo));
        t.Add(new("lcs", -3, R, 1, 2, 1, Lcs));
    }

    private static void SetBit(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long offset) || !BitLimits.IsValidOffset(offset))
        {
            ctx.Error(BitLimits.BitOffsetError);
            return;
        }

        if (!ArgParser.TryInt64(ctx[3], out long bit) || (bit & ~1L) != 0)
        {
            ctx.Error(BitLimits.BitValueError);
            return;
        }

        ctx.Submit(BitEntries.SetBit(ctx.Target, ctx[1], offset, (int)bit));
    }

    private static void GetBit(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long offset) || !BitLimits.IsValidOffset(offset))
        {
            ctx.Error(BitLimits.BitOffsetError);
            return;
        }

        if (LookupString(ref ctx, ctx[1], out bool exists))
        {
            ctx.Writer.WriteInteger(exists ? Bitmap.GetBit(Value, offset) : 0);
            ReadPath.Release();
        }
    }

    private static void BitCount(ref CommandContext ctx)
    {
        if (!LookupString(ref ctx, ctx[1], out bool exists))
        {
            return;
        }

        if (!exists)
        {
            ctx.Writer.WriteInteger(0);
            return;
        }

        long start = 0, end = 0;
        BitUnit unit = BitUnit.Byte;
        if (ctx.Count is 4 or 5)
        {
            if (!ArgParser.TryInt64(ctx[2], out start) || !ArgParser.TryInt64(ctx[3], out end))
            {
                ctx.NotInteger();
                return;
            }

            // Redis 7.0 answers this empty range before it looks at the unit.
            if (start < 0 && end < 0 && start > end)
            {
                ctx.Writer.WriteInteger(0);
                ReadPath.Release();
                return;
            }

            if (ctx.Count == 5 && !TryUnit(ctx[4], out unit))
            {
                ctx.SyntaxError();
                return;
            }
        }
        else if (ctx.Count != 2)
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Writer.WriteInteger(BitRange.Count(Value, ctx.Count == 2, start, end, unit));
        ReadPath.Release();
    }

    private static void BitPos(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[2], out long bit))
        {
            ctx.NotInteger();
            return;
        }

        if (bit is not (0 or 1))
        {
            ctx.Error(BitLimits.BitArgumentError);
            return;
        }

        if (!LookupString(ref ctx, ctx[1], out bool exists))
        {
            return;
        }

        if (!exists)
        {
            // A missing key is an endless run of zeros.
            ctx.Writer.WriteInteger(bit == 1 ? -1 : 0);
            return;
        }

        long start = 0;
        long? end = null;
        BitUnit unit = BitUnit.Byte;
        if (ctx.Count is >= 4 and <= 6)
        {
            if (!ArgParser.TryInt64(ctx[3], out start))
            {
                ctx.NotInteger();
                return;
            }

            if (ctx.Count == 6 && !TryUnit(ctx[5], out unit))
            {
                ctx.SyntaxError();
                return;
            }

            if (ctx.Count >= 5)
            {
                if (!ArgParser.TryInt64(ctx[4], out long last))
                {
                    ctx.NotInteger();
                    return;
                }

                end = last;
            }
        }
        else if (ctx.Count != 3)
        {
            ctx.SyntaxError();
            return;
        }

        ctx.Writer.WriteInteger(BitRange.Position(Value, (int)bit, start, end, unit));
        ReadPath.Release();
    }

    private static void BitOp(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> name = ctx[1];
        BitOperation op;
        if (ArgParser.Is(name, "AND"u8))
        {
            op = BitOperation.And;
        }
        else if (ArgParser.Is(name, "OR"u8))
        {
            op = BitOperation.Or;
        }
        else if (ArgParser.Is(name, "XOR"u8))
        {
            op = BitOperation.Xor;
        }
        else if (ArgParser.Is(name, "NOT"u8))
        {
            op = BitOperation.Not;
        }
        else
        {
            ctx.SyntaxError();
            return;
        }

        if (op == BitOperation.Not && ctx.Count != 4)
        {
            ctx.Error(BitLimits.BitOpNotError);
            return;
        }

        ApplyRequest request = BitEntries.BeginBitOp(ctx.Target, op, ctx.Count - 3);
        for (int i = 2; i < ctx.Count; i++)
        {
            CommandFormat.AddArg(request.Payload, ctx[i]);
        }

        ctx.Submit(EncodedEntry.Ready(request));
    }

    private static void BitField(ref CommandContext ctx) => BitFieldGeneric(ref ctx, readOnly: false);

    private static void BitFieldRo(ref CommandContext ctx) => BitFieldGeneric(ref ctx, readOnly: true);

    private static void BitFieldGeneric(ref CommandContext ctx, bool readOnly)
    {
        BitFieldOp[] ops = ArrayPool<BitFieldOp>.Shared.Rent((ctx.Count / 2) + 1);
        try
        {
            string? error = BitFieldOp.Parse(ctx.Args, 2, ops, out int count);
            if (error is not null)
            {
                ctx.Error(error);
                return;
            }

            ReadOnlySpan<BitFieldOp> parsed = ops.AsSpan(0, count);
            if (!readOnly && !BitFieldOp.OnlyGets(ctx.Args, 2))
            {
                ctx.Submit(BitEntries.BitField(ctx.Target, ctx[1], parsed));
                return;
            }

            foreach (BitFieldOp op in parsed)
            {
                if (op.Kind != BitFieldOpKind.Get)
                {
                    ctx.Error(BitLimits.BitFieldReadOnlyError);
                    return;
                }
            }

            if (LookupString(ref ctx, ctx[1], out bool exists))
            {
                BitFieldRunner.WriteGets(exists ? Value : default, parsed, ctx.Writer);
                ReadPath.Release();
            }
        }
        finally
        {
            ArrayPool<BitFieldOp>.Shared.Return(ops);
        }
    }

    private static ReadOnlySpan<byte> Value => MetaValue.Payload(ReadPath.Record);

    /// <summary>Looks a string up for a read: false (WRONGTYPE replied) for another type.</summary>
    private static bool LookupString(ref CommandContext ctx, ReadOnlySpan<byte> key, out bool exists)
    {
        KeyType type = ctx.Lookup(key);
        exists = type == KeyType.String;
        if (type is KeyType.None or KeyType.String)
        {
            return true;
        }

        ctx.Writer.WriteError(KiwiError.WrongType);
        return false;
    }

    private static bool TryUnit(ReadOnlySpan<byte> arg, out BitUnit unit)
    {
        unit = ArgParser.Is(arg, "BIT"u8) ? BitUnit.Bit : BitUnit.Byte;
        return unit == BitUnit.Bit || ArgParser.Is(arg, "BYTE"u8);
    }
}
