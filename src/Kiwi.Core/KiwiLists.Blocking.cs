using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Lists;
using Kiwi.Core.Resp;

namespace Kiwi.Core;

/// <content>
/// Blocking pops of the embedded API (BLPOP, BRPOP, BLMOVE): an awaitable that completes when a push serves it, the
/// timeout passes or the token is cancelled. Nothing polls: the writer wakes the wait after the batch that wrote one
/// of its keys, in the order the waits began, across RESP clients and embedded callers alike.
/// </content>
public sealed partial class KiwiLists
{
    /// <summary>
    /// BLPOP (or with <paramref name="right"/> BRPOP) key [key ...] timeout: the first element of the first non-empty
    /// list, waiting for one when all are empty. <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/>
    /// waits forever. Dispose the result's value.
    /// </summary>
    /// <returns>The key served and its element; <see cref="KiwiListPop.TimedOut"/> when the timeout passed.</returns>
    /// <exception cref="KiwiException">WRONGTYPE when a key holds another type when the wait begins.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the database closed.</exception>
    public async Task<KiwiListPop> BlockingPopAsync(ReadOnlyMemory<byte>[] keys, bool right, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var wait = ListBlockedPop.Pop(_db.Target, EmbeddedPop.CopyKeys(keys), right, single: true, 1);
        return await EmbeddedPop.WaitAsync(wait, timeout, keys, Decode, KiwiListPop.TimedOut, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// BLMOVE source destination: moves an element as LMOVE does, waiting for the source to get one. Returns the
    /// element, or <see cref="KiwiValue.Null"/> when the timeout passed (zero or infinite: forever).
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the database closed.</exception>
    public async Task<KiwiValue> BlockingMoveAsync(ReadOnlyMemory<byte> source, ReadOnlyMemory<byte> destination, bool fromRight, bool toRight, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var wait = ListBlockedPop.Move(_db.Target, source.ToArray(), destination.ToArray(), fromRight, toRight);
        return await EmbeddedPop.WaitAsync(wait, timeout, [], DecodeMoved, KiwiValue.Null, cancellationToken).ConfigureAwait(false);
    }

    // [key, element] → the key's index and a copy of the element.
    private static KiwiListPop Decode(ApplyRequest reply, ReadOnlyMemory<byte>[] keys)
    {
        ReadOnlySpan<byte> bytes = reply.ReplyBuffer.WrittenSpan;
        int position = 0;
        if (!EmbeddedPop.TryReadKey(bytes, ref position, keys, out int index) || !RespValue.TryRead(bytes, ref position, out RespValue element))
        {
            throw reply.ToException();
        }

        return new KiwiListPop(index, KiwiValue.Copy(element.Text));
    }

    // The element moved, as a bulk reply → a copy of it.
    private static KiwiValue DecodeMoved(ApplyRequest reply, ReadOnlyMemory<byte>[] keys)
        => reply.Reply == ReplyKind.Bulk ? KiwiValue.Copy(reply.BulkReply) : throw reply.ToException();
}

/// <summary>What a blocking pop got: the index of the key that served it and the element (dispose it).</summary>
/// <param name="KeyIndex">Index into the keys given; -1 when the wait timed out.</param>
/// <param name="Value">The element (<see cref="KiwiValue.Null"/> on a timeout).</param>
public readonly record struct KiwiListPop(int KeyIndex, KiwiValue Value) : IDisposable
{
    /// <summary>The result of a wait that timed out.</summary>
    public static KiwiListPop TimedOut => new(-1, KiwiValue.Null);

    /// <summary>True when the wait timed out.</summary>
    public bool IsTimedOut => KeyIndex < 0;

    /// <summary>Returns the element's memory to the pool.</summary>
    public void Dispose() => Value.Dispose();
}
