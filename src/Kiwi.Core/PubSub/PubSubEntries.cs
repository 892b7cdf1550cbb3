using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.PubSub;

/// <summary>The encoder of cluster mode's PUBLISH entry (<see cref="OpCode.Publish"/>), shared by RESP and <see cref="KiwiDb"/>.</summary>
internal static class PubSubEntries
{
    /// <summary>PUBLISH (or SPUBLISH with <paramref name="shard"/>) channel message; <paramref name="localReceivers"/> is the reply.</summary>
    public static EncodedEntry Publish(EntryTarget target, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, bool shard, int localReceivers)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Publish, shard ? (byte)1 : (byte)0, target.Database, 2, localReceivers);
        CommandFormat.AddArg(request.Payload, channel);
        CommandFormat.AddArg(request.Payload, message);
        return EncodedEntry.Ready(request);
    }
}
