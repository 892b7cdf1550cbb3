namespace Kiwi.Core.Apply;

/// <summary>Errors a command can produce when it is applied. Each has Redis's exact error text.</summary>
public enum KiwiError : byte
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The key holds another type.</summary>
    WrongType,

    /// <summary>The stored value or an argument is not a 64-bit integer.</summary>
    NotInteger,

    /// <summary>The stored value or an argument is not a float.</summary>
    NotFloat,

    /// <summary>INCR/DECR would overflow 64 bits.</summary>
    Overflow,

    /// <summary>INCRBYFLOAT would produce NaN or an infinity.</summary>
    NanOrInfinity,

    /// <summary>The string would exceed 512 MB.</summary>
    StringTooLong,

    /// <summary>The batch failed to commit; nothing in it was applied.</summary>
    StorageFailure,

    /// <summary>The command is not known to the apply worker (a log written by a newer version).</summary>
    UnknownCommand,

    /// <summary>GETEX was given an invalid expire time (Redis checks it after finding the key).</summary>
    InvalidExpireGetEx,

    /// <summary>RENAME of a missing key.</summary>
    NoSuchKey,

    /// <summary>COPY onto itself.</summary>
    SameObject,

    /// <summary>HINCRBY on a field that does not hold an integer.</summary>
    HashNotInteger,

    /// <summary>HINCRBYFLOAT on a field that does not hold a float.</summary>
    HashNotFloat,
}

/// <summary>Redis's texts for <see cref="KiwiError"/>.</summary>
internal static class KiwiErrorText
{
    /// <summary>The last defined error (errors are numbered from <see cref="KiwiError.WrongType"/> up to it).</summary>
    public const KiwiError Last = KiwiError.HashNotFloat;

    /// <summary>The error line without the leading '-' and trailing CRLF, as UTF-8.</summary>
    public static ReadOnlySpan<byte> Utf8(KiwiError error) => error switch
    {
        KiwiError.WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value"u8,
        KiwiError.NotInteger => "ERR value is not an integer or out of range"u8,
        KiwiError.NotFloat => "ERR value is not a valid float"u8,
        KiwiError.Overflow => "ERR increment or decrement would overflow"u8,
        KiwiError.NanOrInfinity => "ERR increment would produce NaN or Infinity"u8,
        KiwiError.StringTooLong => "ERR string exceeds maximum allowed size (proto-max-bulk-len)"u8,
        KiwiError.StorageFailure => "ERR storage failure: the write was not applied"u8,
        KiwiError.UnknownCommand => "ERR unknown command in log entry"u8,
        KiwiError.InvalidExpireGetEx => "ERR invalid expire time in 'getex' command"u8,
        KiwiError.NoSuchKey => "ERR no such key"u8,
        KiwiError.SameObject => "ERR source and destination objects are the same"u8,
        KiwiError.HashNotInteger => "ERR hash value is not an integer"u8,
        KiwiError.HashNotFloat => "ERR hash value is not a float"u8,
        _ => "ERR"u8,
    };

    /// <summary>The error line as a string (off the hot path: exceptions, logs).</summary>
    public static string Text(KiwiError error) => System.Text.Encoding.UTF8.GetString(Utf8(error));
}
