using Kiwi.Core.Reads;
using Kiwi.Native.Memory;

namespace Kiwi.Core.PubSub;

/// <summary>The namespaces of subscriptions: channels (SUBSCRIBE), patterns (PSUBSCRIBE), shard channels (SSUBSCRIBE).</summary>
internal enum SubscriptionSpace : byte
{
    /// <summary>SUBSCRIBE / PUBLISH.</summary>
    Channel = 0,

    /// <summary>PSUBSCRIBE: glob patterns matched against every PUBLISH's channel.</summary>
    Pattern = 1,

    /// <summary>SSUBSCRIBE / SPUBLISH.</summary>
    Shard = 2,
}

/// <summary>
/// This node's subscriptions and the fan-out of a message to them: RESP sessions and embedded subscriptions alike
/// (<see cref="IPubSubSink"/>). One lock orders everything: a publish delivers to every receiver before the next
/// starts, so receivers see messages in one order, and a subscribe or unsubscribe takes effect between two publishes
/// (a client never gets a message after its UNSUBSCRIBE's reply). A publish encodes its frame once into a reused
/// buffer and hands the same bytes to every receiver, allocating nothing per receiver.
/// </summary>
internal sealed partial class PubSubHub : IDisposable
{
    private static ReadOnlySpan<byte> MessageHeader => "*3\r\n$7\r\nmessage\r\n"u8;

    private static ReadOnlySpan<byte> PatternHeader => "*4\r\n$8\r\npmessage\r\n"u8;

    private static ReadOnlySpan<byte> ShardHeader => "*3\r\n$8\r\nsmessage\r\n"u8;

    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], List<IPubSubSink>> _channels = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], List<IPubSubSink>> _patterns = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], List<IPubSubSink>> _shards = new(ByteKeyComparer.Instance);
    private readonly ByteBuffer _frame = new();
    private int _subscriptions;

    /// <summary>True when somebody subscribed to anything (keyspace events are built only then).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriptions) != 0;

    /// <summary>Adds <paramref name="sink"/> to <paramref name="name"/>; false when it was there already.</summary>
    public bool Subscribe(SubscriptionSpace space, ReadOnlySpan<byte> name, IPubSubSink sink)
    {
        lock (_lock)
        {
            Dictionary<byte[], List<IPubSubSink>>.AlternateLookup<ReadOnlySpan<byte>> lookup = Map(space).GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(name, out List<IPubSubSink>? sinks))
            {
                sinks = [];
                lookup[name] = sinks;
            }
            else if (sinks.Contains(sink))
            {
                return false;
            }

            sinks.Add(sink);
            _subscriptions++;
            return true;
        }
    }

    /// <summary>Removes <paramref name="sink"/> from <paramref name="name"/>; false when it was not there.</summary>
    public bool Unsubscribe(SubscriptionSpace space, ReadOnlySpan<byte> name, IPubSubSink sink)
    {
        lock (_lock)
        {
            Dictionary<byte[], List<IPubSubSink>>.AlternateLookup<ReadOnlySpan<byte>> lookup = Map(space).GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(name, out List<IPubSubSink>? sinks) || !sinks.Remove(sink))
            {
                return false;
            }

            if (sinks.Count == 0)
            {
                lookup.Remove(name);
            }

            _subscriptions--;
            return true;
        }
    }

    /// <summary>
    /// PUBLISH: delivers <paramref name="message"/> to the subscribers of <paramref name="channel"/> and of every
    /// pattern it matches; returns how many deliveries were made (Redis's reply).
    /// </summary>
    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            int receivers = 0;
            if (_channels.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out List<IPubSubSink>? sinks))
            {
                EncodeLocked(MessageHeader, default, channel, message);
                receivers += DeliverLocked(sinks, PubSubKind.Message, default, channel, message);
            }

            if (_patterns.Count != 0)
            {
                foreach (KeyValuePair<byte[], List<IPubSubSink>> pattern in _patterns)
                {
                    if (GlobPattern.IsMatch(pattern.Key, channel))
                    {
                        EncodeLocked(PatternHeader, pattern.Key, channel, message);
                        receivers += DeliverLocked(pattern.Value, PubSubKind.PatternMessage, pattern.Key, channel, message);
                    }
                }
            }

            ShrinkLocked();
            return receivers;
        }
    }

    /// <summary>SPUBLISH: delivers to the subscribers of the shard channel; returns how many there were.</summary>
    public int PublishShard(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            if (!_shards.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out List<IPubSubSink>? sinks))
            {
                return 0;
            }

            EncodeLocked(ShardHeader, default, channel, message);
            int receivers = DeliverLocked(sinks, PubSubKind.ShardMessage, default, channel, message);
            ShrinkLocked();
            return receivers;
        }
    }

    /// <summary>How many deliveries a PUBLISH (or SPUBLISH with <paramref name="shard"/>) to <paramref name="channel"/> would make now.</summary>
    public int CountReceivers(ReadOnlySpan<byte> channel, bool shard)
    {
        lock (_lock)
        {
            if (shard)
            {
                return _shards.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out List<IPubSubSink>? s) ? s.Count : 0;
            }

            int receivers = _channels.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out List<IPubSubSink>? sinks) ? sinks.Count : 0;
            foreach (KeyValuePair<byte[], List<IPubSubSink>> pattern in _patterns)
            {
                if (GlobPattern.IsMatch(pattern.Key, channel))
                {
                    receivers += pattern.Value.Count;
                }
            }

            return receivers;
        }
    }

    /// <summary>Returns the frame buffer to the pool.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _frame.Dispose();
        }
    }

    private Dictionary<byte[], List<IPubSubSink>> Map(SubscriptionSpace space) => space switch
    {
        SubscriptionSpace.Pattern => _patterns,
        SubscriptionSpace.Shard => _shards,
        _ => _channels,
    };

    private int DeliverLocked(List<IPubSubSink> sinks, PubSubKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        var delivery = new PubSubDelivery(kind, pattern, channel, message, _frame.WrittenSpan);
        foreach (IPubSubSink sink in sinks)
        {
            sink.Deliver(delivery);
        }

        return sinks.Count;
    }

    private void EncodeLocked(ReadOnlySpan<byte> header, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        _frame.Clear();
        _frame.Write(header);
        if (header[1] == (byte)'4')
        {
            // pmessage: the pattern comes first.
            WriteBulk(_frame, pattern);
        }

        WriteBulk(_frame, channel);
        WriteBulk(_frame, message);
    }

    // A huge message's frame is not kept for the next publish.
    private void ShrinkLocked()
    {
        if (_frame.Capacity > ByteBuffer.RetainLimit)
        {
            _frame.Clear();
        }
    }

    private static void WriteBulk(ByteBuffer output, ReadOnlySpan<byte> value)
    {
        Span<byte> head = output.GetSpan(16);
        head[0] = (byte)'$';
        value.Length.TryFormat(head[1..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        head[1 + digits] = (byte)'\r';
        head[2 + digits] = (byte)'\n';
        output.Advance(3 + digits);
        output.Write(value);
        output.Write("\r\n"u8);
    }
}
