using System.Buffers;

namespace Kiwi.Core.Commands.Bits;

/// <summary>One match of LCS ... IDX: a range of the first string, the equal range of the second, and its length.</summary>
/// <param name="AStart">First byte of the match in the first string.</param>
/// <param name="AEnd">Last byte of the match in the first string.</param>
/// <param name="BStart">First byte of the match in the second string.</param>
/// <param name="BEnd">Last byte of the match in the second string.</param>
/// <param name="Length">Bytes in the match.</param>
public readonly record struct LcsMatch(long AStart, long AEnd, long BStart, long BEnd, long Length);

/// <summary>
/// Redis's LCS (t_string.c): the classic dynamic-programming table and its walk back from the end, so the string
/// and the match ranges are exactly Redis's when several answers are equally long. The table is refused, as Redis
/// refuses it, when it would take more than 512 MB (proto-max-bulk-len).
/// </summary>
internal static class Lcs
{
    public const string TooLargeError = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    public const string WrongTypeError = "ERR The specified keys must contain string values";
    public const string LenAndIdxError = "ERR If you want both the length and indexes, please just use IDX.";

    /// <summary>Tables up to this many cells are rented; larger ones are allocated for the call.</summary>
    private const int MaxPooledCells = 1 << 20;

    /// <summary>True when the table for strings of these lengths stays within Redis's limit.</summary>
    public static bool Fits(int aLength, int bLength)
        => ((long)aLength + 1) * ((long)bLength + 1) * sizeof(uint) <= Limits.MaxStringLength;

    /// <summary>The length of the longest common subsequence (two table rows only).</summary>
    public static int Length(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint[] rows = ArrayPool<uint>.Shared.Rent(2 * (b.Length + 1));
        try
        {
            Span<uint> previous = rows.AsSpan(0, b.Length + 1);
            Span<uint> current = rows.AsSpan(b.Length + 1, b.Length + 1);
            previous.Clear();
            current[0] = 0;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
                }

                Span<uint> swap = previous;
                previous = current;
                current = swap;
            }

            return (int)previous[b.Length];
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rows);
        }
    }

    /// <summary>
    /// The common subsequence (into <paramref name="text"/>, when given, of the returned length) and the matches of
    /// at least <paramref name="minMatchLength"/> bytes from the end backwards (into <paramref name="matches"/>, when
    /// given). Call <see cref="Fits"/> first.
    /// </summary>
    public static int Solve(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, long minMatchLength, Span<byte> text, List<LcsMatch>? matches, bool wantText)
    {
        int width = b.Length + 1;
        long cells = ((long)a.Length + 1) * width;
        uint[] table = cells <= MaxPooledCells ? ArrayPool<uint>.Shared.Rent((int)cells) : GC.AllocateUninitializedArray<uint>((int)cells);
        try
        {
            for (int j = 0; j < width; j++)
            {
                table[j] = 0;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                int row = i * width;
                int above = row - width;
                table[row] = 0;
                byte ai = a[i - 1];
                for (int j = 1; j < width; j++)
                {
                    table[row + j] = ai == b[j - 1] ? table[above + j - 1] + 1 : Math.Max(table[above + j], table[row + j - 1]);
                }
            }

            int length = (int)table[(a.Length * width) + b.Length];
            if (wantText || matches is not null)
            {
                WalkBack(a, b, table, width, length, minMatchLength, text, matches);
            }

            return length;
        }
        finally
        {
            if (cells <= MaxPooledCells)
            {
                ArrayPool<uint>.Shared.Return(table);
            }
        }
    }

    private static void WalkBack(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, uint[] table, int width, int length, long minMatchLength, Span<byte> text, List<LcsMatch>? matches)
    {
        int index = length;
        int i = a.Length;
        int j = b.Length;
        int aLength = a.Length;
        int aStart = aLength, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0)
        {
            bool emit = false;
            if (a[i - 1] == b[j - 1])
            {
                if (!text.IsEmpty)
                {
                    text[index - 1] = a[i - 1];
                }

                if (aStart == aLength)
                {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                }
                else if (aStart == i && bStart == j)
                {
                    aStart--;
                    bStart--;
                }
                else
                {
                    emit = true;
                }

                if (aStart == 0 || bStart == 0)
                {
                    emit = true;
                }

                index--;
                i--;
                j--;
            }
            else
            {
                uint up = table[((i - 1) * width) + j];
                uint left = table[(i * width) + j - 1];
                if (up > left)
                {
                    i--;
                }
                else
                {
                    j--;
                }

                if (aStart != aLength)
                {
                    emit = true;
                }
            }

            if (emit)
            {
                long matchLength = aEnd - aStart + 1;
                if (matches is not null && (minMatchLength == 0 || matchLength >= minMatchLength))
                {
                    matches.Add(new LcsMatch(aStart, aEnd, bStart, bEnd, matchLength));
                }

                aStart = aLength;
            }
        }
    }
}
