using Kiwi.Core.PubSub;

namespace Kiwi.Core;

/// <content>Pub/sub: the hub every subscriber of this node (RESP clients, embedded subscriptions) registers with.</content>
public sealed partial class KiwiDb
{
    /// <summary>This node's subscriptions and the fan-out of published messages (and keyspace events) to them.</summary>
    internal PubSubHub PubSub => _worker.PubSub;

    /// <summary>True in cluster mode: a PUBLISH goes through the Raft log to reach every member's subscribers.</summary>
    internal bool ClusterMode => _clusterMode;

    /// <summary>
    /// Which keyspace notifications are produced (Redis's notify-keyspace-events; none by default). Events are
    /// published after the batch holding their write is committed, in apply order, to this node's subscribers.
    /// </summary>
    public KeyspaceEventClasses KeyspaceEvents
    {
        get => _worker.Events.Classes;
        set => _worker.Events.Classes = value;
    }

    /// <summary>The writer's keyspace events: key-miss events of reads go through it (see <see cref="global::Kiwi.Core.PubSub.KeyspaceEvents.WantsKeyMiss"/>).</summary>
    internal global::Kiwi.Core.PubSub.KeyspaceEvents Events => _worker.Events;

    /// <summary>
    /// Subscribes to <paramref name="channels"/> (SUBSCRIBE): the subscription receives what is published from now
    /// on, by RESP clients or <see cref="PublishAsync"/>; dispose it to unsubscribe.
    /// </summary>
    /// <param name="channels">The channels.</param>
    /// <param name="capacity">Messages that may wait unread before the subscription is cut off.</param>
    public KiwiSubscription Subscribe(IEnumerable<string> channels, int capacity = 65536)
        => new(PubSub, SubscriptionSpace.Channel, Names(channels), capacity);

    /// <summary>Subscribes to channels matching glob <paramref name="patterns"/> (PSUBSCRIBE), as <see cref="Subscribe"/>.</summary>
    /// <param name="patterns">Redis glob patterns.</param>
    /// <param name="capacity">Messages that may wait unread before the subscription is cut off.</param>
    public KiwiSubscription SubscribePattern(IEnumerable<string> patterns, int capacity = 65536)
        => new(PubSub, SubscriptionSpace.Pattern, Names(patterns), capacity);

    /// <summary>
    /// PUBLISH: delivers <paramref name="message"/> to the subscribers of <paramref name="channel"/> (and of the
    /// patterns matching it) and returns how many received it. In cluster mode the message goes through the log and
    /// reaches every member's subscribers; the count is this member's.
    /// </summary>
    public ValueTask<long> PublishAsync(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_clusterMode)
        {
            return ValueTask.FromResult((long)PubSub.Publish(channel, message));
        }

        return AwaitInteger(SubmitEntry(PubSubEntries.Publish(Target, channel, message, shard: false, PubSub.CountReceivers(channel, shard: false))));
    }

    /// <summary>
    /// Keyspace notifications of this database as they are published (turn classes on with <see cref="KeyspaceEvents"/>,
    /// E included): every event after its write is committed, in apply order, until <paramref name="cancellationToken"/>
    /// fires.
    /// </summary>
    public async IAsyncEnumerable<KiwiKeyspaceEvent> KeyspaceEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string prefix = $"__keyevent@{Database}__:";
        KiwiSubscription subscription = SubscribePattern([prefix + "*"]);
        await using (((IAsyncDisposable)subscription).ConfigureAwait(false))
        {
            await foreach (KiwiMessage message in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return new KiwiKeyspaceEvent(System.Text.Encoding.UTF8.GetString(message.Channel.AsSpan(prefix.Length)), message.Message);
            }
        }
    }

    private static byte[][] Names(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = new List<byte[]>();
        foreach (string name in names)
        {
            list.Add(System.Text.Encoding.UTF8.GetBytes(name));
        }

        return [.. list];
    }
}
