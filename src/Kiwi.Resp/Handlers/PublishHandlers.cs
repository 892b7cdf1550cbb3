namespace Kiwi.Resp.Handlers;

/// <summary>
/// PUBLISH and SPUBLISH. Standalone, the message goes to this node's hub at once and the reply counts its receivers.
/// In cluster mode it is a log entry that changes no data (<see cref="Core.PubSub.PubSubEntries"/>): every member
/// delivers it to its own subscribers when it applies it, in log order, whichever member took the command; the reply
/// is the number of receivers on the member that took it (Redis cluster's answer), counted when it took it.
/// </summary>
internal static class PublishHandlers
{
    /// <summary>PUBLISH channel message, or SPUBLISH with <paramref name="shard"/>.</summary>
    public static void Publish(ref CommandContext ctx, bool shard)
    {
        Core.PubSub.PubSubHub hub = ctx.Db.PubSub;
        if (ctx.Db.ClusterMode)
        {
            ctx.Submit(Core.PubSub.PubSubEntries.Publish(ctx.Target, ctx[1], ctx[2], shard, hub.CountReceivers(ctx[1], shard)));
            return;
        }

        int receivers = shard ? hub.PublishShard(ctx[1], ctx[2]) : hub.Publish(ctx[1], ctx[2]);

        // A client subscribed to its own channel (RESP3) gets the message before the reply, as from Redis.
        ctx.Session.WritePushes(ctx.Writer.Output);
        ctx.Writer.WriteInteger(receivers);
    }
}
