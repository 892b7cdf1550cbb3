using Kiwi.Core.Apply;
using Kiwi.Core.Commands;

namespace Kiwi.Core.PubSub;

/// <summary>
/// PUBLISH in cluster mode, as the writer applies it on every member: nothing is stored; the message is handed to
/// this member's subscribers after the batch is committed (with the batch's keyspace events, in apply order), so a
/// message published on any member reaches every member's subscribers in log order.
/// </summary>
internal static class PubSubWrites
{
    /// <summary>Applies <see cref="OpCode.Publish"/>: replies the receivers counted where the command was taken.</summary>
    public static void Publish(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> channel = cmd.NextArg();
        ReadOnlySpan<byte> message = cmd.NextArg();
        ctx.Events.NotePublish(channel, message, shard: cmd.Flags == 1);
        reply.ReplyInteger(cmd.N1);
    }
}
