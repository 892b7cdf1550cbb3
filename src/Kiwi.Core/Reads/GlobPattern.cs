namespace Kiwi.Core.Reads;

/// <summary>
/// Redis's glob matching (<c>stringmatchlen</c>): *, ?, [abc], [^a], [a-z], and \ escapes, with Redis's answer
/// for every pattern, including its quirks. Iterative, with one backtrack point (the last '*'): at worst
/// O(pattern × text), where Redis's recursive form without its skip flag was exponential.
/// </summary>
internal static class GlobPattern
{
    /// <summary>
    /// Redis gives up below this many nested '*' (<c>nesting &gt; 1000</c>): each group of stars that still has
    /// pattern after it is one level, so a pattern whose 1001st such group is reached matches nothing.
    /// </summary>
    private const int MaxStarGroups = 1000;

    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
        => IsMatch(pattern, text, ignoreCase, CancellationToken.None);

    /// <summary>
    /// True when <paramref name="text"/> matches <paramref name="pattern"/>; a long match (a large key and pattern,
    /// up to pattern × text steps) stops when <paramref name="cancellation"/> fires.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired during the match.</exception>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, CancellationToken cancellation)
    {
        if (text.IsEmpty)
        {
            // Redis's loop never starts on an empty string: only the empty pattern matches it, not even "*".
            return pattern.IsEmpty;
        }

        int p = 0;
        int s = 0;
        int backtrackP = -1;
        int backtrackS = 0;
        int starGroups = 0;
        while (s < text.Length)
        {
            if (p < pattern.Length && pattern[p] == (byte)'*')
            {
                while (p < pattern.Length && pattern[p] == (byte)'*')
                {
                    p++;
                }

                if (p == pattern.Length)
                {
                    return true;
                }

                if (++starGroups > MaxStarGroups)
                {
                    // Every match has to pass this group with text left, where Redis stops recursing.
                    return false;
                }

                // Let the stars take nothing first; each mismatch after them gives them one more byte.
                backtrackP = p;
                backtrackS = s;
                continue;
            }

            int next = p < pattern.Length ? MatchOne(pattern, p, text[s], ignoreCase) : -1;
            if (next >= 0)
            {
                p = next;
                s++;
                continue;
            }

            if (backtrackP < 0)
            {
                return false;
            }

            // Only the last '*' needs to grow: a later start for the pattern after it covers every longer
            // match of earlier stars, which is why one backtrack point keeps this polynomial.
            p = backtrackP;
            s = ++backtrackS;

            // A look at the token per backtrack (a volatile read) bounds the time to stop by one pass over the
            // pattern after the star, whatever the sizes.
            cancellation.ThrowIfCancellationRequested();
        }

        while (p < pattern.Length && pattern[p] == (byte)'*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>True for the pattern "*", which matches everything.</summary>
    public static bool MatchesAll(ReadOnlySpan<byte> pattern) => pattern.Length == 1 && pattern[0] == (byte)'*';

    /// <summary>
    /// Matches one byte against the element at <paramref name="p"/> (not a '*'): '?', a [class], an escape or a
    /// literal. Returns the index after the element, or -1 when the byte does not match.
    /// </summary>
    private static int MatchOne(ReadOnlySpan<byte> pattern, int p, byte c, bool nocase)
    {
        switch (pattern[p])
        {
            case (byte)'?':
                return p + 1;
            case (byte)'[':
                return MatchClass(pattern, p + 1, c, nocase);
            case (byte)'\\' when p + 1 < pattern.Length:
                return Same(pattern[p + 1], c, nocase) ? p + 2 : -1;
            default:
                // A '\' at the very end is a literal backslash, as in Redis.
                return Same(pattern[p], c, nocase) ? p + 1 : -1;
        }
    }

    /// <summary>
    /// Matches one byte against the class starting at <paramref name="i"/> (after its '['). Returns the index
    /// after the closing ']' (the end of the pattern when there is none), or -1 when the byte does not match.
    /// </summary>
    private static int MatchClass(ReadOnlySpan<byte> pattern, int i, byte c, bool nocase)
    {
        bool not = i < pattern.Length && pattern[i] == (byte)'^';
        if (not)
        {
            i++;
        }

        bool match = false;
        while (true)
        {
            if (i >= pattern.Length)
            {
                // Unterminated class: Redis treats the end of the pattern as the closing bracket.
                break;
            }

            byte b = pattern[i];
            if (b == (byte)'\\' && pattern.Length - i >= 2)
            {
                // Redis compares an escaped byte in a class exactly, even when ignoring case.
                match |= pattern[i + 1] == c;
                i += 2;
            }
            else if (b == (byte)']')
            {
                i++;
                break;
            }
            else if (pattern.Length - i >= 3 && pattern[i + 1] == (byte)'-')
            {
                // The end of a range may be ']' or '\': Redis takes the byte as it is, and the class goes on.
                byte start = b;
                byte end = pattern[i + 2];
                if (start > end)
                {
                    (start, end) = (end, start);
                }

                byte cc = c;
                if (nocase)
                {
                    start = Lower(start);
                    end = Lower(end);
                    cc = Lower(cc);
                }

                match |= cc >= start && cc <= end;
                i += 3;
            }
            else
            {
                match |= Same(b, c, nocase);
                i++;
            }
        }

        return match != not ? i : -1;
    }

    private static bool Same(byte a, byte b, bool nocase) => a == b || (nocase && Lower(a) == Lower(b));

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
}
