namespace Kiwi.Server.Tests.PubSub;

/// <summary>Pub/sub frames byte for byte, as redis-server 7.0 sends them (checked against it), in RESP2 and RESP3.</summary>
public sealed class PubSubFrameTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Refusal = "only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

    [Fact]
    public async Task Resp2_subscribe_mode_allows_only_subscriptions_ping_and_quit()
    {
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$4\r\nf2:a\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SUBSCRIBE", "f2:a")));
        Assert.Equal($"-ERR Can't execute 'get': {Refusal}\r\n", await sub.CallAsync(RawClient.Command("GET", "x")));
        Assert.Equal($"-ERR Can't execute 'client|list': {Refusal}\r\n", await sub.CallAsync(RawClient.Command("CLIENT", "LIST")));
        Assert.Equal($"-ERR Can't execute 'publish': {Refusal}\r\n", await sub.CallAsync(RawClient.Command("PUBLISH", "f2:a", "m")));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", await sub.CallAsync(RawClient.Command("PING")));
        Assert.Equal("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", await sub.CallAsync(RawClient.Command("PING", "hi")));
        Assert.Equal("-ERR wrong number of arguments for 'subscribe' command\r\n", await sub.CallAsync(RawClient.Command("SUBSCRIBE")));
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$5\r\nf2:p*\r\n:2\r\n", await sub.CallAsync(RawClient.Command("PSUBSCRIBE", "f2:p*")));
        Assert.Equal("*3\r\n$10\r\nssubscribe\r\n$4\r\nf2:s\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SSUBSCRIBE", "f2:s")));

        // Leaving every subscription leaves subscribe mode.
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$4\r\nf2:a\r\n:1\r\n", await sub.CallAsync(RawClient.Command("UNSUBSCRIBE")));
        Assert.Equal("*3\r\n$12\r\npunsubscribe\r\n$5\r\nf2:p*\r\n:0\r\n", await sub.CallAsync(RawClient.Command("PUNSUBSCRIBE")));
        Assert.Equal("*3\r\n$12\r\nsunsubscribe\r\n$4\r\nf2:s\r\n:0\r\n", await sub.CallAsync(RawClient.Command("SUNSUBSCRIBE")));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", await sub.CallAsync(RawClient.Command("UNSUBSCRIBE")));
        Assert.Equal("+PONG\r\n", await sub.CallAsync(RawClient.Command("PING")));
        Assert.Equal("$-1\r\n", await sub.CallAsync(RawClient.Command("GET", "f2:none")));
    }

    [Fact]
    public async Task Resp2_messages_pattern_messages_and_shard_messages()
    {
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        using RawClient pub = await RawClient.ConnectAsync(server.Port);
        await sub.SendAsync(RawClient.Command("SUBSCRIBE", "f2:ch", "f2:other"));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$5\r\nf2:ch\r\n:1\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$8\r\nf2:other\r\n:2\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$4\r\nf2:c\r\n:3\r\n", await sub.CallAsync(RawClient.Command("PSUBSCRIBE", "f2:c")));
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$4\r\nf2:*\r\n:4\r\n", await sub.CallAsync(RawClient.Command("PSUBSCRIBE", "f2:*")));
        Assert.Equal("*3\r\n$10\r\nssubscribe\r\n$5\r\nf2:sh\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SSUBSCRIBE", "f2:sh")));

        Assert.Equal(":2\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2:ch", "hello")));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$5\r\nf2:ch\r\n$5\r\nhello\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$4\r\nf2:*\r\n$5\r\nf2:ch\r\n$5\r\nhello\r\n", await sub.ReadReplyAsync());

        // A pattern given to PUBLISH is a literal channel name: it reaches "f2:*" (which matches it) and nothing else.
        Assert.Equal(":1\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2:*", "lit")));
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$4\r\nf2:*\r\n$4\r\nf2:*\r\n$3\r\nlit\r\n", await sub.ReadReplyAsync());
        Assert.Equal(":0\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2x", "none")));

        // Shard channels are their own namespace: SPUBLISH reaches SSUBSCRIBE only, and patterns never.
        Assert.Equal(":1\r\n", await pub.CallAsync(RawClient.Command("SPUBLISH", "f2:sh", "s1")));
        Assert.Equal("*3\r\n$8\r\nsmessage\r\n$5\r\nf2:sh\r\n$2\r\ns1\r\n", await sub.ReadReplyAsync());
        Assert.Equal(":0\r\n", await pub.CallAsync(RawClient.Command("SPUBLISH", "f2:ch", "s2")));
        Assert.Equal(":1\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2:sh", "p1")));
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$4\r\nf2:*\r\n$5\r\nf2:sh\r\n$2\r\np1\r\n", await sub.ReadReplyAsync());

        // Nothing arrives after UNSUBSCRIBE's reply; the last message before it comes first.
        Assert.Equal(":2\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2:other", "last")));
        await sub.SendAsync(RawClient.Command("UNSUBSCRIBE", "f2:other", "f2:never"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$8\r\nf2:other\r\n$4\r\nlast\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$4\r\nf2:*\r\n$8\r\nf2:other\r\n$4\r\nlast\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$8\r\nf2:other\r\n:3\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$8\r\nf2:never\r\n:3\r\n", await sub.ReadReplyAsync());
        Assert.Equal(":1\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f2:other", "after")));
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$4\r\nf2:*\r\n$8\r\nf2:other\r\n$5\r\nafter\r\n", await sub.ReadReplyAsync());
        Assert.Equal("*3\r\n$12\r\npunsubscribe\r\n$4\r\nf2:*\r\n:2\r\n", await sub.CallAsync(RawClient.Command("PUNSUBSCRIBE", "f2:*")));
    }

    [Fact]
    public async Task Resp3_messages_are_pushes_and_other_commands_still_run()
    {
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        using RawClient pub = await RawClient.ConnectAsync(server.Port);
        Assert.StartsWith("%", await sub.CallAsync(RawClient.Command("HELLO", "3")), StringComparison.Ordinal);
        Assert.Equal(">3\r\n$9\r\nsubscribe\r\n$5\r\nf3:ch\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SUBSCRIBE", "f3:ch")));
        Assert.Equal(">3\r\n$10\r\npsubscribe\r\n$4\r\nf3:*\r\n:2\r\n", await sub.CallAsync(RawClient.Command("PSUBSCRIBE", "f3:*")));
        Assert.Equal("_\r\n", await sub.CallAsync(RawClient.Command("GET", "f3:none")));
        Assert.Equal("+PONG\r\n", await sub.CallAsync(RawClient.Command("PING")));

        Assert.Equal(":2\r\n", await pub.CallAsync(RawClient.Command("PUBLISH", "f3:ch", "hi")));
        Assert.Equal(">3\r\n$7\r\nmessage\r\n$5\r\nf3:ch\r\n$2\r\nhi\r\n", await sub.ReadReplyAsync());
        Assert.Equal(">4\r\n$8\r\npmessage\r\n$4\r\nf3:*\r\n$5\r\nf3:ch\r\n$2\r\nhi\r\n", await sub.ReadReplyAsync());

        // Its own PUBLISH: the pushes come before the reply, as from Redis.
        await sub.SendAsync(RawClient.Command("PUBLISH", "f3:ch", "self"));
        Assert.Equal(">3\r\n$7\r\nmessage\r\n$5\r\nf3:ch\r\n$4\r\nself\r\n", await sub.ReadReplyAsync());
        Assert.Equal(">4\r\n$8\r\npmessage\r\n$4\r\nf3:*\r\n$5\r\nf3:ch\r\n$4\r\nself\r\n", await sub.ReadReplyAsync());
        Assert.Equal(":2\r\n", await sub.ReadReplyAsync());
        Assert.Equal(">3\r\n$11\r\nunsubscribe\r\n$5\r\nf3:ch\r\n:1\r\n", await sub.CallAsync(RawClient.Command("UNSUBSCRIBE", "f3:ch")));
        Assert.Equal(">3\r\n$11\r\nunsubscribe\r\n_\r\n:1\r\n", await sub.CallAsync(RawClient.Command("UNSUBSCRIBE")));
    }

    [Fact]
    public async Task Pubsub_introspection_and_its_errors()
    {
        using RawClient a = await RawClient.ConnectAsync(server.Port);
        using RawClient b = await RawClient.ConnectAsync(server.Port);
        using RawClient admin = await RawClient.ConnectAsync(server.Port);
        await a.CallAsync(RawClient.Command("SUBSCRIBE", "fi:one"));
        await a.CallAsync(RawClient.Command("SUBSCRIBE", "fi:two"));
        await b.CallAsync(RawClient.Command("SUBSCRIBE", "fi:one"));
        await a.CallAsync(RawClient.Command("PSUBSCRIBE", "fi:*"));
        await b.CallAsync(RawClient.Command("PSUBSCRIBE", "fi:*"));
        await b.CallAsync(RawClient.Command("PSUBSCRIBE", "fj:*"));
        await b.CallAsync(RawClient.Command("SSUBSCRIBE", "fi:shard"));

        Assert.Equal("*6\r\n$6\r\nfi:one\r\n:2\r\n$6\r\nfi:two\r\n:1\r\n$7\r\nfi:none\r\n:0\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "NUMSUB", "fi:one", "fi:two", "fi:none")));
        Assert.Equal("*0\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "NUMSUB")));
        Assert.Equal("*1\r\n$6\r\nfi:two\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "CHANNELS", "fi:t*")));
        string all = await admin.CallAsync(RawClient.Command("PUBSUB", "CHANNELS"));
        Assert.Contains("$6\r\nfi:one\r\n", all, StringComparison.Ordinal);
        Assert.Contains("$6\r\nfi:two\r\n", all, StringComparison.Ordinal);
        Assert.DoesNotContain("fi:shard", all, StringComparison.Ordinal);
        Assert.Equal("*1\r\n$8\r\nfi:shard\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "SHARDCHANNELS", "fi:*")));
        Assert.Equal("*2\r\n$8\r\nfi:shard\r\n:1\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "SHARDNUMSUB", "fi:shard")));
        Assert.Matches(@"^:\d+\r\n$", await admin.CallAsync(RawClient.Command("PUBSUB", "NUMPAT")));

        // NUMPAT counts distinct patterns: b leaving "fj:*" removes one, a leaving "fi:*" none (b still has it).
        int before = int.Parse((await admin.CallAsync(RawClient.Command("PUBSUB", "NUMPAT")))[1..^2], System.Globalization.CultureInfo.InvariantCulture);
        await b.CallAsync(RawClient.Command("PUNSUBSCRIBE", "fj:*"));
        await a.CallAsync(RawClient.Command("PUNSUBSCRIBE", "fi:*"));
        Assert.Equal($":{before - 1}\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "NUMPAT")));

        // A client that leaves takes its subscriptions with it.
        a.Dispose();
        await Poll.UntilAsync(async () => await admin.CallAsync(RawClient.Command("PUBSUB", "NUMSUB", "fi:one")) == "*2\r\n$6\r\nfi:one\r\n:1\r\n", "a closed client still counted as a subscriber");

        Assert.Equal("-ERR unknown subcommand 'foo'. Try PUBSUB HELP.\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "foo")));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "channels", "a", "b")));
        Assert.Equal("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", await admin.CallAsync(RawClient.Command("PUBSUB", "NUMPAT", "x")));
        Assert.Equal("-ERR wrong number of arguments for 'pubsub' command\r\n", await admin.CallAsync(RawClient.Command("PUBSUB")));
        Assert.Equal("-ERR wrong number of arguments for 'publish' command\r\n", await admin.CallAsync(RawClient.Command("PUBLISH", "x")));
        Assert.Equal("-ERR wrong number of arguments for 'spublish' command\r\n", await admin.CallAsync(RawClient.Command("SPUBLISH", "x")));
        Assert.StartsWith("*14\r\n+PUBSUB <subcommand>", await admin.CallAsync(RawClient.Command("PUBSUB", "HELP")), StringComparison.Ordinal);
    }
}
