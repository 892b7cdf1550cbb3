using Kiwi.Core.Apply;
using Kiwi.Core.Blocking;

namespace Kiwi.Core.Commands.Lists;

/// <summary>
/// A blocked list pop: BLPOP/BRPOP (one element, <c>[key, element]</c>), BLMPOP (<c>[key, [elements]]</c>) or
/// BLMOVE/BRPOPLPUSH (the element moved). Each attempt is the non-blocking command's entry (LMPOP or LMOVE) in the
/// client's protocol, so a served reply goes to the client as it is.
/// </summary>
internal sealed class ListBlockedPop : BlockedWait
{
    private readonly EntryTarget _target;
    private readonly bool _right;
    private readonly bool _single;
    private readonly long _count;
    private readonly ReadOnlyMemory<byte> _destination;
    private readonly bool _toRight;
    private readonly bool _move;

    private ListBlockedPop(EntryTarget target, ReadOnlyMemory<byte>[] keys, bool right, bool single, long count, ReadOnlyMemory<byte> destination, bool toRight, bool move)
        : base(target.Db.Blocking, target.Database, keys)
    {
        _target = target;
        _right = right;
        _single = single;
        _count = count;
        _destination = destination;
        _toRight = toRight;
        _move = move;
    }

    /// <summary>BLPOP/BRPOP (<paramref name="single"/>) or BLMPOP over <paramref name="keys"/>.</summary>
    public static ListBlockedPop Pop(EntryTarget target, ReadOnlyMemory<byte>[] keys, bool right, bool single, long count)
        => new(target, keys, right, single, count, default, false, move: false);

    /// <summary>BLMOVE/BRPOPLPUSH from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static ListBlockedPop Move(EntryTarget target, ReadOnlyMemory<byte> source, ReadOnlyMemory<byte> destination, bool fromRight, bool toRight)
        => new(target, [source], fromRight, false, 1, destination, toRight, move: true);

    /// <inheritdoc />
    internal override EncodedEntry EncodeOnce(EntryTarget target) => _move
        ? ListEntries.Move(target, Keys[0].Span, _destination.Span, _right, _toRight)
        : ListEntries.MultiPop(target, new MemoryArgs(Keys), _right, _count, _single);

    /// <inheritdoc />
    protected override ApplyRequest EncodeAttempt(bool retry)
    {
        EncodedEntry entry = _move
            ? ListEntries.Move(_target, Keys[0].Span, _destination.Span, _right, _toRight, retry)
            : ListEntries.MultiPop(_target, new MemoryArgs(retry ? KeysWokenFirst() : Keys), _right, _count, _single, retry);
        return _target.Db.SubmitRaw(entry.Request!);
    }
}
