namespace Kiwi.Core.Commands.Bits;

/// <summary>BITCOUNT's and BITPOS's range rules (Redis 7.0): the [start, end] of a value as inclusive bit positions.</summary>
internal static class BitRange
{
    /// <summary>BITCOUNT key [start end [BYTE|BIT]] on an existing value: the number of set bits.</summary>
    public static long Count(ReadOnlySpan<byte> value, bool whole, long start, long end, BitUnit unit)
    {
        if (whole)
        {
            return Bitmap.PopCount(value);
        }

        if (start < 0 && end < 0 && start > end)
        {
            return 0;
        }

        return Resolve(value.Length, start, end, unit, out long first, out long last) ? Bitmap.PopCount(value, first, last) : 0;
    }

    /// <summary>
    /// BITPOS key bit [start [end [BYTE|BIT]]] on an existing value: the first bit equal to <paramref name="bit"/>, or
    /// -1. Looking for a 0 without an explicit end treats the value as padded with zeros on the right.
    /// </summary>
    public static long Position(ReadOnlySpan<byte> value, int bit, long start, long? end, BitUnit unit)
    {
        long length = value.Length;
        if (!Resolve(length, start, end ?? (length - 1), unit, out long first, out long last))
        {
            return -1;
        }

        long found = Bitmap.FindBit(value, bit, first, last);
        if (found >= 0 || bit == 1 || end is not null)
        {
            return found;
        }

        return last + 1;
    }

    /// <summary>Redis's index rules: negative from the end, clamped; false for an empty range.</summary>
    private static bool Resolve(long length, long start, long end, BitUnit unit, out long first, out long last)
    {
        long total = unit == BitUnit.Bit ? length * 8 : length;
        if (start < 0)
        {
            start = total + start;
        }

        if (end < 0)
        {
            end = total + end;
        }

        if (start < 0)
        {
            start = 0;
        }

        if (end < 0)
        {
            end = 0;
        }

        if (end >= total)
        {
            end = total - 1;
        }

        if (start > end)
        {
            first = last = 0;
            return false;
        }

        (first, last) = unit == BitUnit.Bit ? (start, end) : (start * 8, (end * 8) + 7);
        return true;
    }
}
