using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>
/// The one encoder of each string write command, shared by the RESP handlers and <see cref="KiwiDb"/>: it checks
/// what can be checked before the log (Redis's exact error lines) and encodes the entry the writer applies
/// (<see cref="StringWrites"/>). The caller submits the entry or reports the refusal.
/// </summary>
internal static partial class StringEntries
{
    /// <summary>GETDEL key.</summary>
    public static EncodedEntry GetDel(EntryTarget target, ReadOnlySpan<byte> key) => KeyOnly(target, OpCode.GetDel, key, 0);

    /// <summary>INCRBY key increment (INCR and DECR are 1 and -1).</summary>
    public static EncodedEntry IncrBy(EntryTarget target, ReadOnlySpan<byte> key, long increment) => KeyOnly(target, OpCode.IncrBy, key, increment);

    /// <summary>DECRBY key decrement: INCRBY of its negation, which must exist.</summary>
    public static EncodedEntry DecrBy(EntryTarget target, ReadOnlySpan<byte> key, long decrement)
        => decrement == long.MinValue
            ? EncodedEntry.Refused("ERR decrement would overflow"u8)
            : KeyOnly(target, OpCode.IncrBy, key, -decrement);

    /// <summary>APPEND key value.</summary>
    public static EncodedEntry Append(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => KeyValue(target, OpCode.Append, key, value, 0);

    /// <summary>SETRANGE key offset value (offset 0 or more).</summary>
    public static EncodedEntry SetRange(EntryTarget target, ReadOnlySpan<byte> key, long offset, ReadOnlySpan<byte> value)
        => offset < 0
            ? EncodedEntry.Refused("ERR offset is out of range"u8)
            : KeyValue(target, OpCode.SetRange, key, value, offset);

    /// <summary>INCRBYFLOAT key increment, the increment as Redis text (the writer parses it, after the stored value).</summary>
    public static EncodedEntry IncrByFloat(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> increment)
        => KeyValue(target, OpCode.IncrByFloat, key, increment, 0);

    /// <summary>MSET key value [key value ...].</summary>
    public static EncodedEntry MSet<TArgs>(EntryTarget target, TArgs pairs)
        where TArgs : IEntryArgs, allows ref struct
        => Pairs(target, OpCode.MSet, pairs, "ERR wrong number of arguments for 'mset' command"u8);

    /// <summary>MSETNX key value [key value ...].</summary>
    public static EncodedEntry MSetNx<TArgs>(EntryTarget target, TArgs pairs)
        where TArgs : IEntryArgs, allows ref struct
        => Pairs(target, OpCode.MSetNx, pairs, "ERR wrong number of arguments for 'msetnx' command"u8);

    private static EncodedEntry KeyOnly(EntryTarget target, OpCode op, ReadOnlySpan<byte> key, long n1)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, 0, target.Database, 1, n1);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry KeyValue(EntryTarget target, OpCode op, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long n1)
    {
        if (value.Length > Limits.MaxStringLength)
        {
            return TooLong();
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, 0, target.Database, 2, n1);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, value);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry Pairs<TArgs>(EntryTarget target, OpCode op, TArgs pairs, ReadOnlySpan<byte> wrongArity)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (pairs.Count == 0 || (pairs.Count & 1) != 0)
        {
            return EncodedEntry.Refused(wrongArity);
        }

        for (int i = 1; i < pairs.Count; i += 2)
        {
            if (pairs[i].Length > Limits.MaxStringLength)
            {
                return TooLong();
            }
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, 0, target.Database, pairs.Count);
        CommandFormat.AddArgs(request.Payload, pairs);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry TooLong() => EncodedEntry.Refused(KiwiErrorText.Utf8(KiwiError.StringTooLong));
}
