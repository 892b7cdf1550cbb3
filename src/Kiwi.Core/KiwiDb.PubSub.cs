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
}
