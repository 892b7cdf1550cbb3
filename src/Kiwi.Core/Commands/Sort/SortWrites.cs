using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Sort;

/// <summary>
/// SORT ... STORE in the writer: the entry carries the command's arguments (key, then the options), parsed again
/// here, so the sort reads the batch's state. The result replaces the destination as a new list (its time to live
/// goes); an empty result deletes it.
/// </summary>
internal static class SortWrites
{
    /// <summary>Runs <see cref="OpCode.SortStore"/> and replies the number of elements stored.</summary>
    public static void Store(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        byte[] key = cmd.NextArg().ToArray();
        var args = new byte[cmd.ArgCount - 1][];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = cmd.NextArg().ToArray();
        }

        SortOptions? options = SortOptions.TryParse(new ByteArrayArgs(args), readOnly: false, out ReadOnlySpan<byte> error);
        if (options?.Store is not { } destination)
        {
            reply.Writer.WriteError(options is null ? error : "ERR syntax error"u8);
            return;
        }

        var output = new List<byte[]?>();
        switch (SortRun.Run(new BatchSortData(ctx, cmd.Db), key, options, output))
        {
            case SortOutcome.WrongType:
                reply.ReplyError(KiwiError.WrongType);
                return;
            case SortOutcome.NotDouble:
                reply.Writer.WriteError("ERR One or more scores can't be converted into double"u8);
                return;
        }

        bool existed = ctx.Read(cmd.Db, destination) != KeyType.None;
        if (existed)
        {
            ctx.Delete(cmd.Db, destination);
            ctx.DropMembers(cmd.Db, destination, ctx.Current.WrittenSpan);
        }

        if (output.Count > 0)
        {
            ctx.ReadList(cmd.Db, destination, out ListState list);
            foreach (byte[]? element in output)
            {
                ctx.PutElement(cmd.Db, destination, list.Version, list.Tail++, element ?? []);
            }

            ctx.PutList(cmd.Db, destination, list);
        }

        ctx.NoteStore(KeyspaceEventClasses.List, "sortstore"u8, cmd.Db, destination, output.Count, existed);
        reply.ReplyInteger(output.Count);
    }

    private readonly struct ByteArrayArgs(byte[][] args) : IEntryArgs
    {
        public int Count => args.Length;

        public ReadOnlySpan<byte> this[int index] => args[index];
    }
}
