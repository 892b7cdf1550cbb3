using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Resp;

namespace Kiwi.Core;

/// <content>
/// Blocking pops of the embedded API (BZPOPMIN, BZPOPMAX): an awaitable that completes when a write serves it, the
/// timeout passes or the token is cancelled, in one FIFO with RESP clients blocked on the same keys.
/// </content>
public sealed partial class KiwiSortedSets
{
    /// <summary>
    /// BZPOPMIN (or with <paramref name="max"/> BZPOPMAX) key [key ...] timeout: the lowest (highest) member of the
    /// first non-empty sorted set, waiting for one when all are empty. <see cref="Timeout.InfiniteTimeSpan"/> or
    /// <see cref="TimeSpan.Zero"/> waits forever. Dispose the result's member.
    /// </summary>
    /// <returns>The key served, its member and score; <see cref="KiwiZSetPop.TimedOut"/> when the timeout passed.</returns>
    /// <exception cref="KiwiException">WRONGTYPE when a key holds another type when the wait begins.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the database closed.</exception>
    public async Task<KiwiZSetPop> BlockingPopAsync(ReadOnlyMemory<byte>[] keys, bool max, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var wait = new ZSetBlockedPop(_db.Target, EmbeddedPop.CopyKeys(keys), max, single: true, 1);
        return await EmbeddedPop.WaitAsync(wait, timeout, keys, Decode, KiwiZSetPop.TimedOut, cancellationToken).ConfigureAwait(false);
    }

    // [key, member, score] → the key's index, a copy of the member, the score.
    private static KiwiZSetPop Decode(ApplyRequest reply, ReadOnlyMemory<byte>[] keys)
    {
        ReadOnlySpan<byte> bytes = reply.ReplyBuffer.WrittenSpan;
        int position = 0;
        if (!EmbeddedPop.TryReadKey(bytes, ref position, keys, out int index) || !RespValue.TryRead(bytes, ref position, out RespValue member)
            || !RespValue.TryRead(bytes, ref position, out RespValue score) || !ZScore.TryParse(score.Text, out double value))
        {
            throw reply.ToException();
        }

        return new KiwiZSetPop(index, KiwiValue.Copy(member.Text), value);
    }
}

/// <summary>What a blocking sorted-set pop got: the index of the key that served it, the member (dispose it) and its score.</summary>
/// <param name="KeyIndex">Index into the keys given; -1 when the wait timed out.</param>
/// <param name="Member">The member (<see cref="KiwiValue.Null"/> on a timeout).</param>
/// <param name="Score">Its score (0 on a timeout).</param>
public readonly record struct KiwiZSetPop(int KeyIndex, KiwiValue Member, double Score) : IDisposable
{
    /// <summary>The result of a wait that timed out.</summary>
    public static KiwiZSetPop TimedOut => new(-1, KiwiValue.Null, 0);

    /// <summary>True when the wait timed out.</summary>
    public bool IsTimedOut => KeyIndex < 0;

    /// <summary>Returns the member's memory to the pool.</summary>
    public void Dispose() => Member.Dispose();
}
