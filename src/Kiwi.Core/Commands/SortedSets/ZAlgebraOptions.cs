namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// The arguments of ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD (numkeys key [key ...] [WEIGHTS ...]
/// [AGGREGATE ...] [WITHSCORES] [LIMIT n]), read as Redis 7.0's <c>zunionInterDiffGenericCommand</c> does. Errors
/// in the options are "late": Redis reports them only after every key was found to be a set or a sorted set.
/// </summary>
internal ref struct ZAlgebraOptions
{
    /// <summary>The index of the first key.</summary>
    public int FirstKey;

    /// <summary>How many keys.</summary>
    public int KeyCount;

    /// <summary>The index of the first weight (0: no WEIGHTS).</summary>
    public int FirstWeight;

    /// <summary>AGGREGATE.</summary>
    public ZAggregate Aggregate;

    /// <summary>WITHSCORES.</summary>
    public bool WithScores;

    /// <summary>ZINTERCARD's LIMIT (0: none).</summary>
    public long Limit;

    /// <summary>The error to reply once the keys' types are checked (empty: none).</summary>
    public ReadOnlySpan<byte> LateError;

    /// <summary>
    /// Reads <paramref name="args"/> from numkeys (at <paramref name="numKeysIndex"/>) on. Returns the error Redis
    /// replies before it looks at any key (empty: none); <paramref name="noKeys"/> is the command's
    /// "at least 1 input key is needed" line.
    /// </summary>
    public static ReadOnlySpan<byte> Parse<TArgs>(TArgs args, int numKeysIndex, SetOperation op, bool store, bool cardinality, ReadOnlySpan<byte> noKeys, out ZAlgebraOptions options)
        where TArgs : IEntryArgs, allows ref struct
    {
        options = default;
        if (!ArgParser.TryInt64(args[numKeysIndex], out long numKeys))
        {
            return "ERR value is not an integer or out of range"u8;
        }

        if (numKeys < 1)
        {
            return noKeys;
        }

        if (numKeys > args.Count - numKeysIndex - 1)
        {
            return "ERR syntax error"u8;
        }

        options.FirstKey = numKeysIndex + 1;
        options.KeyCount = (int)numKeys;
        int j = options.FirstKey + options.KeyCount;
        while (j < args.Count)
        {
            int remaining = args.Count - j;
            ReadOnlySpan<byte> arg = args[j];
            if (op != SetOperation.Diff && !cardinality && remaining >= numKeys + 1 && ArgParser.Is(arg, "WEIGHTS"u8))
            {
                options.FirstWeight = j + 1;
                for (int i = 0; i < numKeys; i++)
                {
                    if (!ZScore.TryParse(args[j + 1 + i], out _))
                    {
                        options.LateError = "ERR weight value is not a float"u8;
                        return default;
                    }
                }

                j += 1 + (int)numKeys;
            }
            else if (op != SetOperation.Diff && !cardinality && remaining >= 2 && ArgParser.Is(arg, "AGGREGATE"u8))
            {
                ReadOnlySpan<byte> name = args[j + 1];
                if (ArgParser.Is(name, "SUM"u8))
                {
                    options.Aggregate = ZAggregate.Sum;
                }
                else if (ArgParser.Is(name, "MIN"u8))
                {
                    options.Aggregate = ZAggregate.Min;
                }
                else if (ArgParser.Is(name, "MAX"u8))
                {
                    options.Aggregate = ZAggregate.Max;
                }
                else
                {
                    options.LateError = "ERR syntax error"u8;
                    return default;
                }

                j += 2;
            }
            else if (!store && !cardinality && ArgParser.Is(arg, "WITHSCORES"u8))
            {
                options.WithScores = true;
                j++;
            }
            else if (cardinality && remaining >= 2 && ArgParser.Is(arg, "LIMIT"u8))
            {
                if (!ArgParser.TryInt64(args[j + 1], out options.Limit) || options.Limit < 0)
                {
                    options.LateError = "ERR LIMIT can't be negative"u8;
                    return default;
                }

                j += 2;
            }
            else
            {
                options.LateError = "ERR syntax error"u8;
                return default;
            }
        }

        return default;
    }
}
