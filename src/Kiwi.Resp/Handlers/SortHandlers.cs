using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.Sort;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// SORT and SORT_RO. Without STORE they read committed state through the command's one read view; SORT ... STORE is a
/// writer entry (<see cref="SortWrites"/>), so the stored list is what the batch's state sorts to, on every member.
/// </summary>
internal static class SortHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        t.Add(new("sort", -2, CommandFlags.Write | CommandFlags.BatchRead, 1, 1, 1, static (ref CommandContext ctx) => Sort(ref ctx, readOnly: false))
        {
            ReadsOnlyWhen = static args => !HasStore(args),
        });
        t.Add(new("sort_ro", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 1, 1, 1, static (ref CommandContext ctx) => Sort(ref ctx, readOnly: true)));
    }

    // The session must know before the handler runs whether this SORT only reads: it does unless it stores.
    private static bool HasStore(CommandArgs args)
        => SortOptions.TryParse(new RespArgs(args, 2), readOnly: false, out _) is { Store: not null };

    private static void Sort(ref CommandContext ctx, bool readOnly)
    {
        SortOptions? options = SortOptions.TryParse(ctx.ArgsFrom(2), readOnly, out ReadOnlySpan<byte> error);
        if (options is null)
        {
            ctx.Error(error);
            return;
        }

        if (options.Store is not null)
        {
            ctx.Submit(SortEntries.Store(ctx.Target, ctx.ArgsFrom(1)));
            return;
        }

        var output = new List<byte[]?>();
        switch (SortRun.Run(new CommittedSortData(ctx.View, ctx.ReadDb, ctx.NowMs), ctx[1], options, output))
        {
            case SortOutcome.WrongType:
                ctx.Writer.WriteError(KiwiError.WrongType);
                return;
            case SortOutcome.NotDouble:
                ctx.Error("ERR One or more scores can't be converted into double"u8);
                return;
        }

        RespWriter writer = ctx.Writer;
        writer.WriteArrayHeader(output.Count);
        foreach (byte[]? value in output)
        {
            if (value is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.WriteBulk(value);
            }
        }
    }
}
