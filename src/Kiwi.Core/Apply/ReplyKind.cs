namespace Kiwi.Core.Apply;

/// <summary>The shape of a command's reply.</summary>
internal enum ReplyKind : byte
{
    /// <summary>Nothing written yet.</summary>
    None,

    /// <summary>"+OK".</summary>
    Ok,

    /// <summary>A null (nil) reply.</summary>
    Null,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A bulk string.</summary>
    Bulk,

    /// <summary>An error (see <see cref="KiwiError"/>).</summary>
    Error,

    /// <summary>A simple string other than "+OK".</summary>
    Status,

    /// <summary>An array.</summary>
    Array,

    /// <summary>Any other RESP3 type (map, set, double, boolean, verbatim, big number).</summary>
    Other,
}
