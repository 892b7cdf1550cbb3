namespace Kiwi.Core.Commands;

/// <summary>Argument helpers with Redis's rules.</summary>
internal static class ArgParser
{
    /// <summary>ASCII case-insensitive comparison with an upper-case literal.</summary>
    public static bool Is(ReadOnlySpan<byte> arg, ReadOnlySpan<byte> upper)
    {
        if (arg.Length != upper.Length)
        {
            return false;
        }

        for (int i = 0; i < arg.Length; i++)
        {
            byte c = arg[i];
            if (c is >= (byte)'a' and <= (byte)'z')
            {
                c -= 32;
            }

            if (c != upper[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Redis's strict integer parse (string2ll).</summary>
    public static bool TryInt64(ReadOnlySpan<byte> arg, out long value) => RedisNumbers.TryParseInt64(arg, out value);
}
