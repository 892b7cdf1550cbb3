using System.Threading.Channels;

namespace Kiwi.Core.PubSub;

/// <summary>One message received by an embedded subscription.</summary>
/// <param name="Kind">Channel, pattern or shard message.</param>
/// <param name="Pattern">The pattern that matched (pattern subscriptions only; empty otherwise).</param>
/// <param name="Channel">The channel it was published to.</param>
/// <param name="Message">The payload.</param>
public sealed record KiwiMessage(PubSubKind Kind, byte[] Pattern, byte[] Channel, byte[] Message);

/// <summary>
/// An embedded subscription (<see cref="KiwiDb.Subscribe"/>, <see cref="KiwiDb.SubscribePattern"/>): subscribed from
/// its creation, it yields every message published after that, in publish order, until it is disposed. Messages wait
/// in a bounded queue: a subscriber that falls more than its capacity behind is cut off (the enumeration throws a
/// <see cref="KiwiException"/>), as Redis disconnects a client past its pub/sub output limit; publishers never wait.
/// </summary>
public sealed class KiwiSubscription : IAsyncEnumerable<KiwiMessage>, IAsyncDisposable, IPubSubSink
{
    private readonly PubSubHub _hub;
    private readonly SubscriptionSpace _space;
    private readonly byte[][] _names;
    private readonly Channel<KiwiMessage> _queue;
    private readonly int _capacity;
    private int _disposed;

    internal KiwiSubscription(PubSubHub hub, SubscriptionSpace space, byte[][] names, int capacity)
    {
        _hub = hub;
        _space = space;
        _names = names;
        _capacity = capacity;
        _queue = Channel.CreateBounded<KiwiMessage>(new BoundedChannelOptions(capacity) { SingleWriter = false, SingleReader = true });
        foreach (byte[] name in names)
        {
            hub.Subscribe(space, name, this);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerator<KiwiMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        ChannelReader<KiwiMessage> reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out KiwiMessage? message))
            {
                yield return message;
            }
        }
    }

    /// <summary>Unsubscribes; an enumeration in progress ends after the messages already received.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            foreach (byte[] name in _names)
            {
                _hub.Unsubscribe(_space, name, this);
            }

            _queue.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    void IPubSubSink.Deliver(in PubSubDelivery delivery)
    {
        // Copied here, not lent: the spans are the publisher's and reused when this returns, the message may wait
        // behind up to the capacity of others before it is read, and KiwiMessage hands out arrays its readers keep
        // (KeyspaceEventsAsync passes Message on as the event's key). An empty pattern copies to Array.Empty.
        var message = new KiwiMessage(delivery.Kind, delivery.Pattern.ToArray(), delivery.Channel.ToArray(), delivery.Message.ToArray());
        if (!_queue.Writer.TryWrite(message))
        {
            _queue.Writer.TryComplete(new KiwiException($"the subscriber fell behind: more than {_capacity} messages were waiting"));
        }
    }
}

/// <summary>A keyspace notification for embedders (<see cref="KiwiDb.KeyspaceEventsAsync"/>).</summary>
/// <param name="Event">Redis's event name ("set", "del", "expired", "lpush"…).</param>
/// <param name="Key">The key written.</param>
public readonly record struct KiwiKeyspaceEvent(string Event, byte[] Key);
