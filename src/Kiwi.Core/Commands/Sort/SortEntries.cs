using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands.Sort;

/// <summary>Encodes SORT ... STORE as a writer entry (<see cref="OpCode.SortStore"/>).</summary>
internal static class SortEntries
{
    /// <summary>SORT key [options...] STORE destination: <paramref name="args"/> from the key on, options already checked.</summary>
    public static EncodedEntry Store<TArgs>(EntryTarget target, TArgs args)
        where TArgs : IEntryArgs, allows ref struct
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SortStore, 0, target.Database, args.Count);
        CommandFormat.AddArgs(request.Payload, args);
        return EncodedEntry.Ready(request);
    }
}
