using System.Text;
using Kiwi.Core;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Resp;

/// <summary>Everything a handler needs for one command: the session, its arguments and the reply writer.</summary>
internal ref struct CommandContext
{
    internal CommandContext(ClientSession session, CommandArgs args, RespWriter writer, CommandSpec? spec)
    {
        Session = session;
        Args = args;
        Writer = writer;
        Spec = spec;
    }

    /// <summary>The client.</summary>
    public ClientSession Session { get; }

    /// <summary>The arguments; index 0 is the command name.</summary>
    public CommandArgs Args { get; }

    /// <summary>Writes replies (reads reply at once; writes reply through <see cref="Submit(ApplyRequest)"/>).</summary>
    public RespWriter Writer { get; }

    private StorageSnapshot _view;
    private bool _viewOpen;
    private readonly bool _inBatch;
    private readonly long _batchNow;

    /// <summary>
    /// A context for a read queued in a transaction, run by the writer: it reads <paramref name="batchView"/> (the
    /// batch, with the transaction's earlier writes) at the entry's clock <paramref name="nowMs"/>.
    /// </summary>
    internal CommandContext(ClientSession session, CommandArgs args, RespWriter writer, CommandSpec spec, StorageSnapshot batchView, long nowMs)
        : this(session, args, writer, spec)
    {
        _view = batchView;
        _viewOpen = true;
        _inBatch = true;
        _batchNow = nowMs;
    }

    /// <summary>True for a read queued in a transaction, run by the writer against its batch.</summary>
    public readonly bool InBatch => _inBatch;

    /// <summary>The clock reading a read uses ("now" for expiry): the entry's inside a transaction.</summary>
    public readonly long NowMs => _inBatch ? _batchNow : Db.NowMs();

    /// <summary>
    /// Looks <paramref name="key"/> up in the session's database (see <see cref="ReadPath.Lookup(IStorageEngine, int, ReadOnlySpan{byte}, long)"/>):
    /// committed state, or the transaction's batch.
    /// </summary>
    public readonly KeyType Lookup(ReadOnlySpan<byte> key)
        => _inBatch
            ? ReadPath.Lookup(_view, ReadDb, key, _batchNow)
            : ReadPath.Lookup(Db.Engine, ReadDb, key, Db.NowMs());

    /// <summary>
    /// A cursor over the key space (meta records) for a walk of keys (KEYS, SCAN, RANDOMKEY): committed state, read
    /// live rather than through a view (a view may hold off commits while a long walk runs), or the transaction's
    /// batch merged with it. The caller disposes it.
    /// </summary>
    public readonly IStorageCursor OpenKeyCursor()
        => _inBatch ? _view.OpenCursor(KeySpace.Meta) : Db.Engine.OpenCursor(KeySpace.Meta);

    /// <summary>
    /// The read view of this command: opened on first use and closed when the command returns, so every record
    /// a command reads comes from one point in time (never half of a write). Keep it for commands that read more
    /// than one record; a single-record read needs none.
    /// </summary>
    public StorageSnapshot View
    {
        get
        {
            if (!_viewOpen)
            {
                _view = Db.Engine.OpenSnapshot();
                _viewOpen = true;
            }

            return _view;
        }
    }

    /// <summary>Closes the command's read view, if it opened one.</summary>
    internal void CloseView()
    {
        if (_viewOpen && !_inBatch)
        {
            _viewOpen = false;
            _view.Dispose();
        }
    }

    /// <summary>The command run (null for an unknown one): its writes and late errors count for it in INFO commandstats.</summary>
    internal CommandSpec? Spec { get; }

    /// <summary>The database.</summary>
    public readonly KiwiDb Db => Session.Server.Db;

    /// <summary>Shared server state.</summary>
    public readonly ServerState Server => Session.Server;

    /// <summary>
    /// Fires when the client is killed or leaves, or the server stops: a command that walks many keys checks it
    /// and stops (throwing <see cref="OperationCanceledException"/>), so it never holds up a shutdown.
    /// </summary>
    public readonly CancellationToken Cancellation => Session.Cancellation;

    /// <summary>Argument <paramref name="index"/>.</summary>
    public readonly ReadOnlySpan<byte> this[int index] => Args[index];

    /// <summary>Number of arguments, the command name included.</summary>
    public readonly int Count => Args.Count;

    /// <summary>Hands an already submitted write to the session: its reply follows earlier replies in order.</summary>
    public readonly void Submit(ApplyRequest request) => Session.AddPending(request, Spec);

    /// <summary>
    /// Where this command's reads look: the physical database id (the one in stored keys) the session's selected
    /// database stands on now (SWAPDB changes it; see <c>Kiwi.Core.Storage.DatabaseMap</c>). A read queued in a
    /// transaction runs on the writer, against the batch: it takes the writer's map, which has a SWAPDB queued
    /// before it in the same transaction (or batch) that the published map has not yet.
    /// </summary>
    public readonly int ReadDb => _inBatch ? Db.WriterPhysicalDatabase(Session.Database) : Db.PhysicalDatabase(Session.Database);

    /// <summary>Where this command's entry goes: the session's database, its reply in the session's protocol.</summary>
    public readonly EntryTarget Target => new(Db, Session.Database, Session.Protocol, session: true) { RelativeTimes = Session.Queueing };

    /// <summary>The arguments from <paramref name="first"/> on, for an encoder.</summary>
    public readonly RespArgs ArgsFrom(int first) => new(Args, first);

    /// <summary>Submits an encoder's entry and hands it to the session, or replies its refusal.</summary>
    public readonly void Submit(EncodedEntry entry)
    {
        if (entry.Request is null)
        {
            Error(entry.Error);
            return;
        }

        if (Session.Queueing)
        {
            // Inside MULTI: the command joins the transaction's entry instead.
            Session.Queue(entry.Request);
            return;
        }

        Submit(Db.SubmitRaw(entry.Request));
    }

    /// <summary>Replies an error line (without '-'), keeping reply order when writes are still in flight.</summary>
    public readonly void Error(ReadOnlySpan<byte> line)
    {
        if (Session.HasPending)
        {
            Session.AddImmediateError(Encoding.Latin1.GetString(line), Spec);
            return;
        }

        Writer.WriteError(line);
    }

    /// <summary>Replies an error line given as text, one byte per char (Latin-1), off the hot path.</summary>
    public readonly void Error(string line)
    {
        if (Session.HasPending)
        {
            Session.AddImmediateError(line, Spec);
            return;
        }

        Writer.WriteError(Encoding.Latin1.GetBytes(line));
    }

    /// <summary>"-ERR syntax error".</summary>
    public readonly void SyntaxError() => Error("ERR syntax error"u8);

    /// <summary>"-ERR value is not an integer or out of range".</summary>
    public readonly void NotInteger() => Error("ERR value is not an integer or out of range"u8);
}
