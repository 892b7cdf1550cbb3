using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>
/// The one encoder of each set write command, shared by the RESP handlers and <see cref="KiwiSets"/>: checks with
/// Redis's exact error lines, then the entry the writer applies (<see cref="SetWrites"/>).
/// </summary>
internal static class SetEntries
{
    /// <summary>SADD key member [member ...].</summary>
    public static EncodedEntry Add<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs members)
        where TArgs : IEntryArgs, allows ref struct
        => Members(target, OpCode.SAdd, key, members, "ERR wrong number of arguments for 'sadd' command"u8);

    /// <summary>SREM key member [member ...].</summary>
    public static EncodedEntry Remove<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs members)
        where TArgs : IEntryArgs, allows ref struct
        => Members(target, OpCode.SRem, key, members, "ERR wrong number of arguments for 'srem' command"u8);

    /// <summary>SMOVE source destination member.</summary>
    public static EncodedEntry Move(EntryTarget target, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> member)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SMove, 0, target.Database, 3);
        CommandFormat.AddArg(request.Payload, source);
        CommandFormat.AddArg(request.Payload, destination);
        CommandFormat.AddArg(request.Payload, member);
        return EncodedEntry.Ready(request);
    }

    /// <summary>SINTERSTORE, SUNIONSTORE or SDIFFSTORE destination key [key ...].</summary>
    public static EncodedEntry Store<TArgs>(EntryTarget target, SetOperation operation, ReadOnlySpan<byte> destination, TArgs keys)
        where TArgs : IEntryArgs, allows ref struct
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SStore, (byte)operation, target.Database, 1 + keys.Count);
        CommandFormat.AddArg(request.Payload, destination);
        CommandFormat.AddArgs(request.Payload, keys);
        return EncodedEntry.Ready(request);
    }

    /// <summary>
    /// SPOP key [count] (<paramref name="count"/> null without one). The random seed is drawn here, at proposal,
    /// so the writer's choice is the same on every replica.
    /// </summary>
    public static EncodedEntry Pop(EntryTarget target, ReadOnlySpan<byte> key, long? count)
    {
        if (count < 0)
        {
            return EncodedEntry.Refused("ERR value is out of range, must be positive"u8);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SPop, count.HasValue ? (byte)1 : (byte)0, target.Database, 1, count.GetValueOrDefault(), Random.Shared.NextInt64());
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry Members<TArgs>(EntryTarget target, OpCode op, ReadOnlySpan<byte> key, TArgs members, ReadOnlySpan<byte> wrongArity)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (members.Count == 0)
        {
            return EncodedEntry.Refused(wrongArity);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, 0, target.Database, 1 + members.Count);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArgs(request.Payload, members);
        return EncodedEntry.Ready(request);
    }
}
