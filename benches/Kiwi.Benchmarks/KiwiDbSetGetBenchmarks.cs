using System.Buffers;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>
/// SET and GET through the embedded <see cref="KiwiDb"/> API (no RESP) over RocksDB in a temp directory:
/// 16-byte keys, 32-byte values, cycling over a populated key set. SET goes through the commit ring and
/// the writer thread; GET reads storage on the caller's thread.
/// </summary>
[MemoryDiagnoser]
public class KiwiDbSetGetBenchmarks
{
    private const int KeyCount = 4096;
    private const int InFlight = 64;

    private readonly byte[] _keys = BenchData.MakeKeys(KeyCount);
    private readonly byte[] _value = BenchData.MakeValue();
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[InFlight];
    private string _path = null!;
    private KiwiDb _db = null!;
    private long _batches0;
    private long _entries0;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("setget");
        _db = KiwiDb.Open(BenchData.Options(_path));
        BenchData.Populate(_db, _keys, _value);
        _batches0 = _db.BatchesWritten;
        _entries0 = _db.EntriesApplied;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_db.BatchesWritten > _batches0)
        {
            Console.WriteLine("kiwi: " + BenchData.BatchReport(_db, _batches0, _entries0));
        }

        _db.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>One SET awaited before the next: the full round trip through the writer.</summary>
    [Benchmark]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask Set()
    {
        await _db.SetAsync(NextKey(), _value);
    }

    /// <summary>64 SETs submitted, then each awaited ("many in flight"); per SET.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SetInFlight64()
    {
        ValueTask<bool>[] pending = _pending;
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = _db.SetAsync(NextKey(), _value);
        }

        for (int i = 0; i < pending.Length; i++)
        {
            await pending[i];
        }
    }

    /// <summary>GET into a reused caller buffer.</summary>
    [Benchmark]
    public bool TryGet()
    {
        _output.ResetWrittenCount();
        return _db.TryGet(NextKey(), _output);
    }

    /// <summary>GET as a pooled value, disposed at once.</summary>
    [Benchmark]
    public int Get()
    {
        using KiwiValue value = _db.Get(NextKey());
        return value.Length;
    }

    private ReadOnlySpan<byte> NextKey()
    {
        int i = _next++ & (KeyCount - 1);
        return _keys.AsSpan(i * BenchData.KeySize, BenchData.KeySize);
    }
}
