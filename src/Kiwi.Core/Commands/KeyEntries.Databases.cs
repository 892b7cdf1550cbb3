using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <content>The database commands that write: MOVE and SWAPDB (SELECT is a session's, FLUSHDB is <see cref="Flush"/>).</content>
internal static partial class KeyEntries
{
    /// <summary>Redis's reply to a database number outside 0 to databases-1.</summary>
    public static ReadOnlySpan<byte> DbOutOfRange => "ERR DB index is out of range"u8;

    /// <summary>True when <paramref name="index"/> names one of <paramref name="db"/>'s databases.</summary>
    public static bool IsDatabase(KiwiDb db, long index) => (ulong)index < (ulong)db.DatabaseCount;

    /// <summary>MOVE key db: the target database is checked here (Redis's order: range, then same database).</summary>
    public static EncodedEntry Move(EntryTarget target, ReadOnlySpan<byte> key, long destinationDb)
    {
        if (!IsDatabase(target.Db, destinationDb))
        {
            return EncodedEntry.Refused(DbOutOfRange);
        }

        if (destinationDb == target.Database)
        {
            return EncodedEntry.Refused(KiwiErrorText.Utf8(KiwiError.SameObject));
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Move, 0, target.Database, 1, destinationDb);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    /// <summary>SWAPDB a b: both must be databases (swapping one with itself is a no-op that replies OK, as Redis).</summary>
    public static EncodedEntry SwapDb(EntryTarget target, long first, long second)
    {
        if (!IsDatabase(target.Db, first) || !IsDatabase(target.Db, second))
        {
            return EncodedEntry.Refused(DbOutOfRange);
        }

        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SwapDb, 0, target.Database, 0, first, second);
        return EncodedEntry.Ready(request);
    }
}
