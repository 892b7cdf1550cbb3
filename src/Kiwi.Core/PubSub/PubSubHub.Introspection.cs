using Kiwi.Core.Reads;

namespace Kiwi.Core.PubSub;

/// <content>PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS and SHARDNUMSUB: what this node's subscribers listen to.</content>
internal sealed partial class PubSubHub
{
    /// <summary>The channels (or shard channels) with at least one subscriber, those matching <paramref name="pattern"/> when one is given.</summary>
    public List<byte[]> ActiveChannels(bool shard, ReadOnlySpan<byte> pattern, bool anyName)
    {
        var names = new List<byte[]>();
        lock (_lock)
        {
            foreach (byte[] name in (shard ? _shards : _channels).Keys)
            {
                if (anyName || GlobPattern.IsMatch(pattern, name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>Subscribers of one channel (or shard channel), patterns not counted (as Redis's NUMSUB).</summary>
    public int SubscriberCount(bool shard, ReadOnlySpan<byte> channel)
    {
        lock (_lock)
        {
            return (shard ? _shards : _channels).GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out List<IPubSubSink>? sinks) ? sinks.Count : 0;
        }
    }

    /// <summary>Distinct patterns subscribed to (Redis 7.0's NUMPAT).</summary>
    public int PatternCount
    {
        get
        {
            lock (_lock)
            {
                return _patterns.Count;
            }
        }
    }
}
