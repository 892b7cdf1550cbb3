using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>Runs the commands of one entry against the batch being built.</summary>
internal static class CommandExecutor
{
    /// <summary>Applies every command of <paramref name="request"/>'s payload; returns how many ran.</summary>
    public static int Execute(ApplyContext ctx, ApplyRequest request)
    {
        var reader = new EntryReader(request.Payload.WrittenSpan);
        if (!reader.IsValid)
        {
            request.ReplyError(KiwiError.UnknownCommand);
            return 0;
        }

        ctx.Now = reader.NowMs;
        ctx.BeginEntry(request.Index, request.SubIndex);
        int executed = 0;
        while (reader.TryRead(out CommandView command))
        {
            if (command.Op == OpCode.Exec)
            {
                executed += RunTransaction(ctx, ref reader, ref command, request);
                continue;
            }

            RunOne(ctx, ref command, request);
            executed++;
        }

        if (!reader.IsValid)
        {
            request.ReplyError(KiwiError.UnknownCommand);
        }

        return executed;
    }

    // One command (alone or queued in EXEC); a bug in it must not take the batch down: drop what it wrote (and
    // the key counts it changed) and report it.
    private static void RunOne(ApplyContext ctx, ref CommandView command, ApplyRequest request)
    {
        int mark = ctx.Writes.Mark;
        int countMark = ctx.Counts.Mark;
        int replyMark = request.ReplyBuffer.Length;
        if (command.Op is not (OpCode.ExpireSweep or OpCode.TxRead))
        {
            // Keys are stored under the physical database, as the batch maps it (a SWAPDB earlier in the batch or
            // the transaction counts); an expiry sweep names one already (from the index), and a queued read keeps
            // the logical one: its context translates it (CommandContext.ReadDb) as the writer's map has it then.
            command.Db = ctx.Databases.WriterPhysical(command.Db);
        }

        int eventMark = ctx.Events.Mark;
        try
        {
            Dispatch(ctx, ref command, request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ctx.Writes.Rollback(mark);
            ctx.Events.Rollback(eventMark);
            ctx.Counts.Rollback(countMark);
            ctx.ForgetKnownKey();
            ctx.ZSetEdges.Clear();
            request.ReplyBuffer.SetLength(replyMark);
            request.Writer.WriteError(KiwiError.StorageFailure, ex.Message);
        }
    }

    // EXEC: the next N1 commands, replied as one array, or none of them (a null array) when a watched key changed.
    private static int RunTransaction(ApplyContext ctx, ref EntryReader reader, ref CommandView exec, ApplyRequest request)
    {
        int count = (int)exec.N1;
        bool admitted = Transactions.TransactionWrites.Admit(ctx, exec.N2);
        if (admitted)
        {
            request.Writer.WriteArrayHeader(count);
        }
        else
        {
            request.Writer.WriteNullArray();
        }

        int executed = 0;
        ctx.InTransaction = true;
        try
        {
            for (int i = 0; i < count && reader.TryRead(out CommandView command); i++)
            {
                if (admitted)
                {
                    RunOne(ctx, ref command, request);
                    executed++;
                }
            }
        }
        finally
        {
            ctx.InTransaction = false;
        }

        return executed;
    }

    private static void Dispatch(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        switch (cmd.Op)
        {
            case OpCode.Set:
                StringWrites.Set(ctx, ref cmd, reply);
                break;
            case OpCode.GetDel:
                StringWrites.GetDel(ctx, ref cmd, reply);
                break;
            case OpCode.GetEx:
                StringWrites.GetEx(ctx, ref cmd, reply);
                break;
            case OpCode.MSet:
                StringWrites.MSet(ctx, ref cmd, reply);
                break;
            case OpCode.MSetNx:
                StringWrites.MSetNx(ctx, ref cmd, reply);
                break;
            case OpCode.Append:
                StringWrites.Append(ctx, ref cmd, reply);
                break;
            case OpCode.SetRange:
                StringWrites.SetRange(ctx, ref cmd, reply);
                break;
            case OpCode.IncrBy:
                StringWrites.IncrBy(ctx, ref cmd, reply);
                break;
            case OpCode.IncrByFloat:
                StringWrites.IncrByFloat(ctx, ref cmd, reply);
                break;
            case OpCode.Del:
                KeyWrites.Del(ctx, ref cmd, reply);
                break;
            case OpCode.Expire:
                KeyWrites.Expire(ctx, ref cmd, reply);
                break;
            case OpCode.Persist:
                KeyWrites.Persist(ctx, ref cmd, reply);
                break;
            case OpCode.ExpireSweep:
                KeyWrites.ExpireSweep(ctx, ref cmd, reply);
                break;
            case OpCode.FlushDb:
                KeyWrites.FlushDb(ctx, ref cmd, reply);
                break;
            case OpCode.Rename:
                KeyWrites.Rename(ctx, ref cmd, reply);
                break;
            case OpCode.Copy:
                KeyWrites.Copy(ctx, ref cmd, reply);
                break;
            case OpCode.Restore:
                KeyWrites.Restore(ctx, ref cmd, reply);
                break;
            case OpCode.Move:
                KeyWrites.Move(ctx, ref cmd, reply);
                break;
            case OpCode.SwapDb:
                KeyWrites.SwapDb(ctx, ref cmd, reply);
                break;
            case OpCode.HSet:
                HashWrites.Set(ctx, ref cmd, reply);
                break;
            case OpCode.HDel:
                CollectionWrites.RemoveMembers(ctx, ref cmd, reply, KeyType.Hash);
                break;
            case OpCode.HIncrBy:
                HashWrites.IncrBy(ctx, ref cmd, reply);
                break;
            case OpCode.HIncrByFloat:
                HashWrites.IncrByFloat(ctx, ref cmd, reply);
                break;
            case OpCode.SetBit:
                Bits.BitWrites.SetBit(ctx, ref cmd, reply);
                break;
            case OpCode.BitOp:
                Bits.BitWrites.BitOp(ctx, ref cmd, reply);
                break;
            case OpCode.BitField:
                Bits.BitWrites.BitField(ctx, ref cmd, reply);
                break;
            case OpCode.SAdd:
                SetWrites.Add(ctx, ref cmd, reply);
                break;
            case OpCode.SRem:
                CollectionWrites.RemoveMembers(ctx, ref cmd, reply, KeyType.Set);
                break;
            case OpCode.SPop:
                SetWrites.Pop(ctx, ref cmd, reply);
                break;
            case OpCode.SMove:
                SetWrites.Move(ctx, ref cmd, reply);
                break;
            case OpCode.SStore:
                SetWrites.Store(ctx, ref cmd, reply);
                break;
            case OpCode.LPush:
                Lists.ListWrites.Push(ctx, ref cmd, reply);
                break;
            case OpCode.LPop:
                Lists.ListWrites.Pop(ctx, ref cmd, reply);
                break;
            case OpCode.LSet:
                Lists.ListWrites.Set(ctx, ref cmd, reply);
                break;
            case OpCode.LTrim:
                Lists.ListWrites.Trim(ctx, ref cmd, reply);
                break;
            case OpCode.LRem:
                Lists.ListWrites.Remove(ctx, ref cmd, reply);
                break;
            case OpCode.LInsert:
                Lists.ListWrites.Insert(ctx, ref cmd, reply);
                break;
            case OpCode.LMove:
                Lists.ListWrites.Move(ctx, ref cmd, reply);
                break;
            case OpCode.LMPop:
                Lists.ListWrites.MultiPop(ctx, ref cmd, reply);
                break;
            case OpCode.ZAdd:
            case OpCode.ZRem:
            case OpCode.ZPop:
            case OpCode.ZRemRange:
            case OpCode.ZStore:
            case OpCode.ZRangeStore:
                SortedSets.ZSetWrites.Dispatch(ctx, ref cmd, reply);
                break;
            case OpCode.SortStore:
                Sort.SortWrites.Store(ctx, ref cmd, reply);
                break;
            case OpCode.TxRead:
                Transactions.TransactionWrites.Read(ctx, ref cmd, reply);
                break;
            case OpCode.Watch:
                Transactions.TransactionWrites.Watch(ctx, ref cmd, reply);
                break;
            case OpCode.Publish:
                PubSub.PubSubWrites.Publish(ctx, ref cmd, reply);
                break;
            default:
                reply.ReplyError(KiwiError.UnknownCommand);
                break;
        }
    }
}
