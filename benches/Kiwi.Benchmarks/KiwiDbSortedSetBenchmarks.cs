using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>
/// ZADD/ZSCORE on one sorted set through the embedded API (<see cref="KiwiDb.SortedSets"/>) over RocksDB in a temp
/// directory, cycling over 4,096 populated 16-byte members whose scores change on every ZADD (so each one moves
/// in the score order: a read of the old score, two deletes and two puts). Writes go through the commit ring and the
/// writer; reads take a read view on the caller's thread.
/// </summary>
[MemoryDiagnoser]
public class KiwiDbSortedSetBenchmarks
{
    private const int MemberCount = 4096;
    private const int InFlight = 64;

    private readonly byte[] _members = BenchData.MakeKeys(MemberCount);
    private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[InFlight];
    private string _path = null!;
    private KiwiDb _db = null!;
    private int _next;

    private static ReadOnlySpan<byte> Key => "bench:zset"u8;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("zsets");
        _db = KiwiDb.Open(BenchData.Options(_path));
        for (int i = 0; i < MemberCount; i++)
        {
            _db.SortedSets.AddAsync(Key, i, Member(i)).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>64 ZADDs of existing members with a new score submitted, then each awaited; per ZADD.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ZAddInFlight64()
    {
        ValueTask<bool>[] pending = _pending;
        for (int i = 0; i < pending.Length; i++)
        {
            int n = _next++;
            pending[i] = _db.SortedSets.AddAsync(Key, n, Member(n & (MemberCount - 1)));
        }

        for (int i = 0; i < pending.Length; i++)
        {
            await pending[i];
        }
    }

    /// <summary>ZSCORE.</summary>
    [Benchmark]
    public double? ZScore() => _db.SortedSets.Score(Key, Member(_next++ & (MemberCount - 1)));

    private ReadOnlySpan<byte> Member(int i) => _members.AsSpan(i * BenchData.KeySize, BenchData.KeySize);
}
