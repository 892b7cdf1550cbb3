using Kiwi.Core.PubSub;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// Pub/sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH and PUBSUB, as Redis
/// 7.0 answers them. Confirmations are pushes (arrays in RESP2, '>' in RESP3) counting the client's channels and
/// patterns (shard channels for the S forms). The hub is <see cref="Core.KiwiDb.PubSub"/>; in cluster mode a publish
/// goes through the Raft log (see <see cref="PublishHandlers"/>).
/// </summary>
internal static partial class PubSubHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        const CommandFlags S = CommandFlags.PubSubAllowed | CommandFlags.Connection;
        t.Add(new("subscribe", -2, S, 0, 0, 0, static (ref CommandContext ctx) => Subscribe(ref ctx, SubscriptionSpace.Channel, "subscribe"u8)));
        t.Add(new("psubscribe", -2, S, 0, 0, 0, static (ref CommandContext ctx) => Subscribe(ref ctx, SubscriptionSpace.Pattern, "psubscribe"u8)));
        t.Add(new("ssubscribe", -2, S, 1, -1, 1, static (ref CommandContext ctx) => Subscribe(ref ctx, SubscriptionSpace.Shard, "ssubscribe"u8)));
        t.Add(new("unsubscribe", -1, S, 0, 0, 0, static (ref CommandContext ctx) => Unsubscribe(ref ctx, SubscriptionSpace.Channel, "unsubscribe"u8)));
        t.Add(new("punsubscribe", -1, S, 0, 0, 0, static (ref CommandContext ctx) => Unsubscribe(ref ctx, SubscriptionSpace.Pattern, "punsubscribe"u8)));
        t.Add(new("sunsubscribe", -1, S, 1, -1, 1, static (ref CommandContext ctx) => Unsubscribe(ref ctx, SubscriptionSpace.Shard, "sunsubscribe"u8)));
        t.Add(new("publish", 3, CommandFlags.Fast, 0, 0, 0, static (ref CommandContext ctx) => PublishHandlers.Publish(ref ctx, shard: false)));
        t.Add(new("spublish", 3, CommandFlags.Fast, 1, 1, 1, static (ref CommandContext ctx) => PublishHandlers.Publish(ref ctx, shard: true)));
        t.Add(new("pubsub", -2, CommandFlags.None, 0, 0, 0, PubSub));
    }

    private static void Subscribe(ref CommandContext ctx, SubscriptionSpace space, ReadOnlySpan<byte> kind)
    {
        for (int i = 1; i < ctx.Count; i++)
        {
            ctx.Session.Subscribe(space, ctx[i]);
            WriteConfirmation(ref ctx, space, kind, ctx[i], isNull: false);
        }
    }

    private static void Unsubscribe(ref CommandContext ctx, SubscriptionSpace space, ReadOnlySpan<byte> kind)
    {
        if (ctx.Count > 1)
        {
            for (int i = 1; i < ctx.Count; i++)
            {
                ctx.Session.Unsubscribe(space, ctx[i]);
                WriteConfirmation(ref ctx, space, kind, ctx[i], isNull: false);
            }

            return;
        }

        byte[][] names = ctx.Session.SubscribedNames(space);
        if (names.Length == 0)
        {
            WriteConfirmation(ref ctx, space, kind, default, isNull: true);
            return;
        }

        foreach (byte[] name in names)
        {
            ctx.Session.Unsubscribe(space, name);
            WriteConfirmation(ref ctx, space, kind, name, isNull: false);
        }
    }

    // Redis's addReplyPubsubSubscribed / addReplyPubsubUnsubscribed.
    private static void WriteConfirmation(ref CommandContext ctx, SubscriptionSpace space, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name, bool isNull)
    {
        RespWriter writer = ctx.Writer;
        writer.WritePushHeader(3);
        writer.WriteBulk(kind);
        if (isNull)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteBulk(name);
        }

        writer.WriteInteger(space == SubscriptionSpace.Shard ? ctx.Session.ShardSubscriptionCount : ctx.Session.SubscriptionCount);
    }
}
