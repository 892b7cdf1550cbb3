namespace Kiwi.Core.Resp;

/// <summary>Complete replies that never change, ready to copy into the output (see <see cref="RespWriter.WriteRaw"/>).</summary>
internal static class RespReplies
{
    /// <summary>"+OK".</summary>
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;

    /// <summary>"+PONG".</summary>
    public static ReadOnlySpan<byte> Pong => "+PONG\r\n"u8;

    /// <summary>"+QUEUED" (a command inside MULTI).</summary>
    public static ReadOnlySpan<byte> Queued => "+QUEUED\r\n"u8;

    /// <summary>Integer 0.</summary>
    public static ReadOnlySpan<byte> Zero => ":0\r\n"u8;

    /// <summary>Integer 1.</summary>
    public static ReadOnlySpan<byte> One => ":1\r\n"u8;

    /// <summary>Integer -1 (TTL of a key without expiry).</summary>
    public static ReadOnlySpan<byte> MinusOne => ":-1\r\n"u8;

    /// <summary>Integer -2 (TTL of a missing key).</summary>
    public static ReadOnlySpan<byte> MinusTwo => ":-2\r\n"u8;

    /// <summary>The empty bulk string.</summary>
    public static ReadOnlySpan<byte> EmptyBulk => "$0\r\n\r\n"u8;

    /// <summary>The empty array.</summary>
    public static ReadOnlySpan<byte> EmptyArray => "*0\r\n"u8;

    /// <summary>RESP2 null bulk string.</summary>
    public static ReadOnlySpan<byte> NullBulk => "$-1\r\n"u8;

    /// <summary>RESP2 null array.</summary>
    public static ReadOnlySpan<byte> NullArray => "*-1\r\n"u8;

    /// <summary>RESP3 null (for bulk strings and arrays alike).</summary>
    public static ReadOnlySpan<byte> Null => "_\r\n"u8;

    /// <summary>RESP3 true.</summary>
    public static ReadOnlySpan<byte> True => "#t\r\n"u8;

    /// <summary>RESP3 false.</summary>
    public static ReadOnlySpan<byte> False => "#f\r\n"u8;

    /// <summary>The line terminator.</summary>
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;
}
