using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

internal sealed partial class ClientSession
{
    /// <summary>Replies buffered beyond this are flushed before more commands run, bounding memory per client.</summary>
    private const int FlushThreshold = 256 * 1024;

    /// <summary>
    /// An unfinished command at least this big is moved out of the input pipe into <see cref="_large"/>, so the
    /// pipe can stay small (it pauses the socket at 1 MB) while one command may still reach proto-max-bulk-len.
    /// </summary>
    public const int LargeCommandThreshold = 512 * 1024;

    /// <summary>
    /// Input at least this long, read on an I/O thread, is processed on the thread pool instead: a lone command
    /// is answered where it was read, a pipeline leaves that thread free for other clients.
    /// </summary>
    private const int OffloadBytes = 256;

    private readonly CommandArgs _args = new();
    private ByteBuffer? _large;

    private enum Outcome : byte
    {
        NeedInput,
        Drain,
        Flush,
        Close,
        ReadBarrier,
        Paused,
    }

    // Linearizable reads (cluster mode): one read barrier per batch of input, taken before its first read.
    private bool _readBarrierPassed;
    private string? _readBarrierError;

    /// <summary>
    /// Serves the connection until the client leaves, sends QUIT, breaks the protocol or is killed. Each read
    /// is parsed into commands: reads answer at once, writes go to the writer and their replies follow in
    /// order; everything one read produced is flushed together (pipelining).
    /// </summary>
    public async Task RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _kill.Token);
        CancellationToken token = linked.Token;
        Cancellation = token;
        _input = input;
        Server.Clients[Id] = this;
        try
        {
            while (!CloseRequested)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(token).ConfigureAwait(false);
                    _readBarrierPassed = false;
                    if (Server.Db.IsApplyingOnThisThread)
                    {
                        // Replies are completed on the writer thread; new commands must not run there (a write
                        // could wait for space in the ring only that thread frees). Look again from the pool.
                        input.AdvanceTo(result.Buffer.Start);
                        await Task.Yield();
                        continue;
                    }

                    if (result.Buffer.Length >= OffloadBytes && !Thread.CurrentThread.IsThreadPoolThread)
                    {
                        // A pipeline on the socket's I/O thread: run it on the pool, so the I/O thread goes on
                        // serving other clients meanwhile (the hop costs less than the commands it moves).
                        input.AdvanceTo(result.Buffer.Start);
                        await Task.Yield();
                        continue;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                bool spooled = _large is { Length: > 0 };
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (spooled)
                {
                    Spool(buffer);
                    input.AdvanceTo(buffer.End);
                    buffer = new ReadOnlySequence<byte>(_large!.WrittenMemory);
                    _args.Reset();
                }

                Outcome outcome;
                long executed = 0;
                while (true)
                {
                    if (Server.Db.IsApplyingOnThisThread)
                    {
                        // Resumed by a write's completion on the writer thread: run further commands elsewhere.
                        await Task.Yield();
                    }

                    outcome = Process(ref buffer, output, ref executed);
                    if (_pendingCount > 0)
                    {
                        // Every write this read carried is published: one batch for all of them. On the socket's
                        // I/O thread, with the writer idle, it is applied right here and the replies below are
                        // ready without a thread switch; a pipeline on the pool goes to the writer thread, which
                        // batches it with other clients' writes.
                        if (Thread.CurrentThread.IsThreadPoolThread)
                        {
                            Server.Db.ApplyPublished(inline: false);
                        }
                        else if (Server.WriteScheduler is { } scheduler)
                        {
                            // Other clients' reads of this wave are probably waiting: one batch for all.
                            scheduler.Schedule();
                        }
                        else
                        {
                            Server.Db.ApplyPublished(inline: true);
                        }
                    }

                    // Replies of writes in flight follow in order. The wait is inlined here (not a helper
                    // async method) so no state machine is allocated per read.
                    while (_pendingCount > 0)
                    {
                        if (ReferenceEquals(_pending[_pendingHead], _blockedReply))
                        {
                            // A blocked client: what it was answered before goes out now, not when it is served.
                            _blockedReply = null;
                            await FlushAsync(output, token).ConfigureAwait(false);
                        }

                        await _pending[_pendingHead].WaitAsync().ConfigureAwait(false);
                        SettleExecSelect();
                        WriteHeadReply(output);
                    }

                    if (outcome == Outcome.Drain)
                    {
                        continue;
                    }

                    if (outcome == Outcome.Paused)
                    {
                        await FlushAsync(output, token).ConfigureAwait(false);
                        await Server.Pause.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }

                    if (outcome == Outcome.ReadBarrier)
                    {
                        _readBarrierError = null;
                        try
                        {
                            await Server.Db.ReadBarrierAsync(token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                        {
                            // No majority (or no leader): the reads of this input get an error, never stale data.
                            _readBarrierError = "CLUSTERDOWN the read could not be made linearizable: " + ex.Message;
                        }

                        _readBarrierPassed = true;
                        continue;
                    }

                    if (outcome == Outcome.Flush)
                    {
                        FlushResult flushed = await FlushAsync(output, token).ConfigureAwait(false);
                        if (flushed.IsCompleted || flushed.IsCanceled)
                        {
                            outcome = Outcome.Close;
                            break;
                        }

                        continue;
                    }

                    break;
                }

                Server.AddCommands(executed);
                FlushResult final = await FlushAsync(output, token).ConfigureAwait(false);
                SetQueryBufferBytes(buffer.Length);
                if (spooled)
                {
                    _large!.RemovePrefix(_large.Length - (int)buffer.Length);
                    if (_large.Length == 0)
                    {
                        _large.Clear();
                    }
                }
                else if (outcome == Outcome.NeedInput && buffer.Length >= LargeCommandThreshold)
                {
                    // One command too big for the pipe: keep its bytes here and let the pipe go on reading.
                    Spool(buffer);
                    input.AdvanceTo(buffer.End);
                    _args.Reset();
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (outcome == Outcome.Close || final.IsCompleted || result.IsCompleted)
                {
                    break;
                }

                if (buffer.Length > Server.Settings.ClientQueryBufferLimit)
                {
                    // An unfinished request larger than the limit: Redis closes such clients.
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            // Keys it watched are forgotten; writes already submitted must finish before their requests go back to the pool.
            UnwatchAll();
            await DrainQuietlyAsync().ConfigureAwait(false);
            EndPubSub();
            Server.Clients.TryRemove(Id, out _);
            _args.Dispose();
            _large?.Dispose();
        }
    }

    private void Spool(ReadOnlySequence<byte> data)
    {
        _large ??= new ByteBuffer();
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            _large.Write(segment.Span);
        }
    }

    private Outcome Process(ref ReadOnlySequence<byte> buffer, PipeWriter output, ref long executed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var writer = new RespWriter(output, Protocol, this);
        RespLimits limits = Authenticated
            ? new RespLimits { MaxBulkLength = Server.Settings.ProtoMaxBulkLen }
            : new RespLimits { MaxBulkLength = Server.Settings.ProtoMaxBulkLen, Unauthenticated = true };
        try
        {
            while (true)
            {
                SequencePosition before = reader.Position;
                RespParseStatus status = RespReader.TryParseCommand(ref reader, _args, limits);
                if (status == RespParseStatus.Incomplete)
                {
                    buffer = buffer.Slice(reader.Position);
                    return Outcome.NeedInput;
                }

                if (status == RespParseStatus.Error)
                {
                    if (HasPending)
                    {
                        // Replies to earlier writes go first; the protocol error is parsed again after them.
                        _args.Reset();
                        buffer = buffer.Slice(before);
                        return Outcome.Drain;
                    }

                    writer.WriteProtocolError(_args.Error, _args.UnexpectedByte);
                    buffer = buffer.Slice(reader.Position);
                    return Outcome.Close;
                }

                CommandSpec? spec = CommandTable.Find(_args[0]);
                bool readsOnly = spec is not null && spec.ReadsOnly(_args);
                if (HasPending && (spec is null || !spec.IsWrite || readsOnly || PendingFull))
                {
                    // A read (or anything replying at once) must see this client's earlier writes, and its
                    // reply must follow theirs: finish them first, then parse this command again.
                    _args.Reset();
                    buffer = buffer.Slice(before);
                    return Outcome.Drain;
                }

                if (Server.Pause.IsActive && Server.Pause.Holds(writes: spec is not null && spec.IsWrite && !readsOnly))
                {
                    // CLIENT PAUSE: held, not refused; parsed again once the pause ends.
                    _args.Reset();
                    buffer = buffer.Slice(before);
                    return Outcome.Paused;
                }

                if (readsOnly && !InMulti && Server.LinearizableReads)
                {
                    if (!_readBarrierPassed)
                    {
                        _args.Reset();
                        buffer = buffer.Slice(before);
                        return Outcome.ReadBarrier;
                    }

                    if (_readBarrierError is not null)
                    {
                        executed++;
                        Server.Stats.Rejected(spec!);
                        writer.WriteError(System.Text.Encoding.UTF8.GetBytes(_readBarrierError));
                        _args.Reset();
                        continue;
                    }
                }

                executed++;
                if (_outbox is not null)
                {
                    // Messages published before this command ran go out before its reply.
                    WritePushes(output);
                }

                Execute(spec, writer);
                _args.Reset();
                if (_blockedReply is not null || AwaitingExecSelect)
                {
                    // Blocked, or an EXEC whose reply decides the database: no further command is read until it is in.
                    buffer = buffer.Slice(reader.Position);
                    return Outcome.Drain;
                }

                if (CloseRequested)
                {
                    buffer = buffer.Slice(reader.Position);
                    return Outcome.Close;
                }

                if (output.UnflushedBytes > FlushThreshold)
                {
                    buffer = buffer.Slice(reader.Position);
                    return Outcome.Flush;
                }
            }
        }
        catch
        {
            _args.Reset();
            throw;
        }
    }
}
