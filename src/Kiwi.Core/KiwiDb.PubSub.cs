using Kiwi.Core.PubSub;

namespace Kiwi.Core;

/// <content>Pub/sub: the hub every subscriber of this node (RESP clients, embedded subscriptions) registers with.</content>
public sealed partial class KiwiDb
{
    /// <summary>This node's subscriptions and the fan-out of published messages (and keyspace events) to them.</summary>
    internal PubSubHub PubSub { get; } = new();
}
