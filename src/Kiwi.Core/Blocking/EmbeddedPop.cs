using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Blocking;

/// <summary>
/// The wait and the reply reading the blocking pops of the embedded API share (<see cref="KiwiLists"/>,
/// <see cref="KiwiSortedSets"/>): each type says how its wait is encoded and what its reply holds beyond the key.
/// </summary>
internal static class EmbeddedPop
{
    /// <summary>The wait's own copy of the keys of a pop (at least one).</summary>
    public static ReadOnlyMemory<byte>[] CopyKeys(ReadOnlyMemory<byte>[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfZero(keys.Length);
        return [.. keys];
    }

    /// <summary>
    /// Starts <paramref name="wait"/> and awaits it: served, <paramref name="decode"/> reads the reply (copying out
    /// what it keeps: the reply goes back to the pool after it); timed out, <paramref name="timedOut"/>.
    /// <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/> waits forever.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the database closed.</exception>
    public static async Task<T> WaitAsync<T>(BlockedWait wait, TimeSpan timeout, ReadOnlyMemory<byte>[] keys, Func<ApplyRequest, ReadOnlyMemory<byte>[], T> decode, T timedOut, CancellationToken cancellationToken)
    {
        long timeoutMs = timeout == Timeout.InfiniteTimeSpan ? 0 : (long)timeout.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs, nameof(timeout));
        wait.Start(timeoutMs, cancellationToken);
        switch (await wait.Outcome.ConfigureAwait(false))
        {
            case BlockOutcome.Served:
                break;
            case BlockOutcome.TimedOut:
                return timedOut;
            default:
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException("the database closed while the pop was waiting");
        }

        ApplyRequest reply = wait.Reply!;
        try
        {
            return decode(reply, keys);
        }
        finally
        {
            ApplyRequestPool.Return(reply);
        }
    }

    /// <summary>
    /// Reads the head of a pop's reply, <c>[key, ...]</c>: the array header and the key, leaving
    /// <paramref name="position"/> at what follows; <paramref name="index"/> is the key's place in
    /// <paramref name="keys"/>. False when the reply is not such an array (an error reply).
    /// </summary>
    public static bool TryReadKey(ReadOnlySpan<byte> bytes, ref int position, ReadOnlyMemory<byte>[] keys, out int index)
    {
        index = 0;
        if (!RespValue.TryRead(bytes, ref position, out RespValue array) || array.Type != RespType.Array
            || !RespValue.TryRead(bytes, ref position, out RespValue key))
        {
            return false;
        }

        while (index < keys.Length && !keys[index].Span.SequenceEqual(key.Text))
        {
            index++;
        }

        return true;
    }
}
