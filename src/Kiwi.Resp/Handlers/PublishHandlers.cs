namespace Kiwi.Resp.Handlers;

/// <summary>
/// PUBLISH and SPUBLISH. Standalone, the message goes to this node's hub at once and the reply counts its receivers.
/// </summary>
internal static class PublishHandlers
{
    /// <summary>PUBLISH channel message, or SPUBLISH with <paramref name="shard"/>.</summary>
    public static void Publish(ref CommandContext ctx, bool shard)
    {
        Core.PubSub.PubSubHub hub = ctx.Db.PubSub;
        int receivers = shard ? hub.PublishShard(ctx[1], ctx[2]) : hub.Publish(ctx[1], ctx[2]);

        // A client subscribed to its own channel (RESP3) gets the message before the reply, as from Redis.
        ctx.Session.WritePushes(ctx.Writer.Output);
        ctx.Writer.WriteInteger(receivers);
    }
}
