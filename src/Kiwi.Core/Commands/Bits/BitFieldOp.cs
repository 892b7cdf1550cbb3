using System.Buffers.Binary;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands.Bits;

/// <summary>
/// One BITFIELD subcommand: GET, SET or INCRBY of a signed or unsigned field of 1 to 64 bits at a bit offset, with
/// the OVERFLOW behaviour in force for it. Inside an entry each op is <see cref="EncodedSize"/> bytes
/// (persisted: <c>kind:u8 | signed:u8 | bits:u8 | overflow:u8 | offset:i64 LE | value:i64 LE</c>).
/// </summary>
public readonly struct BitFieldOp
{
    /// <summary>Bytes of one encoded op.</summary>
    internal const int EncodedSize = 20;

    private BitFieldOp(BitFieldOpKind kind, bool signed, int bits, long offset, long value, BitFieldOverflow overflow)
    {
        Kind = kind;
        Signed = signed;
        Bits = bits;
        Offset = offset;
        Value = value;
        Overflow = overflow;
    }

    /// <summary>The subcommand.</summary>
    public BitFieldOpKind Kind { get; }

    /// <summary>True for a signed field (iN), false for unsigned (uN).</summary>
    public bool Signed { get; }

    /// <summary>Width of the field: 1 to 64 signed, 1 to 63 unsigned.</summary>
    public int Bits { get; }

    /// <summary>Bit offset of the field's most significant bit (Redis's "#N" is N × <see cref="Bits"/>).</summary>
    public long Offset { get; }

    /// <summary>SET's value or INCRBY's increment (0 for GET).</summary>
    public long Value { get; }

    /// <summary>The overflow behaviour of SET and INCRBY.</summary>
    public BitFieldOverflow Overflow { get; }

    /// <summary>GET: reads the field.</summary>
    public static BitFieldOp Get(bool signed, int bits, long offset) => new(BitFieldOpKind.Get, signed, bits, offset, 0, BitFieldOverflow.Wrap);

    /// <summary>SET: writes the field and returns its old value (nil when <paramref name="overflow"/> is FAIL and the value does not fit).</summary>
    public static BitFieldOp Set(bool signed, int bits, long offset, long value, BitFieldOverflow overflow = BitFieldOverflow.Wrap)
        => new(BitFieldOpKind.Set, signed, bits, offset, value, overflow);

    /// <summary>INCRBY: adds to the field and returns its new value (nil when <paramref name="overflow"/> is FAIL and it overflows).</summary>
    public static BitFieldOp IncrBy(bool signed, int bits, long offset, long increment, BitFieldOverflow overflow = BitFieldOverflow.Wrap)
        => new(BitFieldOpKind.IncrBy, signed, bits, offset, increment, overflow);

    /// <summary>Redis's error for an op it would refuse, or null: the type, then the offset.</summary>
    internal string? Validate()
        => !BitLimits.IsValidType(Signed, Bits) || Kind > BitFieldOpKind.IncrBy || Overflow > BitFieldOverflow.Fail ? BitLimits.BitFieldTypeError
            : !BitLimits.IsValidOffset(Offset) ? BitLimits.BitOffsetError
            : null;

    /// <summary>The last bit a SET or INCRBY touches.</summary>
    internal long LastBit => Offset + Bits - 1;

    internal void Write(Span<byte> destination)
    {
        destination[0] = (byte)Kind;
        destination[1] = Signed ? (byte)1 : (byte)0;
        destination[2] = (byte)Bits;
        destination[3] = (byte)Overflow;
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], Offset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], Value);
    }

    internal static BitFieldOp Read(ReadOnlySpan<byte> source)
        => new((BitFieldOpKind)source[0], source[1] != 0, source[2], BinaryPrimitives.ReadInt64LittleEndian(source[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[12..]), (BitFieldOverflow)source[3]);

    /// <summary>
    /// Parses BITFIELD's subcommands from argument <paramref name="first"/> on, as Redis does: each op's type, then
    /// offset, then value, errors in that order. Returns Redis's error, or null with the ops in
    /// <paramref name="ops"/> (which holds at least (count - first) / 3 + 1 slots).
    /// </summary>
    internal static string? Parse(CommandArgs args, int first, Span<BitFieldOp> ops, out int count)
    {
        count = 0;
        var overflow = BitFieldOverflow.Wrap;
        for (int j = first; j < args.Count; j++)
        {
            int remaining = args.Count - j - 1;
            ReadOnlySpan<byte> sub = args[j];
            BitFieldOpKind kind;
            if (ArgParser.Is(sub, "GET"u8) && remaining >= 2)
            {
                kind = BitFieldOpKind.Get;
            }
            else if (ArgParser.Is(sub, "SET"u8) && remaining >= 3)
            {
                kind = BitFieldOpKind.Set;
            }
            else if (ArgParser.Is(sub, "INCRBY"u8) && remaining >= 3)
            {
                kind = BitFieldOpKind.IncrBy;
            }
            else if (ArgParser.Is(sub, "OVERFLOW"u8) && remaining >= 1)
            {
                ReadOnlySpan<byte> name = args[++j];
                if (ArgParser.Is(name, "WRAP"u8))
                {
                    overflow = BitFieldOverflow.Wrap;
                }
                else if (ArgParser.Is(name, "SAT"u8))
                {
                    overflow = BitFieldOverflow.Sat;
                }
                else if (ArgParser.Is(name, "FAIL"u8))
                {
                    overflow = BitFieldOverflow.Fail;
                }
                else
                {
                    return BitLimits.OverflowTypeError;
                }

                continue;
            }
            else
            {
                return "ERR syntax error";
            }

            if (!TryParseType(args[j + 1], out bool signed, out int bits))
            {
                return BitLimits.BitFieldTypeError;
            }

            if (!TryParseOffset(args[j + 2], bits, out long offset))
            {
                return BitLimits.BitOffsetError;
            }

            long value = 0;
            if (kind != BitFieldOpKind.Get && !RedisNumbers.TryParseInt64(args[j + 3], out value))
            {
                return "ERR value is not an integer or out of range";
            }

            ops[count++] = new BitFieldOp(kind, signed, bits, offset, value, overflow);
            j += kind == BitFieldOpKind.Get ? 2 : 3;
        }

        return null;
    }

    /// <summary>
    /// True when the subcommands from argument <paramref name="first"/> on are GETs (and OVERFLOWs) only, walked
    /// as <see cref="Parse"/> walks them; false at the first other or malformed one.
    /// </summary>
    internal static bool OnlyGets(CommandArgs args, int first)
    {
        for (int j = first; j < args.Count;)
        {
            int remaining = args.Count - j - 1;
            if (ArgParser.Is(args[j], "GET"u8) && remaining >= 2)
            {
                j += 3;
            }
            else if (ArgParser.Is(args[j], "OVERFLOW"u8) && remaining >= 1)
            {
                j += 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Redis's getBitfieldTypeFromArgument: 'i' or 'u', then the width (the text ends at a NUL, as in C).</summary>
    private static bool TryParseType(ReadOnlySpan<byte> arg, out bool signed, out int bits)
    {
        bits = 0;
        signed = arg.Length > 0 && arg[0] == (byte)'i';
        if (arg.Length == 0 || (arg[0] != (byte)'i' && arg[0] != (byte)'u'))
        {
            return false;
        }

        ReadOnlySpan<byte> digits = arg[1..];
        int nul = digits.IndexOf((byte)0);
        if (nul >= 0)
        {
            digits = digits[..nul];
        }

        if (!RedisNumbers.TryParseInt64(digits, out long width) || !BitLimits.IsValidType(signed, width > 64 ? 65 : (int)Math.Max(width, 0)))
        {
            return false;
        }

        bits = (int)width;
        return true;
    }

    /// <summary>Redis's getBitOffsetFromArgument with '#': "#N" is N × <paramref name="bits"/> (wrapping like C's multiply).</summary>
    private static bool TryParseOffset(ReadOnlySpan<byte> arg, int bits, out long offset)
    {
        bool hash = arg.Length > 0 && arg[0] == (byte)'#';
        if (!RedisNumbers.TryParseInt64(hash ? arg[1..] : arg, out offset))
        {
            return false;
        }

        if (hash)
        {
            offset = unchecked(offset * bits);
        }

        return BitLimits.IsValidOffset(offset);
    }
}
