using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>
/// How the cost of one SET falls as more are in flight: each invocation submits SETs in groups of
/// <see cref="BatchSize"/> and awaits each group before the next. The writer drains whatever the ring
/// holds, so a group becomes one or a few storage writes (the cleanup line prints the average batch).
/// </summary>
[MemoryDiagnoser]
public class BatchApplyBenchmarks
{
    // A multiple of every BatchSize, so every invocation does the same work.
    private const int OpsPerInvoke = 500;
    private const int KeyCount = 4096;

    private readonly byte[] _keys = BenchData.MakeKeys(KeyCount);
    private readonly byte[] _value = BenchData.MakeValue();
    private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[OpsPerInvoke];
    private string _path = null!;
    private KiwiDb _db = null!;
    private long _batches0;
    private long _entries0;
    private int _next;

    [Params(10, 50, 100, 500)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("batch");
        _db = KiwiDb.Open(BenchData.Options(_path));
        BenchData.Populate(_db, _keys, _value);
        _batches0 = _db.BatchesWritten;
        _entries0 = _db.EntriesApplied;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"kiwi: BatchSize {BatchSize}: " + BenchData.BatchReport(_db, _batches0, _entries0));
        _db.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>Submit <see cref="BatchSize"/> SETs, await them all, repeat; per SET.</summary>
    [Benchmark(OperationsPerInvoke = OpsPerInvoke)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SubmitThenAwait()
    {
        ValueTask<bool>[] pending = _pending;
        int size = BatchSize;
        for (int done = 0; done < OpsPerInvoke; done += size)
        {
            for (int i = 0; i < size; i++)
            {
                pending[i] = _db.SetAsync(NextKey(), _value);
            }

            for (int i = 0; i < size; i++)
            {
                await pending[i];
            }
        }
    }

    private ReadOnlySpan<byte> NextKey()
    {
        int i = _next++ & (KeyCount - 1);
        return _keys.AsSpan(i * BenchData.KeySize, BenchData.KeySize);
    }
}
