using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>
/// The one encoder of each key-space write command, shared by the RESP handlers and <see cref="KiwiDb"/>: checks
/// with Redis's exact error lines, then the entry the writer applies (<see cref="KeyWrites"/>).
/// </summary>
internal static partial class KeyEntries
{
    /// <summary>DEL key [key ...].</summary>
    public static EncodedEntry Del<TArgs>(EntryTarget target, TArgs keys)
        where TArgs : IEntryArgs, allows ref struct
        => Delete(target, keys, "ERR wrong number of arguments for 'del' command"u8);

    /// <summary>UNLINK key [key ...]: DEL's entry (storage reclaims space in the background either way).</summary>
    public static EncodedEntry Unlink<TArgs>(EntryTarget target, TArgs keys)
        where TArgs : IEntryArgs, allows ref struct
        => Delete(target, keys, "ERR wrong number of arguments for 'unlink' command"u8);

    /// <summary>PERSIST key.</summary>
    public static EncodedEntry Persist(EntryTarget target, ReadOnlySpan<byte> key)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Persist, 0, target.Database, 1);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    /// <summary>FLUSHDB (<paramref name="all"/> false) or FLUSHALL.</summary>
    public static EncodedEntry Flush(EntryTarget target, bool all)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.FlushDb, all ? (byte)1 : (byte)0, target.Database, 0);
        return EncodedEntry.Ready(request);
    }

    /// <summary>RENAME key newkey, or RENAMENX (<paramref name="onlyIfNew"/>).</summary>
    public static EncodedEntry Rename(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> newKey, bool onlyIfNew)
        => TwoKeys(target, OpCode.Rename, onlyIfNew ? (byte)1 : (byte)0, key, newKey, 0);

    /// <summary>COPY source destination [DB db] [REPLACE], the database already checked.</summary>
    public static EncodedEntry Copy(EntryTarget target, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, long destinationDb, bool replace)
        => TwoKeys(target, OpCode.Copy, replace ? (byte)1 : (byte)0, source, destination, destinationDb);

    private static EncodedEntry Delete<TArgs>(EntryTarget target, TArgs keys, ReadOnlySpan<byte> wrongArity)
        where TArgs : IEntryArgs, allows ref struct
    {
        if (keys.Count == 0)
        {
            return EncodedEntry.Refused(wrongArity);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Del, 0, target.Database, keys.Count);
        CommandFormat.AddArgs(request.Payload, keys);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry TwoKeys(EntryTarget target, OpCode op, byte flags, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, long n1)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, op, flags, target.Database, 2, n1);
        CommandFormat.AddArg(request.Payload, first);
        CommandFormat.AddArg(request.Payload, second);
        return EncodedEntry.Ready(request);
    }
}
