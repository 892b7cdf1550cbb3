using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>
/// LPUSH then RPOP on one list through the embedded API (<see cref="KiwiDb.Lists"/>) over RocksDB in a temp
/// directory, 64 in flight: each touches one element record and the meta record whatever the list's length (it
/// holds 4,096 elements of 32 bytes). LINDEX in the middle is one point read at head + index.
/// </summary>
[MemoryDiagnoser]
public class KiwiDbListBenchmarks
{
    private const int Length = 4096;
    private const int InFlight = 64;

    private readonly byte[] _value = BenchData.MakeValue();
    private readonly ValueTask<long>[] _pushes = new ValueTask<long>[InFlight];
    private readonly ValueTask<KiwiValue>[] _pops = new ValueTask<KiwiValue>[InFlight];
    private string _path = null!;
    private KiwiDb _db = null!;

    private static ReadOnlySpan<byte> ListKey => "bench:list"u8;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("lists");
        _db = KiwiDb.Open(BenchData.Options(_path));
        for (int i = 0; i < Length; i++)
        {
            _db.Lists.PushRightAsync(ListKey, _value).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>64 LPUSHes submitted and awaited, then 64 RPOPs; per command.</summary>
    [Benchmark(OperationsPerInvoke = 2 * InFlight)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask LPushRPopInFlight64()
    {
        ValueTask<long>[] pushes = _pushes;
        for (int i = 0; i < pushes.Length; i++)
        {
            pushes[i] = _db.Lists.PushLeftAsync(ListKey, _value);
        }

        for (int i = 0; i < pushes.Length; i++)
        {
            await pushes[i];
        }

        ValueTask<KiwiValue>[] pops = _pops;
        for (int i = 0; i < pops.Length; i++)
        {
            pops[i] = _db.Lists.PopRightAsync(ListKey);
        }

        for (int i = 0; i < pops.Length; i++)
        {
            using KiwiValue popped = await pops[i];
        }
    }

    /// <summary>LINDEX in the middle of the list.</summary>
    [Benchmark]
    public int LIndexMiddle()
    {
        using KiwiValue value = _db.Lists.Get(ListKey, Length / 2);
        return value.Length;
    }
}
