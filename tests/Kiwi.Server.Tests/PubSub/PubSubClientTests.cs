using System.Collections.Concurrent;
using System.Text;
using StackExchange.Redis;

namespace Kiwi.Server.Tests.PubSub;

/// <summary>Pub/sub through StackExchange.Redis's ISubscriber, huge messages, and a subscriber that never reads.</summary>
public sealed class PubSubClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Subscriber_gets_every_message_in_publish_order_on_channels_and_patterns()
    {
        await using ConnectionMultiplexer subscriberConnection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString());
        ISubscriber subscriber = subscriberConnection.GetSubscriber();
        var onChannel = new ConcurrentQueue<string>();
        var onPattern = new ConcurrentQueue<(string Channel, string Message)>();
        ChannelMessageQueue exact = await subscriber.SubscribeAsync(RedisChannel.Literal("cl:orders"));
        exact.OnMessage(m => onChannel.Enqueue(m.Message!));
        ChannelMessageQueue pattern = await subscriber.SubscribeAsync(RedisChannel.Pattern("cl:ord*"));
        pattern.OnMessage(m => onPattern.Enqueue((m.Channel!, m.Message!)));

        ISubscriber publisher = server.Redis.GetSubscriber();
        const int Messages = 500;
        for (int i = 0; i < Messages; i++)
        {
            Assert.Equal(2, await publisher.PublishAsync(RedisChannel.Literal("cl:orders"), "m" + i));
        }

        Assert.Equal(1, await publisher.PublishAsync(RedisChannel.Literal("cl:ordinal"), "p"));
        Assert.Equal(0, await publisher.PublishAsync(RedisChannel.Literal("cl:other"), "x"));
        Poll.Until(() => onChannel.Count == Messages && onPattern.Count == Messages + 1, $"got {onChannel.Count} and {onPattern.Count} messages");
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => "m" + i), onChannel);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => ("cl:orders", "m" + i)).Append(("cl:ordinal", "p")), onPattern);

        await exact.UnsubscribeAsync();
        Assert.Equal(1, await publisher.PublishAsync(RedisChannel.Literal("cl:orders"), "after"));
    }

    [Fact]
    public async Task A_ten_megabyte_message_arrives_whole()
    {
        using RawClient sub = await RawClient.ConnectAsync(server.Port);
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$6\r\ncl:big\r\n:1\r\n", await sub.CallAsync(RawClient.Command("SUBSCRIBE", "cl:big")));
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(17).NextBytes(payload);
        Assert.Equal(1, await server.Redis.GetSubscriber().PublishAsync(RedisChannel.Literal("cl:big"), payload));
        string frame = await sub.ReadReplyAsync();
        string header = $"*3\r\n$7\r\nmessage\r\n$6\r\ncl:big\r\n${payload.Length}\r\n";
        Assert.StartsWith(header, frame, StringComparison.Ordinal);
        Assert.Equal(header.Length + payload.Length + 2, frame.Length);
        Assert.True(payload.AsSpan().SequenceEqual(Encoding.Latin1.GetBytes(frame.Substring(header.Length, payload.Length))));
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_is_cut_off_at_its_limit_and_the_others_get_everything()
    {
        using TestServer limited = TestServer.Start();
        using RawClient admin = await RawClient.ConnectAsync(limited.Port);
        Assert.Equal("+OK\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0")));
        Assert.Equal("*2\r\n$26\r\nclient-output-buffer-limit\r\n$59\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 0 0\r\n", await admin.CallAsync(RawClient.Command("CONFIG", "GET", "client-output-buffer-limit")));

        using RawClient stuck = await RawClient.ConnectAsync(limited.Port);
        stuck.Socket.ReceiveBufferSize = 64 * 1024;
        Assert.Equal("+OK\r\n", await stuck.CallAsync(RawClient.Command("CLIENT", "SETNAME", "never-reads")));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$5\r\ncl:fl\r\n:1\r\n", await stuck.CallAsync(RawClient.Command("SUBSCRIBE", "cl:fl")));

        await using ConnectionMultiplexer reader = await ConnectionMultiplexer.ConnectAsync(limited.ConnectionString());
        long received = 0;
        long outOfOrder = 0;
        ChannelMessageQueue queue = await reader.GetSubscriber().SubscribeAsync(RedisChannel.Literal("cl:fl"));
        queue.OnMessage(m =>
        {
            byte[] body = m.Message!;
            if (BitConverter.ToInt64(body) != received)
            {
                Interlocked.Increment(ref outOfOrder);
            }

            Interlocked.Increment(ref received);
        });

        // Publish until the stuck client is gone (its kernel buffers absorb a few MB first); the server never holds the
        // publisher back for a subscriber.
        await using ConnectionMultiplexer publisherConnection = await ConnectionMultiplexer.ConnectAsync(limited.ConnectionString());
        ISubscriber publisher = publisherConnection.GetSubscriber();
        byte[] message = new byte[16 * 1024];
        long sent = 0;
        DateTime deadline = DateTime.UtcNow + Poll.Deadline;

        // The reading subscriber must not fall its limit (1 MB) behind either, which it did on a loaded machine where
        // the test process reading for it was starved: the publisher lets it come within 16 messages (256 KB).
        void KeepPace() => Poll.Until(() => Interlocked.Read(ref received) >= sent - 16, $"the reading subscriber fell behind: {received} of {sent}");

        while (true)
        {
            BitConverter.TryWriteBytes(message, sent);
            long receivers = await publisher.PublishAsync(RedisChannel.Literal("cl:fl"), message);
            sent++;
            KeepPace();
            if (receivers == 1)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the stuck subscriber was not cut off after {sent} messages");
        }

        for (int i = 0; i < 100; i++)
        {
            BitConverter.TryWriteBytes(message, sent++);
            Assert.Equal(1, await publisher.PublishAsync(RedisChannel.Literal("cl:fl"), message));
            KeepPace();
        }

        Poll.Until(() => Interlocked.Read(ref received) == sent, $"the reading subscriber got {received} of {sent}");
        Assert.Equal(0, Interlocked.Read(ref outOfOrder));
        // The session leaves the hub first and the client registry just after: ask until it is gone from both.
        await Poll.UntilAsync(async () => !(await admin.CallAsync(RawClient.Command("CLIENT", "LIST"))).Contains("never-reads", StringComparison.Ordinal), "the cut-off client is still listed");

        // The server closed it: what reaches it is a part of the messages, then the end of the stream.
        string got = await stuck.ReadUntilClosedAsync();
        Assert.True(got.Length < sent * message.Length, $"the cut-off client got {got.Length} bytes");
    }
}
