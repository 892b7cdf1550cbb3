using System.Net;
using DotNext.Buffers;
using DotNext.Net;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Kiwi.Core.Raft;

/// <summary>The cluster's members as configured at start (DotNext's in-memory configuration storage).</summary>
internal sealed class StaticMembers : InMemoryClusterConfigurationStorage<EndPoint>
{
    public StaticMembers(IEnumerable<IPEndPoint> members, bool join)
    {
        if (join)
        {
            // No configuration: the leader sends it when it adds this node.
            return;
        }

        Builder builder = CreateInitialConfigurationBuilder();
        foreach (IPEndPoint member in members)
        {
            builder.Add(member);
        }

        builder.Build();
    }

    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output) => EndPointFormatter.WriteEndPoint(ref output, address);

    protected override EndPoint Decode(ref SequenceReader reader) => EndPointFormatter.ReadEndPoint(ref reader);
}
