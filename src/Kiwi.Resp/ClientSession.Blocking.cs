using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;

namespace Kiwi.Resp;

/// <content>
/// A client blocked in BLPOP and the like: its reply is a placeholder among the writes in flight, completed when the
/// wait ends; the session flushes the replies before it, waits, and reads no further command meanwhile (as Redis
/// does with a blocked client).
/// </content>
internal sealed partial class ClientSession
{
    private const string UnblockedError = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n";

    // The reply of the blocking command that parked this client: the session flushes the replies before it when it
    // reaches it, and reads no further command until it is complete.
    private ApplyRequest? _blockedReply;

    /// <summary>The wait this client is blocked in, or null.</summary>
    public BlockedWait? Blocked { get; private set; }

    /// <summary>
    /// Parks the client on <paramref name="wait"/>: its reply follows earlier ones, and is <paramref name="timeoutReply"/>
    /// (copied now) when the timeout passes.
    /// </summary>
    internal void Block(BlockedWait wait, long timeoutMs, ReadOnlySpan<byte> timeoutReply, CommandSpec? spec)
    {
        ApplyRequest placeholder = ApplyRequestPool.Rent();
        placeholder.Protocol = Protocol;
        AddPending(placeholder, spec);
        Blocked = wait;
        _blockedReply = placeholder;
        _ = DeliverAsync(wait, placeholder, timeoutReply.ToArray());
        wait.Start(timeoutMs, Cancellation);
    }

    /// <summary>CLIENT UNBLOCK: ends this client's wait as a timeout, or with the UNBLOCKED error; false when it is not blocked.</summary>
    public bool Unblock(bool error) => Blocked is { } wait && wait.Stop(error ? BlockOutcome.Unblocked : BlockOutcome.TimedOut);

    private async Task DeliverAsync(BlockedWait wait, ApplyRequest placeholder, byte[] timeoutReply)
    {
        BlockOutcome outcome = await wait.Outcome.ConfigureAwait(false);
        switch (outcome)
        {
            case BlockOutcome.Served:
                ApplyRequest reply = wait.Reply!;
                placeholder.ReplyBuffer.Write(reply.ReplyBuffer.WrittenSpan);
                ApplyRequestPool.Return(reply);
                break;
            case BlockOutcome.TimedOut:
                placeholder.ReplyBuffer.Write(timeoutReply);
                break;
            case BlockOutcome.Unblocked:
                placeholder.ReplyBuffer.Write(System.Text.Encoding.ASCII.GetBytes(UnblockedError));
                break;
            default:
                // The client is gone or the server stops: nothing to say.
                break;
        }

        Blocked = null;
        placeholder.Complete();
    }
}
