namespace Kiwi.Core.PubSub;

/// <summary>What a delivered message is, as Redis names its push: <c>message</c>, <c>pmessage</c> or <c>smessage</c>.</summary>
public enum PubSubKind : byte
{
    /// <summary>A message on a channel the receiver subscribed to (SUBSCRIBE).</summary>
    Message = 0,

    /// <summary>A message on a channel matching a pattern the receiver subscribed to (PSUBSCRIBE).</summary>
    PatternMessage = 1,

    /// <summary>A message on a shard channel (SSUBSCRIBE / SPUBLISH).</summary>
    ShardMessage = 2,
}

/// <summary>
/// One delivery: the parts of a message and its RESP2 frame (<c>*3 message channel payload</c>, <c>*4 pmessage
/// pattern channel payload</c> or <c>*3 smessage channel payload</c>), encoded once per publish (per pattern for
/// pattern deliveries) and shared by every receiver: a RESP3 receiver writes it with '>' for its first byte.
/// </summary>
internal readonly ref struct PubSubDelivery
{
    /// <summary>Creates a delivery.</summary>
    public PubSubDelivery(PubSubKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, ReadOnlySpan<byte> frame)
    {
        Kind = kind;
        Pattern = pattern;
        Channel = channel;
        Message = message;
        Frame = frame;
    }

    /// <summary>The kind of push.</summary>
    public PubSubKind Kind { get; }

    /// <summary>The pattern that matched (pattern deliveries only).</summary>
    public ReadOnlySpan<byte> Pattern { get; }

    /// <summary>The channel published to.</summary>
    public ReadOnlySpan<byte> Channel { get; }

    /// <summary>The payload.</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>The whole push in RESP2 form.</summary>
    public ReadOnlySpan<byte> Frame { get; }
}

/// <summary>
/// A receiver of published messages: a RESP client session or an embedded subscription. <see cref="Deliver"/> is
/// called under the hub's lock, from whichever thread publishes (a client's, the writer's for keyspace events and
/// cluster publishes): it must copy what it keeps and never block.
/// </summary>
internal interface IPubSubSink
{
    /// <summary>Takes one message (copy it; the spans are reused after the call).</summary>
    void Deliver(in PubSubDelivery delivery);
}
