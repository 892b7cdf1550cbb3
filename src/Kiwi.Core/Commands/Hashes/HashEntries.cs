using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>
/// The one encoder of each hash write command, shared by the RESP handlers and <see cref="KiwiHashes"/>: checks
/// with Redis's exact error lines, then the entry the writer applies (<see cref="HashWrites"/>).
/// </summary>
internal static class HashEntries
{
    /// <summary>HSET, HMSET or HSETNX (by <paramref name="flags"/>) key field value [field value ...].</summary>
    public static EncodedEntry Set<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs fieldsAndValues, HashSetFlags flags)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (fieldsAndValues.Count == 0 || (fieldsAndValues.Count & 1) != 0)
        {
            return EncodedEntry.Refused(flags switch
            {
                HashSetFlags.ReplyOk => "ERR wrong number of arguments for 'hmset' command"u8,
                HashSetFlags.OnlyNew => "ERR wrong number of arguments for 'hsetnx' command"u8,
                _ => "ERR wrong number of arguments for 'hset' command"u8,
            });
        }

        return KeyAndArgs(target, OpCode.HSet, (byte)flags, key, fieldsAndValues, 0);
    }

    /// <summary>HDEL key field [field ...].</summary>
    public static EncodedEntry Delete<TArgs>(EntryTarget target, ReadOnlySpan<byte> key, TArgs fields)
        where TArgs : IEntryArgs, allows ref struct
        => fields.Count == 0
            ? EncodedEntry.Refused("ERR wrong number of arguments for 'hdel' command"u8)
            : KeyAndArgs(target, OpCode.HDel, 0, key, fields, 0);

    /// <summary>HINCRBY key field increment.</summary>
    public static EncodedEntry IncrBy(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, long increment)
        => KeyAndArgs(target, OpCode.HIncrBy, 0, key, new SpanArgs(field), increment);

    /// <summary>HINCRBYFLOAT key field increment: the increment (Redis text) must be a finite float.</summary>
    public static EncodedEntry IncrByFloat(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> increment)
    {
        if (!LongDouble.TryParse(increment, out LongDouble value))
        {
            return EncodedEntry.Refused("ERR value is not a valid float"u8);
        }

        if (!value.IsFinite)
        {
            return EncodedEntry.Refused("ERR value is NaN or Infinity"u8);
        }

        return KeyAndArgs(target, OpCode.HIncrByFloat, 0, key, new SpanArgs(field, increment), 0);
    }

    private static EncodedEntry KeyAndArgs<TArgs>(EntryTarget target, OpCode op, byte flags, ReadOnlySpan<byte> key, TArgs args, long n1)
        where TArgs : IEntryArgs, allows ref struct
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, flags, target.Database, 1 + args.Count, n1);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArgs(request.Payload, args);
        return EncodedEntry.Ready(request);
    }
}
