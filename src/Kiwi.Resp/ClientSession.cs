using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <summary>
/// One client connection's state: protocol version, name, authentication, the writes it has in flight
/// (their replies go out in command order), and its statistics for CLIENT LIST.
/// </summary>
internal sealed partial class ClientSession : IDisposable, IErrorReplyObserver
{
    private const int MaxPending = 1024;

    // Grows on demand (ring buffer, power of two): most connections never have more than a few writes in flight.
    // The command of each goes alongside, so an error reply it gets later counts as that command's failure.
    private ApplyRequest[] _pending = new ApplyRequest[8];
    private CommandSpec?[] _pendingSpecs = new CommandSpec?[8];
    private bool[] _pendingQuiet = new bool[8];
    private int _pendingHead;
    private int _pendingCount;
    private readonly CancellationTokenSource _kill = new();

    // Error replies written to this client: a command failed when this grew while it ran.
    private long _errorReplies;

    /// <summary>Creates a session for a new connection.</summary>
    public ClientSession(ServerState server, string remoteAddress, string localAddress)
    {
        Server = server;
        Id = server.NextClientId();
        RemoteAddress = remoteAddress;
        LocalAddress = localAddress;
        CreatedAtMs = Environment.TickCount64;
        LastInteractionMs = CreatedAtMs;
        Authenticated = server.Settings.RequirePass is null;
        Cancellation = _kill.Token;
    }

    /// <summary>Shared server state.</summary>
    public ServerState Server { get; }

    /// <summary>Client id (CLIENT ID).</summary>
    public long Id { get; }

    /// <summary>Peer address "ip:port".</summary>
    public string RemoteAddress { get; }

    /// <summary>Local address "ip:port".</summary>
    public string LocalAddress { get; }

    /// <summary>CLIENT SETNAME name, or null.</summary>
    public string? Name { get; set; }

    /// <summary>HELLO's library name and version (CLIENT SETINFO).</summary>
    public string? LibName { get; set; }

    /// <summary>CLIENT SETINFO lib-ver.</summary>
    public string? LibVersion { get; set; }

    /// <summary>RESP version spoken (HELLO 2|3).</summary>
    public RespVersion Protocol { get; set; } = RespVersion.Resp2;

    /// <summary>True once AUTH succeeded (or no password is set).</summary>
    public bool Authenticated { get; set; }

    /// <summary>Selected database.</summary>
    public int Database { get; set; }

    /// <summary>Connection start (Environment.TickCount64).</summary>
    public long CreatedAtMs { get; }

    /// <summary>Last command time (Environment.TickCount64).</summary>
    public long LastInteractionMs { get; private set; }

    /// <summary>Name of the last command run.</summary>
    public string LastCommand { get; private set; } = "NULL";

    /// <summary>Set by QUIT and CLIENT KILL: the connection closes after the current replies.</summary>
    public bool CloseRequested { get; set; }

    /// <summary>Bytes received from the client but not yet parsed.</summary>
    public long QueryBufferBytes { get; private set; }

    /// <summary>Writes in flight.</summary>
    public bool HasPending => _pendingCount > 0;

    /// <summary>Fires when the client is killed.</summary>
    public CancellationToken KillToken => _kill.Token;

    /// <summary>
    /// Fires when the client is killed (CLIENT KILL, or every client when the server stops) or its connection
    /// closes: what a long command observes.
    /// </summary>
    public CancellationToken Cancellation { get; private set; }

    /// <summary>Closes the connection from another client (CLIENT KILL).</summary>
    public void Kill()
    {
        CloseRequested = true;
        try
        {
            _kill.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Releases the kill token.</summary>
    public void Dispose()
    {
        _kill.Dispose();
        DisposeTransaction();
    }

    /// <summary>Queues a write in flight of <paramref name="spec"/>'s command; its reply follows earlier ones.</summary>
    internal void AddPending(ApplyRequest request, CommandSpec? spec)
    {
        if (_pendingCount == _pending.Length)
        {
            GrowPending();
        }

        int slot = (_pendingHead + _pendingCount) & (_pending.Length - 1);
        _pending[slot] = request;
        _pendingSpecs[slot] = spec;
        _pendingQuiet[slot] = _quietCommand;
        _pendingCount++;
    }

    private void GrowPending()
    {
        var larger = new ApplyRequest[_pending.Length * 2];
        var largerSpecs = new CommandSpec?[_pending.Length * 2];
        var largerQuiet = new bool[_pending.Length * 2];
        for (int i = 0; i < _pendingCount; i++)
        {
            int slot = (_pendingHead + i) & (_pending.Length - 1);
            larger[i] = _pending[slot];
            largerSpecs[i] = _pendingSpecs[slot];
            largerQuiet[i] = _pendingQuiet[slot];
        }

        _pending = larger;
        _pendingSpecs = largerSpecs;
        _pendingQuiet = largerQuiet;
        _pendingHead = 0;
    }

    /// <summary>An error reply of <paramref name="spec"/>'s command that must wait for writes in flight before it.</summary>
    internal void AddImmediateError(string line, CommandSpec? spec)
    {
        ApplyRequest request = ApplyRequestPool.Rent();
        request.ReplyErrorText(line);
        request.CompleteInline();
        AddPending(request, spec);
    }

    internal bool PendingFull => _pendingCount == MaxPending;

    /// <summary>Writes the reply of the oldest write in flight (which has completed) and releases it.</summary>
    internal void WriteHeadReply(System.IO.Pipelines.PipeWriter output)
    {
        CommandSpec? spec = _pendingSpecs[_pendingHead];
        bool quiet = _pendingQuiet[_pendingHead];
        ApplyRequest request = TakeHead();
        if (_outbox is not null)
        {
            WritePushes(output);
        }

        ReadOnlySpan<byte> reply = request.ReplyBuffer.WrittenSpan;
        if (!reply.IsEmpty && reply[0] == (byte)'-')
        {
            // A write's error reply was written by the writer: it counts here, once it reaches the client.
            if (spec is not null)
            {
                Server.Stats.Failed(spec);
            }

            int end = reply.IndexOf("\r\n"u8);
            ((IErrorReplyObserver)this).OnErrorReply(reply[1..(end < 0 ? reply.Length : end)]);
        }

        if (!quiet)
        {
            new RespWriter(output, Protocol).WriteRaw(reply);
        }

        ApplyRequestPool.Return(request);
    }

    // Writes already submitted must finish before their requests go back to the pool (the session is ending).
    private async ValueTask DrainQuietlyAsync()
    {
        while (_pendingCount > 0)
        {
            ApplyRequest request = _pending[_pendingHead];
            try
            {
                await request.WaitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
            }

            ApplyRequestPool.Return(TakeHead());
        }
    }

    /// <summary>Removes the oldest write in flight from the queue (the caller returns it to the pool).</summary>
    private ApplyRequest TakeHead()
    {
        ApplyRequest request = _pending[_pendingHead];
        _pending[_pendingHead] = null!;
        _pendingSpecs[_pendingHead] = null;
        _pendingHead = (_pendingHead + 1) & (_pending.Length - 1);
        _pendingCount--;
        return request;
    }

    /// <inheritdoc />
    void IErrorReplyObserver.OnErrorReply(ReadOnlySpan<byte> line)
    {
        _errorReplies++;
        Server.Stats.ErrorReply(line);
    }

    internal void Touch(CommandSpec spec)
    {
        LastInteractionMs = Environment.TickCount64;
        LastCommand = spec.Name;
    }

    internal void SetQueryBufferBytes(long bytes) => QueryBufferBytes = bytes;

    /// <summary>The CLIENT LIST / CLIENT INFO line for this client.</summary>
    public string Describe()
    {
        long now = Environment.TickCount64;
        var line = new StringBuilder();
        line.Append("id=").Append(Id)
            .Append(" addr=").Append(RemoteAddress)
            .Append(" laddr=").Append(LocalAddress)
            .Append(" fd=8 name=").Append(Name ?? string.Empty)
            .Append(" age=").Append((now - CreatedAtMs) / 1000)
            .Append(" idle=").Append((now - LastInteractionMs) / 1000)
            .Append(" flags=").Append(Blocked is not null ? "b" : string.Empty).Append(InMulti ? "x" : string.Empty)
            .Append(InPubSubMode ? "P" : string.Empty).Append(Blocked is null && !InMulti && !InPubSubMode ? "N" : string.Empty)
            .Append(" db=").Append(Database)
            .Append(" sub=").Append(ChannelCount)
            .Append(" psub=").Append(PatternCount)
            .Append(" ssub=").Append(ShardSubscriptionCount)
            .Append(" multi=").Append(InMulti ? QueuedCount : -1).Append(" watch=").Append(Watching ? 1 : 0).Append(" qbuf=").Append(QueryBufferBytes)
            .Append(" qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=")
            .Append(LastCommand)
            .Append(" user=default redir=-1 resp=").Append((int)Protocol)
            .Append(" lib-name=").Append(LibName ?? string.Empty)
            .Append(" lib-ver=").Append(LibVersion ?? string.Empty);
        return line.ToString();
    }
}
