using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Resp;
using Kiwi.Core.Transactions;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <content>
/// MULTI/EXEC and WATCH: between MULTI and EXEC each command is checked and encoded as it would be alone, but joins
/// the transaction (<see cref="TransactionBuilder"/>) instead of going to the writer; EXEC submits them as ONE
/// entry. WATCH registers its keys under a token with the writer (an entry, so every replica agrees); EXEC carries
/// the token and the writer runs the transaction only if none of the keys changed.
/// </content>
internal sealed partial class ClientSession
{
    private TransactionBuilder? _transaction;
    private ByteBuffer? _queuedReply;
    private bool _transactionFailed;
    private bool _queuedEntry;
    private long _watchToken;

    /// <summary>Between MULTI and EXEC/DISCARD.</summary>
    public bool InMulti { get; private set; }

    /// <summary>True while WATCHed keys are registered for this client (its token is live).</summary>
    public bool Watching => _watchToken != 0;

    /// <summary>Commands queued since MULTI.</summary>
    public int QueuedCount => _transaction?.Count ?? 0;

    /// <summary>While a queued command's handler runs: its entry joins the transaction (see <see cref="Queue"/>).</summary>
    internal bool Queueing { get; private set; }

    /// <summary>Starts a transaction (MULTI).</summary>
    internal void BeginTransaction()
    {
        InMulti = true;
        _transactionFailed = false;
        BeginSelects();
        _transaction ??= new TransactionBuilder();
        _transaction.Clear();
    }

    /// <summary>
    /// Leaves MULTI, dropping what was queued (DISCARD, EXECABORT, RESET). WATCHed keys stay: see <see cref="UnwatchAll"/>.
    /// </summary>
    public void DiscardTransaction()
    {
        InMulti = false;
        _transactionFailed = false;
        UndoSelects();
        _transaction?.Clear();
    }

    /// <summary>
    /// Forgets the WATCHed keys without a reply to the client (RESET, EXECABORT, a closed connection): the writer
    /// drops the token in the background. UNWATCH itself submits <see cref="TakeUnwatch"/>'s entry to answer in order.
    /// </summary>
    public void UnwatchAll()
    {
        if (_watchToken == 0)
        {
            return;
        }

        var target = new EntryTarget(Server.Db, Database, Protocol, session: false);
        EncodedEntry entry = TransactionEntries.Unwatch(target, _watchToken);
        _watchToken = 0;
        try
        {
            _ = ForgetAsync(Server.Db.SubmitRaw(entry.Request!));
        }
        catch (ObjectDisposedException)
        {
            // The store is closing: nothing to unwatch in.
        }
    }

    /// <summary>The entry that drops this client's token (UNWATCH, DISCARD), or null when nothing is watched.</summary>
    internal ApplyRequest? TakeUnwatch(EntryTarget target)
    {
        if (_watchToken == 0)
        {
            return null;
        }

        EncodedEntry entry = TransactionEntries.Unwatch(target, _watchToken);
        _watchToken = 0;
        return entry.Request;
    }

    /// <summary>The token WATCH registers keys under: a new one when nothing is watched yet.</summary>
    internal long WatchToken()
    {
        while (_watchToken == 0)
        {
            _watchToken = Random.Shared.NextInt64();
        }

        return _watchToken;
    }

    /// <summary>EXEC: the transaction's entry (not submitted), or null after a queue-time error (EXECABORT).</summary>
    internal ApplyRequest? TakeTransaction(EntryTarget target)
    {
        bool failed = _transactionFailed;
        InMulti = false;
        _transactionFailed = false;
        if (failed)
        {
            UndoSelects();
            _transaction!.Clear();
            return null;
        }

        bool watched = _watchToken != 0;
        ApplyRequest request = _transaction!.Build(target, _watchToken);
        _watchToken = 0;
        SettleSelectsAtExec(request, watched);
        return request;
    }

    /// <summary>Marks the transaction as failed: EXEC will answer EXECABORT (a command refused while queueing).</summary>
    internal void FailTransaction() => _transactionFailed = true;

    /// <summary>Adds an encoder's entry to the transaction (from <see cref="CommandContext.Submit(EncodedEntry)"/>).</summary>
    internal void Queue(ApplyRequest request)
    {
        bool added = _transaction!.TryAddEntry(request);
        ApplyRequestPool.Return(request);
        _queuedEntry = added;
    }

    // Inside MULTI: queue the command (RESP's checks are done), or refuse it, which fails the transaction.
    private void QueueCommand(CommandSpec spec, RespWriter writer)
    {
        ReadOnlySpan<byte> refusal = QueueRefusal(spec);
        if (!refusal.IsEmpty)
        {
            FailTransaction();
            Server.Stats.Rejected(spec);
            writer.WriteError(refusal);
            return;
        }

        bool queued;
        if (spec.ReadsOnly(_args))
        {
            // Run by the writer against the batch when EXEC applies, so it sees the transaction's earlier writes.
            queued = _transaction!.TryAddRead(_args, Database);
        }
        else
        {
            queued = QueueWrite(spec);
        }

        if (!queued)
        {
            FailTransaction();
            writer.WriteError("ERR transaction too long"u8);
            return;
        }

        writer.WriteSimpleString("QUEUED"u8);
    }

    private ReadOnlySpan<byte> QueueRefusal(CommandSpec spec)
    {
        if (spec.ReadsOnly(_args))
        {
            return (spec.Flags & CommandFlags.BatchRead) != 0 ? default : "ERR this read is not supported inside MULTI yet"u8;
        }

        if (spec.Name is "ping" or "echo" or "time" or "unwatch")
        {
            return default;
        }

        if (spec.Name is "select")
        {
            // Its checks and its change of database happen now: see ClientSession.Select.
            NoteSelectQueued();
            return default;
        }

        if (!spec.IsWrite || spec.Name.StartsWith("kiwi.", StringComparison.Ordinal))
        {
            return "ERR this command is not supported inside MULTI yet"u8;
        }

        return default;
    }

    // A write (or PING, ECHO, TIME, UNWATCH): its handler runs as outside MULTI, its entry joins the transaction; a reply it writes instead (an
    // error found by its checks) is queued as that command's reply, as Redis answers it inside EXEC's array.
    private bool QueueWrite(CommandSpec spec)
    {
        ByteBuffer reply = _queuedReply ??= new ByteBuffer();
        reply.Clear();
        _queuedEntry = false;
        Queueing = true;
        var context = new CommandContext(this, _args, new RespWriter(reply, Protocol), spec);
        try
        {
            spec.Handler(ref context);
        }
        catch (Kiwi.Core.KiwiException ex)
        {
            context.Writer.WriteError(Encoding.Latin1.GetBytes(ex.Message));
        }
        finally
        {
            Queueing = false;
            context.CloseView();
        }

        if (_queuedEntry)
        {
            return true;
        }

        return reply.Length > 0 && _transaction!.TryAddReply(reply.WrittenSpan, Database);
    }

    private static async Task ForgetAsync(ApplyRequest request)
    {
        try
        {
            await request.WaitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        ApplyRequestPool.Return(request);
    }

    private void DisposeTransaction()
    {
        _transaction?.Dispose();
        _queuedReply?.Dispose();
    }
}
