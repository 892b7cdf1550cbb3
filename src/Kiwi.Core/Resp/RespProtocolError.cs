namespace Kiwi.Core.Resp;

/// <summary>Ways a client can break the request protocol, each with Redis's exact reply text.</summary>
internal enum RespProtocolError : byte
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The <c>*</c> count is not a number or is above the limit.</summary>
    InvalidMultibulkLength,

    /// <summary>A <c>$</c> length is not a number, negative or above <c>proto-max-bulk-len</c>.</summary>
    InvalidBulkLength,

    /// <summary>An argument did not start with <c>$</c> (the byte found is <see cref="CommandArgs.UnexpectedByte"/>).</summary>
    ExpectedDollar,

    /// <summary>The <c>*</c> count line is longer than the inline limit.</summary>
    TooBigMbulkCountString,

    /// <summary>A <c>$</c> length line is longer than the inline limit.</summary>
    TooBigBulkCountString,

    /// <summary>An inline command line is longer than the inline limit.</summary>
    TooBigInlineRequest,

    /// <summary>An inline command has an unclosed quote, or a closing quote followed by something other than a space.</summary>
    UnbalancedQuotes,

    /// <summary>A client that has not authenticated sent more than 10 arguments.</summary>
    UnauthenticatedMultibulkLength,

    /// <summary>A client that has not authenticated sent an argument longer than 16384 bytes.</summary>
    UnauthenticatedBulkLength,
}

/// <summary>Redis's texts for <see cref="RespProtocolError"/>.</summary>
internal static class RespProtocolErrorText
{
    /// <summary>What every protocol error line starts with (after the '-').</summary>
    public static ReadOnlySpan<byte> Prefix => "ERR Protocol error: "u8;

    /// <summary>
    /// The reason after <see cref="Prefix"/>. For <see cref="RespProtocolError.ExpectedDollar"/> this is the text
    /// before the offending byte, which is followed by <see cref="ExpectedDollarSuffix"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Utf8(RespProtocolError error) => error switch
    {
        RespProtocolError.InvalidMultibulkLength => "invalid multibulk length"u8,
        RespProtocolError.InvalidBulkLength => "invalid bulk length"u8,
        RespProtocolError.ExpectedDollar => "expected '$', got '"u8,
        RespProtocolError.TooBigMbulkCountString => "too big mbulk count string"u8,
        RespProtocolError.TooBigBulkCountString => "too big bulk count string"u8,
        RespProtocolError.TooBigInlineRequest => "too big inline request"u8,
        RespProtocolError.UnbalancedQuotes => "unbalanced quotes in request"u8,
        RespProtocolError.UnauthenticatedMultibulkLength => "unauthenticated multibulk length"u8,
        RespProtocolError.UnauthenticatedBulkLength => "unauthenticated bulk length"u8,
        _ => "unknown"u8,
    };

    /// <summary>Closes the <see cref="RespProtocolError.ExpectedDollar"/> text after the offending byte.</summary>
    public static ReadOnlySpan<byte> ExpectedDollarSuffix => "'"u8;
}
