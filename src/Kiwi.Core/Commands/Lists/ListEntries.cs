using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands.Lists;

/// <summary>
/// The one encoder of each list write, shared by the RESP handlers and <see cref="KiwiLists"/>: the checks Redis
/// makes before touching the key, with its exact error lines, then the entry <see cref="ListWrites"/> applies.
/// </summary>
internal static class ListEntries
{
    /// <summary>LPUSH/RPUSH (or with <paramref name="onlyExisting"/> LPUSHX/RPUSHX) key element [element ...].</summary>
    public static EncodedEntry Push<TArgs>(EntryTarget target, bool right, bool onlyExisting, ReadOnlySpan<byte> key, TArgs elements)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (elements.Count == 0)
        {
            return EncodedEntry.Refused((right, onlyExisting) switch
            {
                (false, false) => "ERR wrong number of arguments for 'lpush' command"u8,
                (true, false) => "ERR wrong number of arguments for 'rpush' command"u8,
                (false, true) => "ERR wrong number of arguments for 'lpushx' command"u8,
                _ => "ERR wrong number of arguments for 'rpushx' command"u8,
            });
        }

        var flags = (right ? ListFlags.Right : ListFlags.None) | (onlyExisting ? ListFlags.OnlyExisting : ListFlags.None);
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.LPush, (byte)flags, target.Database, 1 + elements.Count);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArgs(request.Payload, elements);
        return EncodedEntry.Ready(request);
    }

    /// <summary>LPOP/RPOP key [count] (<paramref name="count"/> null without one).</summary>
    public static EncodedEntry Pop(EntryTarget target, bool right, ReadOnlySpan<byte> key, long? count)
    {
        if (count < 0)
        {
            return EncodedEntry.Refused("ERR value is out of range, must be positive"u8);
        }

        var flags = (right ? ListFlags.Right : ListFlags.None) | (count.HasValue ? ListFlags.WithCount : ListFlags.None);
        return Single(target, OpCode.LPop, flags, key, count.GetValueOrDefault(), 0);
    }

    /// <summary>LSET key index element (<paramref name="index"/> null when the argument was not an integer).</summary>
    public static EncodedEntry Set(EntryTarget target, ReadOnlySpan<byte> key, long? index, ReadOnlySpan<byte> element)
        => Pair(target, OpCode.LSet, index.HasValue ? ListFlags.None : ListFlags.BadIndex, key, element, default, 2, index.GetValueOrDefault());

    /// <summary>LTRIM key start stop.</summary>
    public static EncodedEntry Trim(EntryTarget target, ReadOnlySpan<byte> key, long start, long stop)
        => Single(target, OpCode.LTrim, ListFlags.None, key, start, stop);

    /// <summary>LREM key count element.</summary>
    public static EncodedEntry Remove(EntryTarget target, ReadOnlySpan<byte> key, long count, ReadOnlySpan<byte> element)
        => Pair(target, OpCode.LRem, ListFlags.None, key, element, default, 2, count);

    /// <summary>LINSERT key BEFORE|AFTER pivot element.</summary>
    public static EncodedEntry Insert(EntryTarget target, ReadOnlySpan<byte> key, bool after, ReadOnlySpan<byte> pivot, ReadOnlySpan<byte> element)
        => Pair(target, OpCode.LInsert, after ? ListFlags.After : ListFlags.None, key, pivot, element, 3, 0);

    /// <summary>
    /// LMOVE source destination LEFT|RIGHT LEFT|RIGHT (RPOPLPUSH is RIGHT LEFT); <paramref name="retry"/> for a
    /// blocked client's attempt after a wake-up.
    /// </summary>
    public static EncodedEntry Move(EntryTarget target, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, bool fromRight, bool toRight, bool retry = false)
    {
        var flags = (fromRight ? ListFlags.Right : ListFlags.None) | (toRight ? ListFlags.ToRight : ListFlags.None) | (retry ? ListFlags.Retry : ListFlags.None);
        return Pair(target, OpCode.LMove, flags, source, destination, default, 2, 0);
    }

    /// <summary>
    /// LMPOP (or with <paramref name="single"/> BLPOP/BRPOP's attempt) over <paramref name="keys"/>: the first list
    /// found gives up to <paramref name="count"/> elements.
    /// </summary>
    public static EncodedEntry MultiPop<TArgs>(EntryTarget target, TArgs keys, bool right, long count, bool single, bool retry = false)
        where TArgs : IEntryArgs, allows ref struct
    {
        var flags = (right ? ListFlags.Right : ListFlags.None) | (single ? ListFlags.SingleReply : ListFlags.None) | (retry ? ListFlags.Retry : ListFlags.None);
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.LMPop, (byte)flags, target.Database, keys.Count, count);
        CommandFormat.AddArgs(request.Payload, keys);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry Single(EntryTarget target, OpCode op, ListFlags flags, ReadOnlySpan<byte> key, long n1, long n2)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, (byte)flags, target.Database, 1, n1, n2);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry Pair(EntryTarget target, OpCode op, ListFlags flags, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, int argc, long n1)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, (byte)flags, target.Database, argc, n1);
        CommandFormat.AddArg(request.Payload, first);
        CommandFormat.AddArg(request.Payload, second);
        if (argc == 3)
        {
            CommandFormat.AddArg(request.Payload, third);
        }

        return EncodedEntry.Ready(request);
    }
}
