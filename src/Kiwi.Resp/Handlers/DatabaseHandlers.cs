using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>Database commands: MOVE, SWAPDB, DBSIZE (SELECT is a connection command, FLUSHDB a server one).</summary>
internal static class DatabaseHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        t.Add(new("move", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, Move));
        t.Add(new("swapdb", 3, CommandFlags.Write | CommandFlags.Fast, 0, 0, 0, SwapDb));
        t.Add(new("dbsize", 1, CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.BatchRead, 0, 0, 0, DbSize));
    }

    /// <summary>
    /// Reads a database index as Redis's getIntFromObjectOrReply does, replying its error when it is not an int:
    /// "not an integer" for text, "out of range" for an integer past 32 bits. The range of databases is the caller's.
    /// </summary>
    public static bool TryReadIndex(ref CommandContext ctx, ReadOnlySpan<byte> text, out long index)
    {
        if (!ArgParser.TryInt64(text, out index))
        {
            ctx.NotInteger();
            return false;
        }

        if (index != (int)index)
        {
            ctx.Error("ERR value is out of range, value must between -2147483648 and 2147483647"u8);
            return false;
        }

        return true;
    }

    private static void Move(ref CommandContext ctx)
    {
        if (!TryReadIndex(ref ctx, ctx[2], out long db))
        {
            return;
        }

        ctx.Submit(KeyEntries.Move(ctx.Target, ctx[1], db));
    }

    private static void SwapDb(ref CommandContext ctx)
    {
        if (!TryIndex(ctx[1], out long first))
        {
            ctx.Error("ERR invalid first DB index"u8);
            return;
        }

        if (!TryIndex(ctx[2], out long second))
        {
            ctx.Error("ERR invalid second DB index"u8);
            return;
        }

        ctx.Submit(KeyEntries.SwapDb(ctx.Target, first, second));
    }

    // O(1): the count the writer keeps (keys expired but not yet removed included, as in Redis); inside EXEC, the
    // writer's count with the transaction's earlier writes.
    private static void DbSize(ref CommandContext ctx)
        => ctx.Writer.WriteInteger(ctx.InBatch ? ctx.Db.WriterKeyCount(ctx.Session.Database) : ctx.Db.KeyCount(ctx.Session.Database));

    // Redis reads a database index as an int: anything else, a larger number included, is not one.
    private static bool TryIndex(ReadOnlySpan<byte> text, out long index)
        => ArgParser.TryInt64(text, out index) && index == (int)index;
}
