using Kiwi.Core.Commands;
using Kiwi.Core.PubSub;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <content>PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB and HELP (this node's subscribers).</content>
internal static partial class PubSubHandlers
{
    private static readonly string[] s_help =
    [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ];

    private static void PubSub(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> sub = ctx[1];
        PubSubHub hub = ctx.Db.PubSub;
        if (ArgParser.Is(sub, "CHANNELS"u8) || ArgParser.Is(sub, "SHARDCHANNELS"u8))
        {
            if (ctx.Count > 3)
            {
                ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{CommandErrors.Latin(sub)}'. Try PUBSUB HELP.");
                return;
            }

            bool shard = sub.Length == "SHARDCHANNELS".Length;
            List<byte[]> names = hub.ActiveChannels(shard, ctx.Count == 3 ? ctx[2] : default, anyName: ctx.Count == 2);
            ctx.Writer.WriteArrayHeader(names.Count);
            foreach (byte[] name in names)
            {
                ctx.Writer.WriteBulk(name);
            }
        }
        else if (ArgParser.Is(sub, "NUMSUB"u8) || ArgParser.Is(sub, "SHARDNUMSUB"u8))
        {
            bool shard = sub.Length == "SHARDNUMSUB".Length;
            ctx.Writer.WriteArrayHeader((ctx.Count - 2) * 2);
            for (int i = 2; i < ctx.Count; i++)
            {
                ctx.Writer.WriteBulk(ctx[i]);
                ctx.Writer.WriteInteger(hub.SubscriberCount(shard, ctx[i]));
            }
        }
        else if (ArgParser.Is(sub, "NUMPAT"u8))
        {
            if (ctx.Count != 2)
            {
                ctx.Error("ERR wrong number of arguments for 'pubsub|numpat' command"u8);
                return;
            }

            ctx.Writer.WriteInteger(hub.PatternCount);
        }
        else if (ArgParser.Is(sub, "HELP"u8))
        {
            if (ctx.Count != 2)
            {
                ctx.Error("ERR wrong number of arguments for 'pubsub|help' command"u8);
                return;
            }

            ctx.Writer.WriteArrayHeader(s_help.Length);
            foreach (string line in s_help)
            {
                ctx.Writer.WriteSimpleString(System.Text.Encoding.ASCII.GetBytes(line));
            }
        }
        else
        {
            ctx.Error($"ERR unknown subcommand '{CommandErrors.Latin(sub)}'. Try PUBSUB HELP.");
        }
    }
}
