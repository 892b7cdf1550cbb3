using System.Text;
using Kiwi.Core.PubSub;

namespace Kiwi.Core.Tests.PubSub;

/// <summary>Embedded pub/sub: subscriptions as IAsyncEnumerable, PublishAsync, keyspace events for embedders.</summary>
public sealed class KiwiDbPubSubTests : KiwiDbTestBase
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_subscription_gets_channel_and_pattern_messages_in_publish_order()
    {
        await using KiwiSubscription exact = Db.Subscribe(["news"]);
        await using KiwiSubscription pattern = Db.SubscribePattern(["n*"]);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(2, await Db.PublishAsync("news"u8, Encoding.UTF8.GetBytes("m" + i)));
        }

        Assert.Equal(1, await Db.PublishAsync("nope"u8, "x"u8));
        Assert.Equal(0, await Db.PublishAsync("other"u8, "y"u8));

        using var cts = new CancellationTokenSource(s_deadline);
        var got = new List<string>();
        await foreach (KiwiMessage message in exact.WithCancellation(cts.Token))
        {
            Assert.Equal(PubSubKind.Message, message.Kind);
            Assert.Equal("news", Encoding.UTF8.GetString(message.Channel));
            got.Add(Encoding.UTF8.GetString(message.Message));
            if (got.Count == 100)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => "m" + i), got);
        var patterned = new List<string>();
        await foreach (KiwiMessage message in pattern.WithCancellation(cts.Token))
        {
            Assert.Equal(PubSubKind.PatternMessage, message.Kind);
            Assert.Equal("n*", Encoding.UTF8.GetString(message.Pattern));
            patterned.Add(Encoding.UTF8.GetString(message.Channel) + ":" + Encoding.UTF8.GetString(message.Message));
            if (patterned.Count == 101)
            {
                break;
            }
        }

        Assert.Equal("nope:x", patterned[^1]);
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_and_its_enumeration_ends()
    {
        KiwiSubscription subscription = Db.Subscribe(["gone"]);
        Assert.Equal(1, await Db.PublishAsync("gone"u8, "before"u8));
        await subscription.DisposeAsync();
        Assert.Equal(0, await Db.PublishAsync("gone"u8, "after"u8));
        var got = new List<string>();
        await foreach (KiwiMessage message in subscription)
        {
            got.Add(Encoding.UTF8.GetString(message.Message));
        }

        Assert.Equal(["before"], got);
    }

    [Fact]
    public async Task A_subscriber_past_its_capacity_is_cut_off_and_the_publisher_never_waits()
    {
        await using KiwiSubscription slow = Db.Subscribe(["flood"], capacity: 10);
        await using KiwiSubscription fast = Db.Subscribe(["flood"], capacity: 1000);
        for (int i = 0; i < 20; i++)
        {
            await Db.PublishAsync("flood"u8, "m"u8);
        }

        int read = 0;
        await Assert.ThrowsAsync<KiwiException>(async () =>
        {
            await foreach (KiwiMessage message in slow)
            {
                read++;
            }
        });
        Assert.Equal(10, read);

        int fastRead = 0;
        using var cts = new CancellationTokenSource(s_deadline);
        await foreach (KiwiMessage message in fast.WithCancellation(cts.Token))
        {
            if (++fastRead == 20)
            {
                break;
            }
        }

        Assert.Equal(20, fastRead);
    }

    [Fact]
    public async Task Keyspace_events_reach_embedders_after_the_write_in_apply_order()
    {
        Assert.Equal(KeyspaceEventClasses.None, Db.KeyspaceEvents);
        Db.KeyspaceEvents = KeyspaceEventClasses.Keyevent | KeyspaceEventClasses.All | KeyspaceEventClasses.New;
        using var cts = new CancellationTokenSource(s_deadline);
        await using IAsyncEnumerator<KiwiKeyspaceEvent> events = Db.KeyspaceEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        // The subscription starts with the first MoveNextAsync: start it, then write.
        ValueTask<bool> first = events.MoveNextAsync();
        await PollUntilSubscribedAsync();
        await Db.SetAsync("ek"u8, "v"u8);
        await Db.Lists.PushLeftAsync("el"u8, "x"u8);
        await Db.DelAsync("ek"u8);

        var got = new List<string>();
        Assert.True(await first);
        got.Add(events.Current.Event + " " + Encoding.UTF8.GetString(events.Current.Key));
        while (got.Count < 5)
        {
            Assert.True(await events.MoveNextAsync());
            got.Add(events.Current.Event + " " + Encoding.UTF8.GetString(events.Current.Key));
        }

        Assert.Equal(["new ek", "set ek", "new el", "lpush el", "del ek"], got);
    }

    private async Task PollUntilSubscribedAsync()
    {
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (!Db.PubSub.HasSubscribers)
        {
            Assert.True(DateTime.UtcNow < deadline, "the keyspace event stream did not subscribe");
            await Task.Yield();
        }
    }
}
