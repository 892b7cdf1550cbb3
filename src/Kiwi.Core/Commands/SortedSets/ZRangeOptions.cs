namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// The arguments of ZRANGE and its older forms (ZRANGEBYSCORE, ZREVRANGE, ZRANGEBYLEX, ... and ZRANGESTORE), read
/// as Redis 7.0's <c>zrangeGenericCommand</c> reads them, with its exact errors and their order.
/// </summary>
internal ref struct ZRangeOptions
{
    /// <summary>How the range is given.</summary>
    public ZRangeKind Kind;

    /// <summary>Highest first.</summary>
    public bool Reverse;

    /// <summary>WITHSCORES.</summary>
    public bool WithScores;

    /// <summary>LIMIT's offset (0 without one).</summary>
    public long Offset;

    /// <summary>LIMIT's count (-1: all).</summary>
    public long Limit;

    /// <summary>The low bound as given (after REV's swap for scores and members): a rank, a score or a member bound.</summary>
    public ReadOnlySpan<byte> Min;

    /// <summary>The high bound as given.</summary>
    public ReadOnlySpan<byte> Max;

    /// <summary>Rank form: the start.</summary>
    public long Start;

    /// <summary>Rank form: the stop.</summary>
    public long Stop;

    /// <summary>
    /// Reads <paramref name="args"/>[first] and [first+1] as the range and the options after them.
    /// <paramref name="kind"/> and <paramref name="reverse"/> are the command's own (null: ZRANGE's options decide).
    /// Returns Redis's error line, or an empty span when the arguments are good.
    /// </summary>
    public static ReadOnlySpan<byte> Parse<TArgs>(TArgs args, int first, ZRangeKind? kind, bool? reverse, bool store, out ZRangeOptions options)
        where TArgs : IEntryArgs, allows ref struct
    {
        options = default;
        options.Limit = -1;
        for (int j = first + 2; j < args.Count; j++)
        {
            int left = args.Count - j - 1;
            ReadOnlySpan<byte> arg = args[j];
            if (!store && ArgParser.Is(arg, "WITHSCORES"u8))
            {
                options.WithScores = true;
            }
            else if (ArgParser.Is(arg, "LIMIT"u8) && left >= 2)
            {
                if (!ArgParser.TryInt64(args[j + 1], out options.Offset) || !ArgParser.TryInt64(args[j + 2], out options.Limit))
                {
                    return "ERR value is not an integer or out of range"u8;
                }

                j += 2;
            }
            else if (reverse is null && ArgParser.Is(arg, "REV"u8))
            {
                reverse = true;
            }
            else if (kind is null && ArgParser.Is(arg, "BYLEX"u8))
            {
                kind = ZRangeKind.Lex;
            }
            else if (kind is null && ArgParser.Is(arg, "BYSCORE"u8))
            {
                kind = ZRangeKind.Score;
            }
            else
            {
                return "ERR syntax error"u8;
            }
        }

        options.Kind = kind ?? ZRangeKind.Rank;
        options.Reverse = reverse ?? false;
        if (options.Limit != -1 && options.Kind == ZRangeKind.Rank)
        {
            return "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"u8;
        }

        if (options.WithScores && options.Kind == ZRangeKind.Lex)
        {
            return "ERR syntax error, WITHSCORES not supported in combination with BYLEX"u8;
        }

        bool swap = options.Reverse && options.Kind != ZRangeKind.Rank;
        options.Min = args[swap ? first + 1 : first];
        options.Max = args[swap ? first : first + 1];
        switch (options.Kind)
        {
            case ZRangeKind.Rank:
                if (!ArgParser.TryInt64(options.Min, out options.Start) || !ArgParser.TryInt64(options.Max, out options.Stop))
                {
                    return "ERR value is not an integer or out of range"u8;
                }

                break;
            case ZRangeKind.Score:
                if (!ZScoreRange.TryParse(options.Min, options.Max, out _))
                {
                    return "ERR min or max is not a float"u8;
                }

                break;
            default:
                if (!ZLexRange.TryParse(options.Min, options.Max, out _))
                {
                    return "ERR min or max not valid string range item"u8;
                }

                break;
        }

        return default;
    }
}
