using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.PubSub;

namespace Kiwi.Core.Tests.PubSub;

/// <summary>Cluster mode's PUBLISH entry is persisted in the Raft log: its op code and bytes are fixed.</summary>
public sealed class PubSubFormatTests : KiwiDbTestBase
{
    [Fact]
    public void Publish_takes_op_code_84()
        => Assert.Equal(84, (int)OpCode.Publish);

    [Fact]
    public void Spublish_entry_bytes_are_fixed()
    {
        EncodedEntry entry = PubSubEntries.Publish(Db.Target, "ch"u8, "m"u8, shard: true, localReceivers: 3);
        ApplyRequest request = entry.Request!;
        Assert.Equal(
            "0101000068e5cf8b010000540100000200000003000000000000000000000000000000020000006368010000006d",
            Convert.ToHexStringLower(request.Payload.WrittenSpan));
        ApplyRequestPool.Return(request);
    }
}
