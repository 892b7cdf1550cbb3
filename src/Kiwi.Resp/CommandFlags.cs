namespace Kiwi.Resp;

/// <summary>What a command does, for dispatch, AUTH and COMMAND INFO.</summary>
[Flags]
internal enum CommandFlags : ushort
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>Changes data: goes through the writer; replies in order after earlier writes.</summary>
    Write = 1,

    /// <summary>Reads data only.</summary>
    ReadOnly = 2,

    /// <summary>Administrative.</summary>
    Admin = 4,

    /// <summary>Allowed before AUTH when a password is set.</summary>
    NoAuth = 8,

    /// <summary>O(1) or O(log n).</summary>
    Fast = 16,

    /// <summary>Connection management (PING, HELLO, CLIENT...).</summary>
    Connection = 32,

    /// <summary>
    /// A write command that, given its key only, is a plain read answered at once (GETEX without options): it
    /// then waits for the client's earlier writes and takes the read barrier like a read-only command.
    /// </summary>
    ReadWhenBare = 64,

    /// <summary>May block the client (BLPOP...): the session waits for its reply before it reads further commands.</summary>
    Blocking = 128,

    /// <summary>
    /// A read whose handler reads only through the context (<see cref="CommandContext.View"/>,
    /// <see cref="CommandContext.Lookup"/>, <see cref="CommandContext.NowMs"/>), so it also runs inside EXEC, on the
    /// writer, against the batch with the transaction's earlier writes. Reads without it are refused inside MULTI.
    /// </summary>
    BatchRead = 256,

    /// <summary>Runs at once even inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH; QUIT and RESET by name).</summary>
    NotQueued = 512,

    /// <summary>
    /// Allowed to a RESP2 client with subscriptions: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET; any
    /// other command is refused with Redis's "only ... are allowed in this context".
    /// </summary>
    PubSubAllowed = 0x2000,
}
