namespace Kiwi.Core.Commands.SortedSets;

/// <summary>Flags of <see cref="OpCode.ZAdd"/>. Persisted in log entries: append only.</summary>
[Flags]
internal enum ZAddFlags : byte
{
    /// <summary>No option.</summary>
    None = 0,

    /// <summary>Only add new members.</summary>
    Nx = 1,

    /// <summary>Only update existing members.</summary>
    Xx = 2,

    /// <summary>Only update when the new score is greater.</summary>
    Gt = 4,

    /// <summary>Only update when the new score is less.</summary>
    Lt = 8,

    /// <summary>Reply added + changed.</summary>
    Ch = 16,

    /// <summary>Increment (ZINCRBY, ZADD INCR): reply the new score, or nil when nothing was done.</summary>
    Incr = 32,
}

/// <summary>Flags of <see cref="OpCode.ZPop"/>. Persisted: append only.</summary>
[Flags]
internal enum ZPopFlags : byte
{
    /// <summary>ZPOPMIN.</summary>
    Min = 0,

    /// <summary>Pop the highest scores.</summary>
    Max = 1,

    /// <summary>ZMPOP: the arguments are the keys, the reply names the key.</summary>
    Multi = 2,

    /// <summary>
    /// A blocked client's retry (BZPOPMIN, BZPOPMAX, BZMPOP after a wake-up): a key of another type counts as empty,
    /// as Redis keeps such a client blocked; the first attempt replies WRONGTYPE instead.
    /// </summary>
    Retry = 4,

    /// <summary>BZPOPMIN/BZPOPMAX (with <see cref="Multi"/>): reply <c>[key, member, score]</c>.</summary>
    SingleReply = 8,
}

/// <summary>How a range is given. Persisted: append only.</summary>
internal enum ZRangeKind : byte
{
    /// <summary>By rank (start stop).</summary>
    Rank = 1,

    /// <summary>By score (min max).</summary>
    Score = 2,

    /// <summary>By member (lexicographic min max).</summary>
    Lex = 3,
}

/// <summary>Flags of <see cref="OpCode.ZRangeStore"/>: the low bits are the <see cref="ZRangeKind"/>. Persisted: append only.</summary>
[Flags]
internal enum ZRangeStoreFlags : byte
{
    /// <summary>No option.</summary>
    None = 0,

    /// <summary>REV: ranks from the top; for scores and members the range is given max first.</summary>
    Reverse = 4,
}

/// <summary>AGGREGATE of ZUNION/ZINTER.</summary>
internal enum ZAggregate : byte
{
    /// <summary>The weighted scores added.</summary>
    Sum = 0,

    /// <summary>The least weighted score.</summary>
    Min = 1,

    /// <summary>The greatest weighted score.</summary>
    Max = 2,
}

/// <summary>Flags of <see cref="OpCode.ZStore"/>: bits 0-1 the <see cref="SetOperation"/>, 2-3 the <see cref="ZAggregate"/>, 4-5 a late error. Persisted: append only.</summary>
internal static class ZStoreFlags
{
    /// <summary>The options were not valid: syntax error, replied after the keys' types are checked (as Redis does).</summary>
    public const int SyntaxError = 1;

    /// <summary>A weight was not a float: replied after the keys' types are checked.</summary>
    public const int WeightNotFloat = 2;

    /// <summary>Packs the flags.</summary>
    public static byte Pack(SetOperation op, ZAggregate aggregate, int error) => (byte)((int)op | ((int)aggregate << 2) | (error << 4));

    /// <summary>The operation.</summary>
    public static SetOperation Operation(byte flags) => (SetOperation)(flags & 3);

    /// <summary>The aggregate.</summary>
    public static ZAggregate Aggregate(byte flags) => (ZAggregate)((flags >> 2) & 3);

    /// <summary>The late error (0: none).</summary>
    public static int Error(byte flags) => flags >> 4;
}
