using Kiwi.Core.Commands.Lists;
using Kiwi.Core.Commands.SortedSets;

namespace Kiwi.Resp.Handlers;

/// <content>
/// Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP): the timeout is read as BLPOP reads it, the rest as ZMPOP; then the
/// session parks the client on a <see cref="ZSetBlockedPop"/> as it does for the blocking list pops.
/// </content>
internal static partial class ZSetHandlers
{
    private static void RegisterBlocking(List<CommandSpec> t)
    {
        const CommandFlags B = CommandFlags.Write | CommandFlags.Blocking;
        t.Add(new("bzpopmin", -3, B | CommandFlags.Fast, 1, -2, 1, static (ref CommandContext ctx) => BlockingPop(ref ctx, max: false)));
        t.Add(new("bzpopmax", -3, B | CommandFlags.Fast, 1, -2, 1, static (ref CommandContext ctx) => BlockingPop(ref ctx, max: true)));
        t.Add(new("bzmpop", -5, B, 0, 0, 0, BlockingMultiPop));
    }

    private static void BlockingPop(ref CommandContext ctx, bool max)
    {
        if (ListHandlers.TryTimeout(ref ctx, ctx.Count - 1, out long timeoutMs))
        {
            ReadOnlyMemory<byte>[] keys = ListHandlers.CopyArgs(ref ctx, 1, ctx.Count - 2);
            var pop = new ZSetBlockedPop(ListHandlers.Detached(ref ctx), keys, max, single: true, 1);
            ListHandlers.Block(ref ctx, pop, timeoutMs, nullArray: true);
        }
    }

    // BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
    private static void BlockingMultiPop(ref CommandContext ctx)
    {
        if (!ListHandlers.TryTimeout(ref ctx, 1, out long timeoutMs))
        {
            return;
        }

        if (!ZSetEntries.TryParseMultiPop(new RespArgRange(ctx.Args, 2, ctx.Count - 2), out int keyCount, out bool max, out long count, out ReadOnlySpan<byte> error))
        {
            ctx.Error(error);
            return;
        }

        ReadOnlyMemory<byte>[] keys = ListHandlers.CopyArgs(ref ctx, 3, keyCount);
        var pop = new ZSetBlockedPop(ListHandlers.Detached(ref ctx), keys, max, single: false, count);
        ListHandlers.Block(ref ctx, pop, timeoutMs, nullArray: true);
    }
}
