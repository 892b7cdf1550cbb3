using System.Runtime.CompilerServices;
using Kiwi.Core;
using Kiwi.Core.PubSub;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Resp.Handlers;

namespace Kiwi.Resp;

/// <summary>
/// Redis's <c>keymiss</c> events (class m): a read command that looked a key up and found nothing (lookupKeyRead)
/// publishes <c>keymiss</c> on <c>__keyspace@db__:key</c> and <c>__keyevent@db__:keymiss</c>. A read's handler does
/// not report what it missed; once it has answered (without an error), its key arguments are looked up again, in
/// the view it read: committed state for a read on the client's thread, the batch for one run inside EXEC. The
/// caller checks <see cref="KeyspaceEvents.WantsKeyMiss"/> first, so with notifications off a read pays one field read.
/// </summary>
internal static class KeyMisses
{
    /// <summary>True when the read of <paramref name="spec"/> can miss keys (OBJECT looks its key up without notifying, as in Redis).</summary>
    public static bool Applies(CommandSpec spec) => spec.Name != "object";

    /// <summary>A read on the client's thread: publishes the keymiss of each missing key argument in the session's database.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Publish(KiwiDb db, CommandSpec spec, CommandArgs args, int logicalDb)
    {
        if (!Applies(spec))
        {
            return;
        }

        var positions = new List<int>();
        ServerHandlers.KeyPositions(spec, args, 0, positions);
        int physical = db.PhysicalDatabase(logicalDb);
        long now = db.NowMs();
        foreach (int position in positions)
        {
            if (ReadPath.Lookup(db.Engine, physical, args[position], now) == KeyType.None)
            {
                db.Events.PublishKeyMiss(logicalDb, args[position]);
            }
        }
    }

    /// <summary>A read run inside EXEC on the writer: notes the keymiss of each missing key argument with the transaction's events.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Note(KiwiDb db, CommandSpec spec, CommandArgs args, int physicalDb, StorageSnapshot view, long nowMs)
    {
        if (!Applies(spec))
        {
            return;
        }

        var positions = new List<int>();
        ServerHandlers.KeyPositions(spec, args, 0, positions);
        foreach (int position in positions)
        {
            if (ReadPath.Lookup(view, physicalDb, args[position], nowMs) == KeyType.None)
            {
                db.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, physicalDb, args[position]);
            }
        }
    }
}
