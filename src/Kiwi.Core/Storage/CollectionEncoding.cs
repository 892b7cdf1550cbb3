namespace Kiwi.Core.Storage;

/// <summary>
/// How Redis 7.0 would encode a collection, kept in its meta record for OBJECT ENCODING (the storage itself is the
/// same). Redis converts a small encoding to the table form once a limit is passed and never back. Persisted:
/// append only.
/// </summary>
public enum CollectionEncoding : byte
{
    /// <summary>The small form: a hash's "listpack", a set's "intset" (integers only).</summary>
    Compact = 0,

    /// <summary>"hashtable".</summary>
    Table = 1,
}
