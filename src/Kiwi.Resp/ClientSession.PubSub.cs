using System.Buffers;
using System.IO.Pipelines;
using Kiwi.Core.PubSub;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <content>
/// Pub/sub: this client's subscriptions, and the messages other threads publish to it. A message is appended to the
/// client's <see cref="PushOutbox"/> by the publisher (under the hub's lock, never waiting); the session writes
/// waiting messages to its connection before each reply it writes and before each flush, so a reply follows every
/// message published before its command ran (nothing arrives after UNSUBSCRIBE's reply on that channel). A session
/// reading nothing is woken by a thread-pool item that cancels its pending read once per batch of messages.
/// </content>
internal sealed partial class ClientSession : IPubSubSink, IThreadPoolWorkItem
{
    private HashSet<byte[]>? _channels;
    private HashSet<byte[]>? _patterns;
    private HashSet<byte[]>? _shardChannels;
    private PushOutbox? _outbox;
    private PipeReader? _input;
    private int _cutOffQueued;

    /// <summary>SUBSCRIBE channels plus PSUBSCRIBE patterns (the count Redis replies to them).</summary>
    public int SubscriptionCount => (_channels?.Count ?? 0) + (_patterns?.Count ?? 0);

    /// <summary>SSUBSCRIBE channels.</summary>
    public int ShardSubscriptionCount => _shardChannels?.Count ?? 0;

    /// <summary>Channels subscribed to (CLIENT LIST sub=).</summary>
    public int ChannelCount => _channels?.Count ?? 0;

    /// <summary>Patterns subscribed to (CLIENT LIST psub=).</summary>
    public int PatternCount => _patterns?.Count ?? 0;

    /// <summary>
    /// True while the client has any subscription: a RESP2 client then may run only (P|S)SUBSCRIBE,
    /// (P|S)UNSUBSCRIBE, PING, QUIT and RESET (Redis's CLIENT_PUBSUB flag).
    /// </summary>
    public bool InPubSubMode => SubscriptionCount + ShardSubscriptionCount > 0;

    /// <summary>Subscribes this client; false when it was subscribed already.</summary>
    internal bool Subscribe(SubscriptionSpace space, ReadOnlySpan<byte> name)
    {
        HashSet<byte[]> set = Names(space, create: true)!;
        if (set.GetAlternateLookup<ReadOnlySpan<byte>>().Contains(name))
        {
            return false;
        }

        _outbox ??= new PushOutbox();
        byte[] copy = name.ToArray();
        set.Add(copy);
        Server.Db.PubSub.Subscribe(space, copy, this);
        return true;
    }

    /// <summary>Unsubscribes this client; false when it was not subscribed.</summary>
    internal bool Unsubscribe(SubscriptionSpace space, ReadOnlySpan<byte> name)
    {
        HashSet<byte[]>? set = Names(space, create: false);
        if (set is null || !set.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(name))
        {
            return false;
        }

        Server.Db.PubSub.Unsubscribe(space, name, this);
        return true;
    }

    /// <summary>What this client is subscribed to in <paramref name="space"/> (a copy: UNSUBSCRIBE without names walks it).</summary>
    internal byte[][] SubscribedNames(SubscriptionSpace space) => Names(space, create: false) is { Count: > 0 } set ? [.. set] : [];

    /// <summary>
    /// Drops every subscription without a reply (RESET, and the end of the connection): the client leaves pub/sub
    /// mode at once.
    /// </summary>
    public void UnsubscribeAll()
    {
        UnsubscribeAll(SubscriptionSpace.Channel);
        UnsubscribeAll(SubscriptionSpace.Pattern);
        UnsubscribeAll(SubscriptionSpace.Shard);
    }

    private void UnsubscribeAll(SubscriptionSpace space)
    {
        HashSet<byte[]>? set = Names(space, create: false);
        if (set is null)
        {
            return;
        }

        foreach (byte[] name in set)
        {
            Server.Db.PubSub.Unsubscribe(space, name, this);
        }

        set.Clear();
    }

    private HashSet<byte[]>? Names(SubscriptionSpace space, bool create) => space switch
    {
        SubscriptionSpace.Pattern => create ? _patterns ??= new(ByteKeyComparer.Instance) : _patterns,
        SubscriptionSpace.Shard => create ? _shardChannels ??= new(ByteKeyComparer.Instance) : _shardChannels,
        _ => create ? _channels ??= new(ByteKeyComparer.Instance) : _channels,
    };

    /// <inheritdoc />
    void IPubSubSink.Deliver(in PubSubDelivery delivery)
    {
        PushOutbox? outbox = _outbox;
        if (outbox is null)
        {
            return;
        }

        switch (outbox.Append(delivery.Frame, Protocol == RespVersion.Resp3, Server.Settings.PubSubOutputBufferLimit))
        {
            case PushOutbox.AppendResult.Wake:
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                break;
            case PushOutbox.AppendResult.CutOff:
                if (Interlocked.Exchange(ref _cutOffQueued, 1) == 0)
                {
                    Interlocked.Increment(ref Server.OutputLimitDisconnections);
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                }

                break;
        }
    }

    /// <summary>Thread pool: wakes the session to write its messages, or closes a client cut off by its limit.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        if (Volatile.Read(ref _cutOffQueued) != 0)
        {
            Kill();
            return;
        }

        try
        {
            _input?.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The connection has ended.
        }
    }

    /// <summary>Writes the messages waiting for this client to <paramref name="output"/>, ahead of what comes next.</summary>
    internal void WritePushes(IBufferWriter<byte> output)
    {
        if (_outbox is not { } outbox || !outbox.TryTake(out ByteBuffer taken))
        {
            return;
        }

        output.Write(taken.WrittenSpan);
        outbox.Return(taken);
    }

    /// <summary>The connection took everything written so far: it no longer counts against the pub/sub limit.</summary>
    private void PushesFlushed() => _outbox?.Flushed();

    // The connection ends: no more messages.
    private void EndPubSub()
    {
        UnsubscribeAll();
        _outbox?.Dispose();

        // A wake-up still queued must not touch the pipe of a connection that has ended.
        _input = null;
    }
}
