using System.Text;
using Kiwi.Core;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Core.Transactions;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <summary>
/// Runs the reads queued in a transaction on the writer thread: the command's own read handler, given a context
/// whose view is the writer's batch (so it sees the transaction's earlier writes) and whose clock is the entry's.
/// One writer runs at a time, so one context session serves every call.
/// </summary>
internal sealed class TransactionReads : ITransactionReads
{
    private readonly ClientSession _session;

    /// <summary>Creates the runner for <paramref name="server"/>.</summary>
    public TransactionReads(ServerState server) => _session = new ClientSession(server, "writer", string.Empty);

    /// <inheritdoc />
    public void Run(CommandArgs args, int db, StorageSnapshot view, long nowMs, RespWriter reply)
    {
        CommandSpec? spec = args.Count == 0 ? null : CommandTable.Find(args[0]);
        if (spec is null || (spec.Flags & CommandFlags.BatchRead) == 0 || !spec.AcceptsArgCount(args.Count))
        {
            reply.WriteError("ERR this read is not supported inside MULTI"u8);
            return;
        }

        _session.Database = db;
        _session.Protocol = reply.IsResp3 ? RespVersion.Resp3 : RespVersion.Resp2;
        var context = new CommandContext(_session, args, reply, spec, view, nowMs);
        var output = reply.Output as ByteBuffer;
        int start = output?.Length ?? 0;
        try
        {
            spec.Handler(ref context);
            KiwiDb store = _session.Server.Db;
            if (store.Events.WantsKeyMiss && output is not null && (output.Length == start || output.WrittenSpan[start] != (byte)'-'))
            {
                KeyMisses.Note(store, spec, args, store.WriterPhysicalDatabase(db), view, nowMs);
            }
        }
        catch (KiwiException ex)
        {
            reply.WriteError(Encoding.Latin1.GetBytes(ex.Message));
        }
        finally
        {
            context.CloseView();
        }
    }
}
