using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <summary>The outcome of <see cref="RespReader.TryParseCommand"/>.</summary>
internal enum RespParseStatus : byte
{
    /// <summary>
    /// The buffer ends inside a command (or holds nothing but skipped empty commands). Nothing of the partial
    /// command was consumed: call again from the same position, with the same <see cref="CommandArgs"/>, once
    /// more data has arrived.
    /// </summary>
    Incomplete,

    /// <summary>A command was read into the <see cref="CommandArgs"/> and consumed from the reader.</summary>
    Complete,

    /// <summary>
    /// The client broke the protocol (<see cref="CommandArgs.Error"/> says how). Redis replies with the error
    /// and closes the connection; nothing was consumed.
    /// </summary>
    Error,
}
