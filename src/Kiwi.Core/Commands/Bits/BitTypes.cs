namespace Kiwi.Core.Commands.Bits;

/// <summary>BITOP's operation. Persisted as the flags of <see cref="OpCode.BitOp"/>: append only.</summary>
public enum BitOperation : byte
{
    /// <summary>AND: bits set in every source.</summary>
    And = 0,

    /// <summary>OR: bits set in any source.</summary>
    Or = 1,

    /// <summary>XOR: bits set in an odd number of sources.</summary>
    Xor = 2,

    /// <summary>NOT: the single source inverted.</summary>
    Not = 3,
}

/// <summary>What BITCOUNT's and BITPOS's start and end count: bytes (Redis's default) or bits.</summary>
public enum BitUnit : byte
{
    /// <summary>Indexes are byte indexes.</summary>
    Byte = 0,

    /// <summary>Indexes are bit indexes.</summary>
    Bit = 1,
}

/// <summary>BITFIELD's overflow behaviour for SET and INCRBY. Persisted inside BITFIELD entries: append only.</summary>
public enum BitFieldOverflow : byte
{
    /// <summary>Wrap around (modulo the field's range); Redis's default.</summary>
    Wrap = 0,

    /// <summary>Saturate at the field's minimum or maximum.</summary>
    Sat = 1,

    /// <summary>Leave the field unchanged and reply nil.</summary>
    Fail = 2,
}

/// <summary>A BITFIELD subcommand. Persisted inside BITFIELD entries: append only.</summary>
public enum BitFieldOpKind : byte
{
    /// <summary>GET type offset.</summary>
    Get = 0,

    /// <summary>SET type offset value: replies the old value.</summary>
    Set = 1,

    /// <summary>INCRBY type offset increment: replies the new value.</summary>
    IncrBy = 2,
}

/// <summary>Redis's argument limits and error texts for the bit commands, shared by RESP and <see cref="KiwiBits"/>.</summary>
internal static class BitLimits
{
    /// <summary>The largest bit offset: the last bit of a 512 MB string.</summary>
    public const long MaxBitOffset = (Limits.MaxStringLength * 8) - 1;

    public const string BitOffsetError = "ERR bit offset is not an integer or out of range";
    public const string BitValueError = "ERR bit is not an integer or out of range";
    public const string BitArgumentError = "ERR The bit argument must be 1 or 0.";
    public const string BitFieldTypeError = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public const string OverflowTypeError = "ERR Invalid OVERFLOW type specified";
    public const string BitFieldReadOnlyError = "ERR BITFIELD_RO only supports the GET subcommand";
    public const string BitOpNotError = "ERR BITOP NOT must be called with a single source key.";

    /// <summary>True for an offset SETBIT, GETBIT and BITFIELD accept (Redis: 0 to 2^32-1).</summary>
    public static bool IsValidOffset(long offset) => offset >= 0 && offset <= MaxBitOffset;

    /// <summary>True for a field type Redis accepts: i1..i64, u1..u63.</summary>
    public static bool IsValidType(bool signed, int bits) => bits >= 1 && bits <= (signed ? 64 : 63);
}
