namespace Kiwi.Core.Tests.Reads;

/// <summary>
/// The reference model: the recursive port of Redis's <c>stringmatchlen</c> that GlobPattern used to be (without
/// Redis 7's skip flag, so exponential on some patterns: only for small inputs). One change from that port, to
/// follow Redis exactly: an escaped byte inside a [class] is compared case-sensitively even with nocase.
/// </summary>
internal static class RecursiveGlob
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
        => Match(pattern, text, ignoreCase, 0);

    private static bool Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s, bool nocase, int depth)
    {
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
                p = "]"u8;
                break;
            }

            if (p[0] == (byte)'\\' && p.Length >= 2)
            {
                p = p[1..];
                match |= p[0] == c;
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
