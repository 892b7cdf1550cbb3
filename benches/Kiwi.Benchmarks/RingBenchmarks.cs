using BenchmarkDotNet.Attributes;
using Kiwi.Native.Ring;

namespace Kiwi.Benchmarks;

/// <summary>
/// The commit ring alone: publish and drain on one thread (the cost of the slot protocol), and one producer
/// with a dedicated consumer thread parked in <see cref="CommitRing{T}.WaitForData"/> (the cost the pipeline
/// pays, including cache-line transfers and wake-ups). Entries are object references, as in the pipeline.
/// </summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private const int Batch = 1024;

    private readonly Entry _entry = new();
    private readonly Entry[] _drained = new Entry[Batch];
    private CommitRing<Entry> _ring = null!;
    private Thread? _consumer;
    private long _produced;
    private long _consumed;

    [GlobalSetup(Targets = [nameof(EnqueueThenDrain), nameof(EnqueueDequeuePair)])]
    public void SetupSingleThread() => _ring = new CommitRing<Entry>(Batch);

    [GlobalSetup(Target = nameof(ProducerConsumer))]
    public void SetupTwoThreads()
    {
        _ring = new CommitRing<Entry>(4 * Batch);
        _consumer = new Thread(Consume) { IsBackground = true, Name = "ring-consumer" };
        _consumer.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ring.Close();
        _consumer?.Join();
        _ring.Dispose();
    }

    /// <summary>TryEnqueue a full ring's worth, then one Drain into a reused array; per entry.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int EnqueueThenDrain()
    {
        CommitRing<Entry> ring = _ring;
        Entry entry = _entry;
        for (int i = 0; i < Batch; i++)
        {
            ring.TryEnqueue(entry);
        }

        return ring.Drain(_drained);
    }

    /// <summary>One TryEnqueue immediately followed by one TryDequeue (no batching).</summary>
    [Benchmark]
    public bool EnqueueDequeuePair()
    {
        _ring.TryEnqueue(_entry);
        return _ring.TryDequeue(out _);
    }

    /// <summary>
    /// This thread publishes <see cref="Batch"/> entries (waiting when the ring is full) and spins until the
    /// consumer thread has drained them all; per entry.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void ProducerConsumer()
    {
        CommitRing<Entry> ring = _ring;
        Entry entry = _entry;
        for (int i = 0; i < Batch; i++)
        {
            ring.Enqueue(entry);
        }

        _produced += Batch;
        SpinWait spin = default;
        while (Volatile.Read(ref _consumed) < _produced)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void Consume()
    {
        var buffer = new Entry[256];
        while (true)
        {
            int n = _ring.Drain(buffer);
            if (n == 0)
            {
                if (_ring.IsCompleted)
                {
                    return;
                }

                _ring.WaitForData(TimeSpan.FromMilliseconds(100));
                continue;
            }

            // Only this thread writes the counter.
            Volatile.Write(ref _consumed, _consumed + n);
        }
    }

    /// <summary>Stands in for a pooled request: the ring carries references.</summary>
    public sealed class Entry
    {
    }
}
