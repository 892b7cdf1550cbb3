namespace Kiwi.Core.Commands.Sort;

/// <summary>
/// The options of SORT and SORT_RO (Redis 7.0's sortCommandGeneric): BY, LIMIT, GET, ASC|DESC, ALPHA and (SORT only)
/// STORE, parsed in Redis's order with its error texts. The writer parses a SORT ... STORE entry's arguments again.
/// </summary>
internal sealed class SortOptions
{
    /// <summary>DESC was given last (else ASC).</summary>
    public bool Descending { get; private set; }

    /// <summary>ALPHA: byte-wise compare instead of numbers.</summary>
    public bool Alpha { get; private set; }

    /// <summary>LIMIT offset (0 when not given).</summary>
    public long LimitStart { get; private set; }

    /// <summary>LIMIT count (-1 when not given: all).</summary>
    public long LimitCount { get; private set; } = -1;

    /// <summary>The last BY pattern, or null.</summary>
    public byte[]? By { get; private set; }

    /// <summary>A BY pattern without <c>*</c> was given: no sorting.</summary>
    public bool DontSort { get; private set; }

    /// <summary>The GET patterns, in order.</summary>
    public List<byte[]> Gets { get; } = [];

    /// <summary>STORE destination, or null.</summary>
    public byte[]? Store { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/> (the options after the key); null when valid, else the error text. STORE is a
    /// syntax error when <paramref name="readOnly"/> (SORT_RO).
    /// </summary>
    public static SortOptions? TryParse<TArgs>(TArgs args, bool readOnly, out ReadOnlySpan<byte> error)
        where TArgs : IEntryArgs, allows ref struct
    {
        var options = new SortOptions();
        error = default;
        for (int j = 0; j < args.Count; j++)
        {
            int left = args.Count - j - 1;
            ReadOnlySpan<byte> arg = args[j];
            if (ArgParser.Is(arg, "ASC"u8))
            {
                options.Descending = false;
            }
            else if (ArgParser.Is(arg, "DESC"u8))
            {
                options.Descending = true;
            }
            else if (ArgParser.Is(arg, "ALPHA"u8))
            {
                options.Alpha = true;
            }
            else if (ArgParser.Is(arg, "LIMIT"u8) && left >= 2)
            {
                if (!ArgParser.TryInt64(args[j + 1], out long start) || !ArgParser.TryInt64(args[j + 2], out long count))
                {
                    error = "ERR value is not an integer or out of range"u8;
                    return null;
                }

                options.LimitStart = start;
                options.LimitCount = count;
                j += 2;
            }
            else if (!readOnly && ArgParser.Is(arg, "STORE"u8) && left >= 1)
            {
                options.Store = args[++j].ToArray();
            }
            else if (ArgParser.Is(arg, "BY"u8) && left >= 1)
            {
                options.By = args[++j].ToArray();
                if (options.By.AsSpan().IndexOf((byte)'*') < 0)
                {
                    options.DontSort = true;
                }
            }
            else if (ArgParser.Is(arg, "GET"u8) && left >= 1)
            {
                options.Gets.Add(args[++j].ToArray());
            }
            else
            {
                error = "ERR syntax error"u8;
                return null;
            }
        }

        return options;
    }
}
