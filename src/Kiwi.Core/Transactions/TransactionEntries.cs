using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.Transactions;

/// <summary>Encoders of WATCH and UNWATCH: entries, so every replica's registry (<see cref="WatchRegistry"/>) is the same.</summary>
internal static class TransactionEntries
{
    /// <summary>WATCH <paramref name="keys"/> under <paramref name="token"/>.</summary>
    public static EncodedEntry Watch<TArgs>(EntryTarget target, long token, TArgs keys)
        where TArgs : IEntryArgs, allows ref struct
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Watch, 0, target.Database, keys.Count, token);
        CommandFormat.AddArgs(request.Payload, keys);
        return EncodedEntry.Ready(request);
    }

    /// <summary>Drops <paramref name="token"/> and its keys (UNWATCH, DISCARD, a client gone).</summary>
    public static EncodedEntry Unwatch(EntryTarget target, long token)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Watch, TransactionWrites.Unwatch, target.Database, 0, token);
        return EncodedEntry.Ready(request);
    }
}
