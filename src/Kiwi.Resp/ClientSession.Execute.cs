using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <content>
/// Running one parsed command: Redis's checks in its order (unknown command, arity, authentication), queueing inside
/// MULTI, the handler, and the statistics and slowlog entry it leaves.
/// </content>
internal sealed partial class ClientSession
{
    private void ExecuteCore(CommandSpec? spec, RespWriter writer)
    {
        var context = new CommandContext(this, _args, writer, spec);
        // Redis's order (processCommand): unknown command, then arity, then authentication.
        if (spec is null)
        {
            FailTransactionIfQueueing();
            CommandErrors.UnknownCommand(ref context);
            return;
        }

        if (!spec.AcceptsArgCount(_args.Count))
        {
            FailTransactionIfQueueing();
            Server.Stats.Rejected(spec);
            if (spec.Name == "exec")
            {
                // Redis's rejectCommand ends the transaction when the command refused is EXEC itself.
                AbortExec(ref context, "wrong number of arguments for 'exec' command");
                return;
            }

            CommandErrors.WrongArity(ref context, spec);
            return;
        }

        if (!Authenticated && (spec.Flags & CommandFlags.NoAuth) == 0)
        {
            FailTransactionIfQueueing();
            Server.Stats.Rejected(spec);
            if (spec.Name == "exec")
            {
                AbortExec(ref context, "NOAUTH Authentication required.");
                return;
            }

            context.Error("NOAUTH Authentication required."u8);
            return;
        }

        if ((spec.Flags & CommandFlags.PubSubAllowed) == 0 && Protocol == RespVersion.Resp2 && InPubSubMode)
        {
            FailTransactionIfQueueing();
            Server.Stats.Rejected(spec);
            context.Error($"ERR Can't execute '{FullName(spec, _args)}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }

        if (InMulti && (spec.Flags & CommandFlags.NotQueued) == 0 && spec.Name is not ("quit" or "reset"))
        {
            Touch(spec);
            QueueCommand(spec, writer);
            return;
        }

        Touch(spec);
        long errorsBefore = _errorReplies;
        long started = Stopwatch.GetTimestamp();
        try
        {
            spec.Handler(ref context);
        }
        catch (KiwiException ex)
        {
            context.Error(ex.Message);
        }
        catch (Kiwi.Native.Rocks.StorageException ex)
        {
            // A damaged block met by a read or a walk: this command fails, the connection and the server go on.
            context.Error("ERR storage failure: " + ex.Message);
        }
        catch (ObjectDisposedException)
        {
            context.Error("ERR server is shutting down"u8);
            CloseRequested = true;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            // Killed, gone, or the server is stopping: the command stopped part way and the connection closes
            // without its reply, as it does for a killed client.
            CloseRequested = true;
        }
        finally
        {
            context.CloseView();
        }

        if (Server.Db.Events.WantsKeyMiss && _errorReplies == errorsBefore && spec.ReadsOnly(_args))
        {
            KeyMisses.Publish(Server.Db, spec, _args, Database);
        }

        // A write's time is its submission; an error it gets from the writer counts when its reply is written.
        long elapsed = Stopwatch.GetTimestamp() - started;
        Server.Stats.Called(spec, elapsed, failed: _errorReplies != errorsBefore);
        if (Server.SlowLog.IsSlow(elapsed))
        {
            Server.SlowLog.Add(_args, elapsed * 1_000_000 / Stopwatch.Frequency, this);
        }
    }

    // Redis's execCommandAbort: the transaction (if any) and the WATCHed keys are dropped, whatever the state.
    private void AbortExec(ref CommandContext context, string reason)
    {
        DiscardTransaction();
        UnwatchAll();
        context.Error("EXECABORT Transaction discarded because of: " + reason);
    }

    private void FailTransactionIfQueueing()
    {
        if (InMulti)
        {
            FailTransaction();
        }
    }

    // Redis names a subcommand "container|sub" in its refusals (client|list, config|get).
    private static string FullName(CommandSpec spec, CommandArgs args)
        => args.Count >= 2 && spec.Name is "client" or "config" or "pubsub" or "object" or "command" or "memory" or "cluster" or "slowlog" or "latency" or "acl" or "function" or "script" or "module" or "xinfo" or "xgroup"
            ? spec.Name + "|" + CommandErrors.Latin(args[1]).ToLowerInvariant()
            : spec.Name;
}
