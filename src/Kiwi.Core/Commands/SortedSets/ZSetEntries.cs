using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// The one encoder of each sorted-set write, shared by the RESP handlers and <see cref="KiwiSortedSets"/>: Redis's
/// checks with its exact error lines (scores parsed here, once: the entry carries them as 8-byte doubles), then the
/// entry the writer applies (<see cref="ZSetWrites"/>).
/// </summary>
internal static class ZSetEntries
{
    /// <summary>ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]: <paramref name="args"/> from the options on.</summary>
    public static EncodedEntry Add<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs args)
        where TArgs : IEntryArgs, allows ref struct
    {
        ZAddFlags flags = ZAddFlags.None;
        int scoreIndex = 0;
        for (; scoreIndex < args.Count; scoreIndex++)
        {
            ReadOnlySpan<byte> option = args[scoreIndex];
            ZAddFlags flag = ArgParser.Is(option, "NX"u8) ? ZAddFlags.Nx
                : ArgParser.Is(option, "XX"u8) ? ZAddFlags.Xx
                : ArgParser.Is(option, "CH"u8) ? ZAddFlags.Ch
                : ArgParser.Is(option, "INCR"u8) ? ZAddFlags.Incr
                : ArgParser.Is(option, "GT"u8) ? ZAddFlags.Gt
                : ArgParser.Is(option, "LT"u8) ? ZAddFlags.Lt
                : ZAddFlags.None;
            if (flag == ZAddFlags.None)
            {
                break;
            }

            flags |= flag;
        }

        int elements = args.Count - scoreIndex;
        if (elements == 0 || elements % 2 != 0)
        {
            return EncodedEntry.Refused("ERR syntax error"u8);
        }

        if ((flags & (ZAddFlags.Nx | ZAddFlags.Xx)) == (ZAddFlags.Nx | ZAddFlags.Xx))
        {
            return EncodedEntry.Refused("ERR XX and NX options at the same time are not compatible"u8);
        }

        bool nx = (flags & ZAddFlags.Nx) != 0;
        bool gt = (flags & ZAddFlags.Gt) != 0;
        bool lt = (flags & ZAddFlags.Lt) != 0;
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            return EncodedEntry.Refused("ERR GT, LT, and/or NX options at the same time are not compatible"u8);
        }

        if ((flags & ZAddFlags.Incr) != 0 && elements > 2)
        {
            return EncodedEntry.Refused("ERR INCR option supports a single increment-element pair"u8);
        }

        for (int i = scoreIndex; i < args.Count; i += 2)
        {
            if (!ZScore.TryParse(args[i], out _))
            {
                return EncodedEntry.Refused("ERR value is not a valid float"u8);
            }
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZAdd, (byte)flags, target.Database, 1 + elements);
        CommandFormat.AddArg(request.Payload, key);
        Span<byte> score = stackalloc byte[8];
        for (int i = scoreIndex; i < args.Count; i += 2)
        {
            ZScore.TryParse(args[i], out double value);
            ZSetKeys.WriteScoreValue(score, value);
            CommandFormat.AddArg(request.Payload, score);
            CommandFormat.AddArg(request.Payload, args[i + 1]);
        }

        return EncodedEntry.Ready(request);
    }

    /// <summary>ZADD with typed pairs (the embedded API): <paramref name="flags"/> already consistent.</summary>
    public static EncodedEntry Add(EntryTarget target, ZAddFlags flags, ReadOnlySpan<byte> key, double score, ReadOnlySpan<byte> member)
    {
        if (double.IsNaN(score))
        {
            return EncodedEntry.Refused("ERR value is not a valid float"u8);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZAdd, (byte)flags, target.Database, 3);
        CommandFormat.AddArg(request.Payload, key);
        Span<byte> bytes = stackalloc byte[8];
        ZSetKeys.WriteScoreValue(bytes, score);
        CommandFormat.AddArg(request.Payload, bytes);
        CommandFormat.AddArg(request.Payload, member);
        return EncodedEntry.Ready(request);
    }

    /// <summary>ZINCRBY key increment member.</summary>
    public static EncodedEntry IncrBy(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> increment, ReadOnlySpan<byte> member)
        => ZScore.TryParse(increment, out double value)
            ? Add(target, ZAddFlags.Incr, key, value, member)
            : EncodedEntry.Refused("ERR value is not a valid float"u8);

    /// <summary>ZREM key member [member ...].</summary>
    public static EncodedEntry Remove<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs members)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (members.Count == 0)
        {
            return EncodedEntry.Refused("ERR wrong number of arguments for 'zrem' command"u8);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZRem, 0, target.Database, 1 + members.Count);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArgs(request.Payload, members);
        return EncodedEntry.Ready(request);
    }

    /// <summary>ZPOPMIN/ZPOPMAX key [count] (<paramref name="count"/> -1: none given).</summary>
    public static EncodedEntry Pop(EntryTarget target, ReadOnlySpan<byte> key, bool max, long count)
    {
        if (count < -1)
        {
            return EncodedEntry.Refused("ERR value is out of range, must be positive"u8);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZPop, max ? (byte)ZPopFlags.Max : (byte)0, target.Database, 1, count);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    /// <summary>ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: <paramref name="args"/> from numkeys on.</summary>
    public static EncodedEntry MultiPop<TArgs>(EntryTarget target, TArgs args)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (!TryParseMultiPop(args, out int numKeys, out bool max, out long count, out ReadOnlySpan<byte> error))
        {
            return EncodedEntry.Refused(error);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZPop, (byte)(ZPopFlags.Multi | (max ? ZPopFlags.Max : ZPopFlags.Min)), target.Database, numKeys, count);
        for (int i = 1; i <= numKeys; i++)
        {
            CommandFormat.AddArg(request.Payload, args[i]);
        }

        return EncodedEntry.Ready(request);
    }

    /// <summary>
    /// The options of ZMPOP and BZMPOP (<paramref name="args"/> from numkeys on), checked as Redis does: the number of
    /// keys, MIN|MAX, then COUNT (1 when not given). False with the error text.
    /// </summary>
    public static bool TryParseMultiPop<TArgs>(TArgs args, out int numKeys, out bool max, out long count, out ReadOnlySpan<byte> error)
        where TArgs : IEntryArgs, allows ref struct
    {
        max = false;
        count = 1;
        numKeys = 0;
        error = "ERR syntax error"u8;
        if (!ArgParser.TryInt64(args[0], out long keys) || keys < 1)
        {
            error = "ERR numkeys should be greater than 0"u8;
            return false;
        }

        long where = keys + 1;
        if (where >= args.Count)
        {
            return false;
        }

        max = ArgParser.Is(args[(int)where], "MAX"u8);
        if (!max && !ArgParser.Is(args[(int)where], "MIN"u8))
        {
            return false;
        }

        bool counted = false;
        for (int j = (int)where + 1; j < args.Count; j++)
        {
            if (!counted && ArgParser.Is(args[j], "COUNT"u8) && j + 1 < args.Count)
            {
                j++;
                counted = true;
                if (!ArgParser.TryInt64(args[j], out count) || count < 1)
                {
                    error = "ERR count should be greater than 0"u8;
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        numKeys = (int)keys;
        return true;
    }

    /// <summary>
    /// The multi-key pop over <paramref name="keys"/> (ZMPOP, or a blocked pop's attempt with <see cref="ZPopFlags.Retry"/>
    /// and <see cref="ZPopFlags.SingleReply"/>): the first sorted set found is popped.
    /// </summary>
    public static EncodedEntry MultiPop<TArgs>(EntryTarget target, TArgs keys, ZPopFlags flags, long count)
        where TArgs : IEntryArgs, allows ref struct
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZPop, (byte)(flags | ZPopFlags.Multi), target.Database, keys.Count, count);
        CommandFormat.AddArgs(request.Payload, keys);
        return EncodedEntry.Ready(request);
    }

    /// <summary>ZREMRANGEBYRANK/ZREMRANGEBYSCORE/ZREMRANGEBYLEX key min max.</summary>
    public static EncodedEntry RemoveRange(EntryTarget target, ZRangeKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> min, ReadOnlySpan<byte> max)
    {
        bool valid = kind switch
        {
            ZRangeKind.Rank => ArgParser.TryInt64(min, out _) && ArgParser.TryInt64(max, out _),
            ZRangeKind.Score => ZScoreRange.TryParse(min, max, out _),
            _ => ZLexRange.TryParse(min, max, out _),
        };
        if (!valid)
        {
            return EncodedEntry.Refused(kind switch
            {
                ZRangeKind.Rank => "ERR value is not an integer or out of range"u8,
                ZRangeKind.Score => "ERR min or max is not a float"u8,
                _ => "ERR min or max not valid string range item"u8,
            });
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZRemRange, (byte)kind, target.Database, 3);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, min);
        CommandFormat.AddArg(request.Payload, max);
        return EncodedEntry.Ready(request);
    }

    /// <summary>ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: <paramref name="args"/> from dst on.</summary>
    public static EncodedEntry RangeStore<TArgs>(EntryTarget target, TArgs args)
        where TArgs : IEntryArgs, allows ref struct
    {
        ReadOnlySpan<byte> error = ZRangeOptions.Parse(args, 2, null, null, store: true, out ZRangeOptions options);
        if (!error.IsEmpty)
        {
            return EncodedEntry.Refused(error);
        }

        byte flags = (byte)((byte)options.Kind | (options.Reverse ? (byte)ZRangeStoreFlags.Reverse : 0));
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.ZRangeStore, flags, target.Database, 4, options.Offset, options.Limit);
        for (int i = 0; i < 4; i++)
        {
            CommandFormat.AddArg(request.Payload, args[i]);
        }

        return EncodedEntry.Ready(request);
    }
    /// <summary>ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE destination numkeys key [key ...] [options]: <paramref name="args"/> from destination on.</summary>
    public static EncodedEntry Store<TArgs>(EntryTarget target, SetOperation op, TArgs args, ReadOnlySpan<byte> noKeys)
        where TArgs : IEntryArgs, allows ref struct
    {
        ReadOnlySpan<byte> error = ZAlgebraOptions.Parse(args, 1, op, store: true, cardinality: false, noKeys, out ZAlgebraOptions options);
        if (!error.IsEmpty)
        {
            return EncodedEntry.Refused(error);
        }

        int late = options.LateError.IsEmpty ? 0
            : options.LateError.SequenceEqual("ERR syntax error"u8) ? ZStoreFlags.SyntaxError : ZStoreFlags.WeightNotFloat;
        bool weights = late == 0 && options.FirstWeight > 0;
        ApplyRequest request = target.Begin(target.NowMs());
        int argc = 1 + options.KeyCount + (weights ? options.KeyCount : 0);
        CommandFormat.AddCommand(request.Payload, OpCode.ZStore, ZStoreFlags.Pack(op, options.Aggregate, late), target.Database, argc, options.KeyCount);
        CommandFormat.AddArg(request.Payload, args[0]);
        for (int i = 0; i < options.KeyCount; i++)
        {
            CommandFormat.AddArg(request.Payload, args[options.FirstKey + i]);
        }

        Span<byte> bytes = stackalloc byte[8];
        for (int i = 0; weights && i < options.KeyCount; i++)
        {
            ZScore.TryParse(args[options.FirstWeight + i], out double weight);
            ZSetKeys.WriteScoreValue(bytes, weight);
            CommandFormat.AddArg(request.Payload, bytes);
        }

        return EncodedEntry.Ready(request);
    }
}
