using BenchmarkDotNet.Attributes;
using Kiwi.Core;
using Kiwi.Core.Storage;

namespace Kiwi.Benchmarks;

/// <summary>
/// MGET of 8 keys through <see cref="KiwiDb.MGet(ReadOnlySpan{ReadOnlyMemory{byte}}, Span{KiwiValue})"/>: every key
/// read through one view (a hold on the commit gate with RocksDB's in-place updates on, the default; a RocksDB
/// snapshot past the read cache with them off), against 8 single-key MGETs (no view, read cache). Per MGET; the
/// values are copied into pooled memory and given back.
/// </summary>
[MemoryDiagnoser]
public class MultiKeyReadBenchmarks
{
    private const int KeyCount = 4096;
    private const int PerMGet = 8;

    private readonly byte[] _keys = BenchData.MakeKeys(KeyCount);
    private readonly ReadOnlyMemory<byte>[] _batch = new ReadOnlyMemory<byte>[PerMGet];
    private readonly KiwiValue[] _values = new KiwiValue[PerMGet];
    private string _path = null!;
    private RocksEngine _engine = null!;
    private KiwiDb _db = null!;
    private int _next;

    /// <summary>RocksDB's in-place memtable updates (views hold off commits) or not (views read at a snapshot).</summary>
    [Params(true, false)]
    public bool InplaceUpdates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("mget");
        _engine = RocksEngine.Open(_path, readCacheBytes: 64L * 1024 * 1024, inplaceUpdates: InplaceUpdates);
        _db = KiwiDb.Open(_engine, BenchData.Options(_path));
        BenchData.Populate(_db, _keys, BenchData.MakeValue());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        _engine.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    /// <summary>One MGET of 8 keys: one view.</summary>
    [Benchmark(Baseline = true)]
    public int MGet8()
    {
        NextKeys();
        _db.MGet(_batch, _values);
        return Release();
    }

    /// <summary>8 MGETs of one key each: no view (the read cache answers when it holds the key).</summary>
    [Benchmark]
    public int MGet1x8()
    {
        NextKeys();
        for (int i = 0; i < PerMGet; i++)
        {
            _db.MGet(_batch.AsSpan(i, 1), _values.AsSpan(i, 1));
        }

        return Release();
    }

    private void NextKeys()
    {
        for (int i = 0; i < PerMGet; i++)
        {
            int k = _next;
            _next = (k + 1) % KeyCount;
            _batch[i] = _keys.AsMemory(k * BenchData.KeySize, BenchData.KeySize);
        }
    }

    private int Release()
    {
        int length = 0;
        foreach (KiwiValue value in _values)
        {
            length += value.Length;
            value.Dispose();
        }

        return length;
    }
}
