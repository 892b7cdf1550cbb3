namespace Kiwi.Core.Commands.Lists;

/// <summary>Flags of the list op codes (60-69). Persisted in log entries: append only.</summary>
[Flags]
internal enum ListFlags : byte
{
    /// <summary>Nothing: the left end (head).</summary>
    None = 0,

    /// <summary>The right end (tail): RPUSH, RPOP, LMOVE's source RIGHT, LMPOP/BRPOP RIGHT.</summary>
    Right = 1,

    /// <summary>LPUSHX/RPUSHX: push only onto an existing list.</summary>
    OnlyExisting = 2,

    /// <summary>LPOP/RPOP with a count (N1): the reply is an array.</summary>
    WithCount = 4,

    /// <summary>LINSERT AFTER (else BEFORE).</summary>
    After = 8,

    /// <summary>LMOVE's destination RIGHT (else LEFT).</summary>
    ToRight = 16,

    /// <summary>
    /// A blocked client's retry (BLPOP, BLMOVE, BLMPOP after a wake-up): a source key of another type counts as
    /// empty, as Redis keeps such a client blocked; the first attempt replies WRONGTYPE instead.
    /// </summary>
    Retry = 32,

    /// <summary>BLPOP/BRPOP: reply <c>[key, element]</c> instead of LMPOP's <c>[key, [elements]]</c>.</summary>
    SingleReply = 64,

    /// <summary>LSET's index was not an integer: Redis says so only after it found the key to be a list.</summary>
    BadIndex = 128,
}
