using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands.Bits;

/// <summary>Runs BITFIELD ops on a string value with Redis's overflow arithmetic (bitops.c).</summary>
internal static class BitFieldRunner
{
    /// <summary>GET: the field's value (bits past the end read as 0).</summary>
    public static long Get(ReadOnlySpan<byte> value, in BitFieldOp op)
        => op.Signed ? Bitmap.GetSigned(value, op.Offset, op.Bits) : (long)Bitmap.GetUnsigned(value, op.Offset, op.Bits);

    /// <summary>Only GETs: writes the array of their values.</summary>
    public static void WriteGets(ReadOnlySpan<byte> value, ReadOnlySpan<BitFieldOp> ops, RespWriter writer)
    {
        writer.WriteArrayHeader(ops.Length);
        foreach (BitFieldOp op in ops)
        {
            writer.WriteInteger(Get(value, op));
        }
    }

    /// <summary>
    /// SET or INCRBY on <paramref name="value"/> (long enough for the field): false when OVERFLOW FAIL stops it
    /// (nothing written, the reply is nil); otherwise the reply (SET: old value, INCRBY: new value).
    /// </summary>
    public static bool Apply(Span<byte> value, in BitFieldOp op, out long reply)
    {
        if (op.Kind == BitFieldOpKind.Get)
        {
            reply = Get(value, op);
            return true;
        }

        if (op.Signed)
        {
            long old = Bitmap.GetSigned(value, op.Offset, op.Bits);
            long next;
            bool overflow;
            if (op.Kind == BitFieldOpKind.IncrBy)
            {
                overflow = CheckSigned(old, op.Value, op.Bits, op.Overflow, out long limit) != 0;
                next = overflow ? limit : unchecked(old + op.Value);
                reply = next;
            }
            else
            {
                next = op.Value;
                overflow = CheckSigned(next, 0, op.Bits, op.Overflow, out long limit) != 0;
                if (overflow)
                {
                    next = limit;
                }

                reply = old;
            }

            if (overflow && op.Overflow == BitFieldOverflow.Fail)
            {
                return false;
            }

            Bitmap.SetField(value, op.Offset, op.Bits, (ulong)next);
            return true;
        }
        else
        {
            ulong old = Bitmap.GetUnsigned(value, op.Offset, op.Bits);
            ulong next;
            bool overflow;
            if (op.Kind == BitFieldOpKind.IncrBy)
            {
                next = unchecked(old + (ulong)op.Value);
                overflow = CheckUnsigned(old, op.Value, op.Bits, op.Overflow, out ulong limit) != 0;
                if (overflow)
                {
                    next = limit;
                }

                reply = (long)next;
            }
            else
            {
                next = (ulong)op.Value;
                overflow = CheckUnsigned(next, 0, op.Bits, op.Overflow, out ulong limit) != 0;
                if (overflow)
                {
                    next = limit;
                }

                reply = (long)old;
            }

            if (overflow && op.Overflow == BitFieldOverflow.Fail)
            {
                return false;
            }

            Bitmap.SetField(value, op.Offset, op.Bits, next);
            return true;
        }
    }

    /// <summary>Redis's checkUnsignedBitfieldOverflow: 1 over, -1 under, 0 fits; <paramref name="limit"/> the wrapped or saturated value.</summary>
    private static int CheckUnsigned(ulong value, long increment, int bits, BitFieldOverflow overflow, out ulong limit)
    {
        ulong max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        long maxIncrement = unchecked((long)(max - value));
        long minIncrement = unchecked(-(long)value);
        limit = 0;
        int result;
        if (value > max || (increment > 0 && increment > maxIncrement))
        {
            result = 1;
            limit = max;
        }
        else if (increment < 0 && increment < minIncrement)
        {
            result = -1;
            limit = 0;
        }
        else
        {
            return 0;
        }

        if (overflow == BitFieldOverflow.Wrap)
        {
            ulong mask = bits == 64 ? 0 : ulong.MaxValue << bits;
            limit = unchecked(value + (ulong)increment) & ~mask;
        }

        return result;
    }

    /// <summary>Redis's checkSignedBitfieldOverflow: 1 over, -1 under, 0 fits; <paramref name="limit"/> the wrapped or saturated value.</summary>
    private static int CheckSigned(long value, long increment, int bits, BitFieldOverflow overflow, out long limit)
    {
        long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = unchecked((long)((ulong)max - (ulong)value));
        long minIncrement = unchecked(min - value);
        limit = 0;
        int result;
        if (value > max || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement))
        {
            result = 1;
            limit = max;
        }
        else if (value < min || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement))
        {
            result = -1;
            limit = min;
        }
        else
        {
            return 0;
        }

        if (overflow == BitFieldOverflow.Wrap)
        {
            ulong sum = unchecked((ulong)value + (ulong)increment);
            if (bits < 64)
            {
                ulong mask = ulong.MaxValue << bits;
                sum = (sum & (1UL << (bits - 1))) != 0 ? sum | mask : sum & ~mask;
            }

            limit = (long)sum;
        }

        return result;
    }
}
