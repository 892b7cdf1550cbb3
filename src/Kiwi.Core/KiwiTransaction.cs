using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Transactions;

namespace Kiwi.Core;

/// <summary>
/// A typed transaction (<see cref="KiwiDb.CreateTransaction"/>): operations are checked and encoded as they are added,
/// by the encoders <see cref="KiwiDb"/>'s own methods use (a bad argument throws <see cref="KiwiException"/> at once),
/// and <see cref="ExecuteAsync"/> applies all of them atomically as ONE entry (in cluster mode, one log entry),
/// returning each one's result. Keys watched with <see cref="WatchAsync"/> make it apply only if none of them changed
/// in between (optimistic locking, as Redis's WATCH). Not thread-safe; use once.
/// </summary>
public sealed class KiwiTransaction : IAsyncDisposable
{
    private readonly KiwiDb _db;
    private readonly TransactionBuilder _builder = new();
    private long _watchToken;
    private bool _done;

    internal KiwiTransaction(KiwiDb db) => _db = db;

    /// <summary>The token its WATCHes are registered under (0: none); tests resume it on a reopened store.</summary>
    internal long WatchToken
    {
        get => _watchToken;
        init => _watchToken = value;
    }

    /// <summary>Operations added so far.</summary>
    public int Count => _builder.Count;

    /// <summary>
    /// SET <paramref name="key"/> <paramref name="value"/> (result: 1 when set, null when the condition failed); a relative
    /// <paramref name="expiry"/> counts from <see cref="ExecuteAsync"/>, as in a MULTI.
    /// </summary>
    public KiwiTransaction Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry = default, SetCondition condition = SetCondition.Always)
        => Add(StringEntries.Set(_db.Target with { RelativeTimes = true }, key, value, expiry, condition, get: false));

    /// <summary>INCRBY <paramref name="key"/> <paramref name="increment"/> (result: the new value).</summary>
    public KiwiTransaction IncrementBy(ReadOnlySpan<byte> key, long increment)
        => Add(StringEntries.IncrBy(_db.Target, key, increment));

    /// <summary>DEL <paramref name="key"/> (result: 1 when it existed).</summary>
    public KiwiTransaction Delete(ReadOnlySpan<byte> key)
        => Add(KeyEntries.Del(_db.Target, new SpanArgs(key)));

    /// <summary>HSET <paramref name="key"/> <paramref name="field"/> <paramref name="value"/> (result: 1 when the field is new).</summary>
    public KiwiTransaction HashSet(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
        => Add(HashEntries.Set(_db.Target, key, new SpanArgs(field, value), HashSetFlags.None));

    /// <summary>SADD <paramref name="key"/> <paramref name="member"/> (result: 1 when the member is new).</summary>
    public KiwiTransaction SetAdd(ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
        => Add(SetEntries.Add(_db.Target, key, new SpanArgs(member)));

    /// <summary>
    /// WATCHes <paramref name="key"/>: <see cref="ExecuteAsync"/> applies nothing (and returns null) if it changes
    /// before then, whoever changes it. Watch before reading what the operations depend on.
    /// </summary>
    public async ValueTask WatchAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        while (_watchToken == 0)
        {
            _watchToken = Random.Shared.NextInt64();
        }

        ApplyRequest request = _db.SubmitEntry(TransactionEntries.Watch(_db.Target, _watchToken, new SpanArgs(key.Span)));
        await request.AsOkTask().ConfigureAwait(false);
    }

    /// <summary>
    /// Applies every operation atomically, in order, and returns their results (an operation's runtime error, such as
    /// WRONGTYPE, is its result; the others still apply, as in Redis); null when a watched key changed (nothing applied).
    /// </summary>
    public async ValueTask<KiwiTransactionResult?> ExecuteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        _done = true;
        ApplyRequest request = _builder.Build(_db.Target, _watchToken);
        _watchToken = 0;
        _builder.Dispose();
        _db.SubmitRaw(request);
        try
        {
            await request.WaitAsync().ConfigureAwait(false);
            return KiwiTransactionResult.Parse(request.ReplyBuffer.WrittenSpan);
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    /// <summary>Forgets the watched keys when the transaction was not executed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _builder.Dispose();
        if (_watchToken != 0)
        {
            ApplyRequest request = _db.SubmitEntry(TransactionEntries.Unwatch(_db.Target, _watchToken));
            _watchToken = 0;
            await request.AsOkTask().ConfigureAwait(false);
        }
    }

    private KiwiTransaction Add(EncodedEntry entry)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (entry.Request is null)
        {
            throw KiwiException.FromErrorLine(entry.Error);
        }

        bool added = _builder.TryAddEntry(entry.Request);
        ApplyRequestPool.Return(entry.Request);
        return added ? this : throw new KiwiException("ERR transaction too long");
    }
}
