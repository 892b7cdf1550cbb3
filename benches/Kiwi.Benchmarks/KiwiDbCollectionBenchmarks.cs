using System.Buffers;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>
/// HSET/HGET on one hash and SADD/SISMEMBER on one set through the embedded API (<see cref="KiwiDb.Hashes"/>,
/// <see cref="KiwiDb.Sets"/>) over RocksDB in a temp directory, cycling over 4,096 populated 16-byte fields with
/// 32-byte values. Writes go through the commit ring and the writer; reads take a read view on the caller's thread.
/// </summary>
[MemoryDiagnoser]
public class KiwiDbCollectionBenchmarks
{
    private const int FieldCount = 4096;
    private const int InFlight = 64;

    private readonly byte[] _fields = BenchData.MakeKeys(FieldCount);
    private readonly byte[] _value = BenchData.MakeValue();
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[InFlight];
    private string _path = null!;
    private KiwiDb _db = null!;
    private int _next;

    private static ReadOnlySpan<byte> HashKey => "bench:hash"u8;

    private static ReadOnlySpan<byte> SetKey => "bench:set"u8;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("collections");
        _db = KiwiDb.Open(BenchData.Options(_path));
        for (int i = 0; i < FieldCount; i++)
        {
            _db.Hashes.SetAsync(HashKey, Field(i), _value).AsTask().GetAwaiter().GetResult();
            _db.Sets.AddAsync(SetKey, Field(i)).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>64 HSETs of existing fields submitted, then each awaited; per HSET.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask HSetInFlight64()
    {
        ValueTask<bool>[] pending = _pending;
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = _db.Hashes.SetAsync(HashKey, NextField(), _value);
        }

        for (int i = 0; i < pending.Length; i++)
        {
            await pending[i];
        }
    }

    /// <summary>64 SADDs of existing members submitted, then each awaited; per SADD.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SAddInFlight64()
    {
        ValueTask<bool>[] pending = _pending;
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = _db.Sets.AddAsync(SetKey, NextField());
        }

        for (int i = 0; i < pending.Length; i++)
        {
            await pending[i];
        }
    }

    /// <summary>HGET into a reused caller buffer.</summary>
    [Benchmark]
    public bool HGet()
    {
        _output.ResetWrittenCount();
        return _db.Hashes.TryGet(HashKey, NextField(), _output);
    }

    /// <summary>SISMEMBER.</summary>
    [Benchmark]
    public bool SIsMember() => _db.Sets.Contains(SetKey, NextField());

    private ReadOnlySpan<byte> Field(int i) => _fields.AsSpan(i * BenchData.KeySize, BenchData.KeySize);

    private ReadOnlySpan<byte> NextField() => Field(_next++ & (FieldCount - 1));
}
