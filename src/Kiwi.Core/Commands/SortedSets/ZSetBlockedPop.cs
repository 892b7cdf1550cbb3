using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;

namespace Kiwi.Core.Commands.SortedSets;

/// <summary>
/// A blocked sorted-set pop: BZPOPMIN/BZPOPMAX (<c>[key, member, score]</c>) or BZMPOP (<c>[key, [[member, score]...]]</c>).
/// Each attempt is ZMPOP's entry in the client's protocol, so a served reply goes to the client as it is.
/// </summary>
internal sealed class ZSetBlockedPop : BlockedWait
{
    private readonly EntryTarget _target;
    private readonly ZPopFlags _flags;
    private readonly long _count;

    /// <summary>BZPOPMIN/BZPOPMAX (<paramref name="single"/>) or BZMPOP over <paramref name="keys"/>.</summary>
    public ZSetBlockedPop(EntryTarget target, ReadOnlyMemory<byte>[] keys, bool max, bool single, long count)
        : base(target.Db.Blocking, target.Database, keys)
    {
        _target = target;
        _flags = (max ? ZPopFlags.Max : ZPopFlags.Min) | (single ? ZPopFlags.SingleReply : ZPopFlags.Min);
        _count = single ? 1 : count;
    }

    /// <inheritdoc />
    internal override EncodedEntry EncodeOnce(EntryTarget target) => ZSetEntries.MultiPop(target, new MemoryArgs(Keys), _flags, _count);

    /// <inheritdoc />
    protected override ApplyRequest EncodeAttempt(bool retry)
    {
        EncodedEntry entry = retry
            ? ZSetEntries.MultiPop(_target, new MemoryArgs(KeysWokenFirst()), _flags | ZPopFlags.Retry, _count)
            : ZSetEntries.MultiPop(_target, new MemoryArgs(Keys), _flags, _count);
        return _target.Db.SubmitRaw(entry.Request!);
    }
}
