using System.Diagnostics;
using System.Reflection;
using Kiwi.Native.Ring;

namespace Kiwi.Native.Tests.Ring;

public sealed class CommitRingConcurrencyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Mpsc_FourProducers_EveryItemOnceAndInProducerOrder()
    {
        const int producers = 4;
        const int perProducer = 100_000;
        using var ring = new CommitRing<long>(1024);

        Task[] tasks = StartProducers(producers, perProducer, (id, seq) => ring.Enqueue(Encode(id, seq)));
        int[] next = Consume(ring, producers, producers * perProducer, batch: 256);

        await Task.WhenAll(tasks).WaitAsync(Deadline);
        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.False(ring.TryDequeue(out _));
        ring.Close();
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public async Task Backpressure_TinyRingBlockingEnqueue_NoItemLost()
    {
        const int producers = 4;
        const int perProducer = 5_000;
        using var ring = new CommitRing<long>(4);

        Task[] tasks = StartProducers(producers, perProducer, (id, seq) => ring.Enqueue(Encode(id, seq)));
        int[] next = Consume(ring, producers, producers * perProducer, batch: 1);

        await Task.WhenAll(tasks).WaitAsync(Deadline);
        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public async Task Close_ReleasesProducerBlockedOnFullRing()
    {
        using var ring = new CommitRing<int>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        Task<bool> blocked = Task.Factory.StartNew(() => ring.Enqueue(99), TaskCreationOptions.LongRunning);
        Assert.True(
            SpinWait.SpinUntil(() => ReadCounter(ring, "_producersWaiting") != 0 || blocked.IsCompleted, Deadline),
            "producer never started waiting");
        Assert.False(blocked.IsCompleted, "Enqueue returned while the ring was full and open");

        ring.Close();

        Assert.False(await blocked.WaitAsync(Deadline));
        var drained = new int[8];
        Assert.Equal(4, ring.Drain(drained));
        Assert.Equal(new[] { 0, 1, 2, 3 }, drained[..4]);
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public async Task Drain_ReleasesProducerBlockedOnFullRing()
    {
        using var ring = new CommitRing<int>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryEnqueue(i));
        }

        Task<bool> blocked = Task.Factory.StartNew(() => ring.Enqueue(4), TaskCreationOptions.LongRunning);
        Assert.True(
            SpinWait.SpinUntil(() => ReadCounter(ring, "_producersWaiting") != 0 || blocked.IsCompleted, Deadline),
            "producer never started waiting");

        var drained = new int[1];
        Assert.Equal(1, ring.Drain(drained));

        Assert.True(await blocked.WaitAsync(Deadline));
        var rest = new int[8];
        Assert.Equal(4, ring.Drain(rest));
        Assert.Equal(new[] { 1, 2, 3, 4 }, rest[..4]);
    }

    [Fact]
    public async Task WaitForData_ParkedConsumer_IsWokenByProducer()
    {
        using var ring = new CommitRing<int>(4);

        // The consumer's own timeout is longer than the test deadline: only a wake-up lets it return in time.
        Task<bool> consumer = Task.Factory.StartNew(
            () => ring.WaitForData(TimeSpan.FromSeconds(120)), TaskCreationOptions.LongRunning);
        Assert.True(
            SpinWait.SpinUntil(() => ReadCounter(ring, "_consumerParked") != 0 || consumer.IsCompleted, Deadline),
            "consumer never parked");
        Assert.False(consumer.IsCompleted, "WaitForData returned on an empty open ring");

        Assert.True(ring.TryEnqueue(42));

        Assert.True(await consumer.WaitAsync(Deadline));
        Assert.True(ring.TryDequeue(out int item));
        Assert.Equal(42, item);
    }

    [Fact]
    public async Task WaitForData_ParkedConsumer_IsWokenByClose()
    {
        using var ring = new CommitRing<int>(4);
        Task<bool> consumer = Task.Factory.StartNew(
            () => ring.WaitForData(TimeSpan.FromSeconds(120)), TaskCreationOptions.LongRunning);
        Assert.True(
            SpinWait.SpinUntil(() => ReadCounter(ring, "_consumerParked") != 0 || consumer.IsCompleted, Deadline),
            "consumer never parked");

        ring.Close();

        Assert.True(await consumer.WaitAsync(Deadline));
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public async Task Close_WhileProducersRace_EveryAcceptedItemIsDrained()
    {
        const int producers = 4;
        using var ring = new CommitRing<long>(64);
        var accepted = new int[producers];
        using var started = new CountdownEvent(producers);
        var tasks = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            int id = p;
            tasks[p] = Task.Factory.StartNew(
                () =>
                {
                    started.Signal();
                    int seq = 0;
                    while (ring.Enqueue(Encode(id, seq)))
                    {
                        seq++;
                    }

                    accepted[id] = seq;
                },
                TaskCreationOptions.LongRunning);
        }

        Assert.True(started.Wait(Deadline), "producers did not start");
        var next = new int[producers];
        var buffer = new long[32];
        var clock = Stopwatch.StartNew();
        long received = 0;
        while (!ring.IsCompleted)
        {
            Assert.True(clock.Elapsed < Deadline, "ring never completed");
            int n = ring.Drain(buffer);
            received += n;
            Check(buffer.AsSpan(0, n), next);
            if (received >= 5_000 && !ring.IsClosed)
            {
                ring.Close();
            }

            if (n == 0)
            {
                ring.WaitForData(TimeSpan.FromMilliseconds(50));
            }
        }

        await Task.WhenAll(tasks).WaitAsync(Deadline);
        Assert.Equal(accepted, next);
        Assert.False(ring.TryDequeue(out _));
    }

    private static long Encode(int producer, int seq) => ((long)producer << 32) | (uint)seq;

    private static Task[] StartProducers(int producers, int perProducer, Func<int, int, bool> enqueue)
    {
        var tasks = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            int id = p;
            tasks[p] = Task.Factory.StartNew(
                () =>
                {
                    for (int seq = 0; seq < perProducer; seq++)
                    {
                        if (!enqueue(id, seq))
                        {
                            throw new InvalidOperationException($"Enqueue failed on an open ring (producer {id})");
                        }
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        return tasks;
    }

    /// <summary>Drains <paramref name="total"/> items, checking each producer's sequence; returns the next expected seq per producer.</summary>
    private static int[] Consume(CommitRing<long> ring, int producers, int total, int batch)
    {
        var next = new int[producers];
        var buffer = new long[batch];
        var clock = Stopwatch.StartNew();
        int received = 0;
        while (received < total)
        {
            Assert.True(clock.Elapsed < Deadline, $"only {received} of {total} items arrived");
            Assert.InRange(ring.Count, 0, ring.Capacity);
            int n = ring.Drain(buffer);
            if (n == 0)
            {
                ring.WaitForData(TimeSpan.FromMilliseconds(100));
                continue;
            }

            Check(buffer.AsSpan(0, n), next);
            received += n;
        }

        return next;
    }

    private static void Check(ReadOnlySpan<long> items, int[] next)
    {
        foreach (long value in items)
        {
            int producer = (int)(value >> 32);
            int seq = (int)(uint)value;
            if (seq != next[producer])
            {
                Assert.Fail($"producer {producer}: expected seq {next[producer]}, got {seq}");
            }

            next[producer]++;
        }
    }

    private static long ReadCounter<T>(CommitRing<T> ring, string name)
    {
        FieldInfo field = typeof(CommitRing<T>).GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"CommitRing has no field {name}");
        return ((PaddedCounter)field.GetValue(ring)!).Value;
    }
}
