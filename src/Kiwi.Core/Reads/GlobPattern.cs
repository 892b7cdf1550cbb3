namespace Kiwi.Core.Reads;

/// <summary>Redis's glob matching (<c>stringmatchlen</c>): *, ?, [abc], [^a], [a-z], and \ escapes.</summary>
public static class GlobPattern
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
        => Match(pattern, text, ignoreCase, 0);

    /// <summary>True for the pattern "*", which matches everything.</summary>
    public static bool MatchesAll(ReadOnlySpan<byte> pattern) => pattern.Length == 1 && pattern[0] == (byte)'*';

    private static bool Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s, bool nocase, int depth)
    {
        // Redis bounds the recursion the same way to stop pathological patterns.
        if (depth > 1000)
        {
            return false;
        }

        while (p.Length > 0 && s.Length > 0)
        {
            switch (p[0])
            {
                case (byte)'*':
                    while (p.Length > 1 && p[1] == (byte)'*')
                    {
                        p = p[1..];
                    }

                    if (p.Length == 1)
                    {
                        return true;
                    }

                    while (s.Length > 0)
                    {
                        if (Match(p[1..], s, nocase, depth + 1))
                        {
                            return true;
                        }

                        s = s[1..];
                    }

                    return false;
                case (byte)'?':
                    s = s[1..];
                    break;
                case (byte)'[':
                    if (!MatchClass(ref p, s[0], nocase))
                    {
                        return false;
                    }

                    s = s[1..];
                    break;
                case (byte)'\\' when p.Length >= 2:
                    p = p[1..];
                    if (!Same(p[0], s[0], nocase))
                    {
                        return false;
                    }

                    s = s[1..];
                    break;
                default:
                    if (!Same(p[0], s[0], nocase))
                    {
                        return false;
                    }

                    s = s[1..];
                    break;
            }

            p = p[1..];
            if (s.Length == 0)
            {
                while (p.Length > 0 && p[0] == (byte)'*')
                {
                    p = p[1..];
                }

                break;
            }
        }

        return p.Length == 0 && s.Length == 0;
    }

    /// <summary>Matches one character against a [class]; leaves <paramref name="p"/> on the closing bracket.</summary>
    private static bool MatchClass(ref ReadOnlySpan<byte> p, byte c, bool nocase)
    {
        p = p[1..];
        bool not = p.Length > 0 && p[0] == (byte)'^';
        if (not)
        {
            p = p[1..];
        }

        bool match = false;
        while (true)
        {
            if (p.Length == 0)
            {
                // Unterminated class: Redis treats the end of the pattern as the closing bracket.
                p = "]"u8;
                break;
            }

            if (p[0] == (byte)'\\' && p.Length >= 2)
            {
                p = p[1..];
                match |= Same(p[0], c, nocase);
            }
            else if (p[0] == (byte)']')
            {
                break;
            }
            else if (p.Length >= 3 && p[1] == (byte)'-')
            {
                byte start = p[0];
                byte end = p[2];
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

                p = p[2..];
                match |= cc >= start && cc <= end;
            }
            else
            {
                match |= Same(p[0], c, nocase);
            }

            p = p[1..];
        }

        return not ? !match : match;
    }

    private static bool Same(byte a, byte b, bool nocase) => a == b || (nocase && Lower(a) == Lower(b));

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
}
