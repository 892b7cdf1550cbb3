namespace Kiwi.Core.Storage;

/// <summary>The type of a value, as stored in the first byte of its meta record. Persisted: append only.</summary>
public enum KeyType : byte
{
    /// <summary>No such key (never stored).</summary>
    None = 0,

    /// <summary>A string (binary-safe bytes).</summary>
    String = 1,

    /// <summary>A hash.</summary>
    Hash = 2,

    /// <summary>A list.</summary>
    List = 3,

    /// <summary>A set.</summary>
    Set = 4,

    /// <summary>A sorted set.</summary>
    ZSet = 5,
}
