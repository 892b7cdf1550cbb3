using System.Numerics;
using System.Runtime.InteropServices;

namespace Kiwi.Core.Commands.Bits;

/// <summary>
/// Bit-level work on a string value as Redis sees it: bit 0 is the most significant bit of byte 0, and bits
/// past the end read as 0.
/// </summary>
internal static class Bitmap
{
    /// <summary>The bit at <paramref name="offset"/> (0 past the end).</summary>
    public static int GetBit(ReadOnlySpan<byte> value, long offset)
    {
        long index = offset >> 3;
        return index < value.Length ? (value[(int)index] >> (7 - (int)(offset & 7))) & 1 : 0;
    }

    /// <summary>Number of set bits in <paramref name="bytes"/>.</summary>
    public static long PopCount(ReadOnlySpan<byte> bytes)
    {
        long count = 0;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (ulong word in words)
        {
            count += BitOperations.PopCount(word);
        }

        for (int i = words.Length * 8; i < bytes.Length; i++)
        {
            count += BitOperations.PopCount(bytes[i]);
        }

        return count;
    }

    /// <summary>Number of set bits between bit <paramref name="first"/> and bit <paramref name="last"/> (inclusive, both in range).</summary>
    public static long PopCount(ReadOnlySpan<byte> value, long first, long last)
    {
        int firstByte = (int)(first >> 3);
        int lastByte = (int)(last >> 3);
        long count = PopCount(value[firstByte..(lastByte + 1)]);

        // Take away the bits of the edge bytes that lie outside the range.
        int before = (int)(first & 7);
        int after = 7 - (int)(last & 7);
        count -= BitOperations.PopCount((uint)(value[firstByte] >> (8 - before)) & ((1u << before) - 1));
        count -= BitOperations.PopCount(value[lastByte] & ((1u << after) - 1));
        return count;
    }

    /// <summary>The first bit equal to <paramref name="bit"/> between bits <paramref name="first"/> and <paramref name="last"/> (inclusive); -1 when none.</summary>
    public static long FindBit(ReadOnlySpan<byte> value, int bit, long first, long last)
    {
        long position = first;

        // Bit by bit up to a byte boundary, then whole bytes (8 at a time where possible), then bit by bit.
        while (position <= last && (position & 7) != 0)
        {
            if (GetBit(value, position) == bit)
            {
                return position;
            }

            position++;
        }

        byte skip = bit == 1 ? (byte)0 : (byte)0xFF;
        while (position + 63 <= last)
        {
            int index = (int)(position >> 3);
            ulong word = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value.Slice(index, 8));
            if (bit == 0)
            {
                word = ~word;
            }

            if (word != 0)
            {
                return position + BitOperations.LeadingZeroCount(word);
            }

            position += 64;
        }

        while (position + 7 <= last && value[(int)(position >> 3)] == skip)
        {
            position += 8;
        }

        while (position <= last)
        {
            if (GetBit(value, position) == bit)
            {
                return position;
            }

            position++;
        }

        return -1;
    }

    /// <summary>The <paramref name="bits"/>-wide unsigned field at bit <paramref name="offset"/> (bits past the end read as 0).</summary>
    public static ulong GetUnsigned(ReadOnlySpan<byte> value, long offset, int bits)
    {
        ulong result = 0;
        for (int j = 0; j < bits; j++)
        {
            result = (result << 1) | (uint)GetBit(value, offset + j);
        }

        return result;
    }

    /// <summary>The <paramref name="bits"/>-wide two's complement field at bit <paramref name="offset"/>.</summary>
    public static long GetSigned(ReadOnlySpan<byte> value, long offset, int bits)
    {
        ulong raw = GetUnsigned(value, offset, bits);
        if (bits < 64 && (raw & (1UL << (bits - 1))) != 0)
        {
            raw |= ulong.MaxValue << bits;
        }

        return (long)raw;
    }

    /// <summary>Writes the low <paramref name="bits"/> bits of <paramref name="field"/> at bit <paramref name="offset"/> (which must lie inside <paramref name="value"/>).</summary>
    public static void SetField(Span<byte> value, long offset, int bits, ulong field)
    {
        for (int j = 0; j < bits; j++)
        {
            long position = offset + j;
            int index = (int)(position >> 3);
            int mask = 1 << (7 - (int)(position & 7));
            if ((field & (1UL << (bits - 1 - j))) != 0)
            {
                value[index] = (byte)(value[index] | mask);
            }
            else
            {
                value[index] = (byte)(value[index] & ~mask);
            }
        }
    }
}
