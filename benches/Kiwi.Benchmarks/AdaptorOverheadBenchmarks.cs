using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kiwi.Core;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Benchmarks;

/// <summary>
/// What the pipeline costs over writing RocksDB directly, on the same RocksDB instance and options:
/// (a) encode the meta key and record here and write them with <see cref="RocksStore.Write"/>; (b) the same
/// SET through <see cref="KiwiDb.SetAsync(ReadOnlySpan{byte}, ReadOnlySpan{byte}, KiwiExpiry, SetCondition)"/>
/// (ring, writer thread, read of the old record, applied-index record, waiter). Once with one put per storage
/// write, once with 64. The direct path is each group's baseline. <see cref="ApplyOnAwait"/> false is the path
/// without inline apply (the writer thread applies every write: wake-up, apply, completion on the thread pool);
/// true applies on the awaiting thread while the writer is idle (the default).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AdaptorOverheadBenchmarks
{
    private const int KeyCount = 4096;
    private const int PerBatch = 64;
    private const string Single = "1 per write";
    private const string Batched = "64 per write";

    private readonly byte[] _keys = BenchData.MakeKeys(KeyCount);
    private readonly byte[] _value = BenchData.MakeValue();
    private readonly byte[] _record = new byte[MetaValue.HeaderSize + BenchData.ValueSize];
    private readonly ValueTask<bool>[] _pending = new ValueTask<bool>[PerBatch];
    private readonly ByteBuffer _metaKey = new();
    private readonly RocksWriteBatch _batch = new();
    private string _path = null!;
    private RocksEngine _engine = null!;
    private RocksStore _store = null!;
    private RocksColumn _meta;
    private KiwiDb _db = null!;
    private int _next;

    /// <summary><see cref="KiwiDbOptions.InlineApplyWhenIdle"/>: the awaiting caller applies while the writer is idle.</summary>
    [Params(true, false)]
    public bool ApplyOnAwait { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchData.CreateTempDirectory("adaptor");
        // With the read cache KiwiDb.Open gives a database by default (the SET's read of the old record for the
        // key counts is a hit when the writer wrote the key last); the direct side does not read.
        _engine = RocksEngine.Open(_path, readCacheBytes: MemoryBudget.Split(0).ReadCacheBytes);
        _store = _engine.Store;
        _meta = _store.Column((int)KeySpace.Meta);
        // The pipeline runs over the same engine, so both sides write one RocksDB with one set of options.
        KiwiDbOptions defaults = BenchData.Options(_path);
        _db = KiwiDb.Open(_engine, new KiwiDbOptions { Path = defaults.Path, ActiveExpiry = defaults.ActiveExpiry, InlineApplyWhenIdle = ApplyOnAwait });
        BenchData.Populate(_db, _keys, _value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        _batch.Dispose();
        _metaKey.Dispose();
        _engine.Dispose();
        BenchData.DeleteDirectory(_path);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Single)]
    public void Direct()
    {
        _batch.Clear();
        PutNext();
        _store.Write(_batch, sync: false);
    }

    [Benchmark]
    [BenchmarkCategory(Single)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask Pipeline()
    {
        await _db.SetAsync(NextKey(), _value);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PerBatch)]
    [BenchmarkCategory(Batched)]
    public void Direct64()
    {
        _batch.Clear();
        for (int i = 0; i < PerBatch; i++)
        {
            PutNext();
        }

        _store.Write(_batch, sync: false);
    }

    [Benchmark(OperationsPerInvoke = PerBatch)]
    [BenchmarkCategory(Batched)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask Pipeline64()
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

    /// <summary>Encodes one string record (as the SET handler stores it) and adds its put to the batch.</summary>
    private void PutNext()
    {
        MetaValue.WriteHeader(_record, KeyType.String, 0);
        _value.CopyTo(_record.AsSpan(MetaValue.HeaderSize));
        _batch.Put(_meta, KeyCodec.Meta(_metaKey, 0, NextKey()), _record);
    }

    private ReadOnlySpan<byte> NextKey()
    {
        int i = _next++ & (KeyCount - 1);
        return _keys.AsSpan(i * BenchData.KeySize, BenchData.KeySize);
    }
}
