using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Expiry;

/// <summary>
/// The active expiry cycle: walks the expiry index in time order and, for every entry whose time has
/// passed, submits an <see cref="OpCode.ExpireSweep"/> through the writer (so replicas delete the same keys
/// at the same log position). Stale index entries (the key's expiry changed) are dropped the same way.
/// </summary>
internal sealed class ExpiryCycle : IDisposable
{
    private const int MaxPerRound = 512;

    private readonly KiwiDb _db;
    private readonly IStorageEngine _engine;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<ApplyRequest> _inFlight = new(MaxPerRound);

    public ExpiryCycle(KiwiDb db, IStorageEngine engine, TimeSpan interval)
    {
        _db = db;
        _engine = engine;
        _interval = interval;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Keys deleted by the cycle since start.</summary>
    public long Deleted { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                while (await SweepOnceAsync().ConfigureAwait(false) == MaxPerRound && !_stop.IsCancellationRequested)
                {
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Submits sweeps for up to <see cref="MaxPerRound"/> due index entries and waits for them.</summary>
    private async Task<int> SweepOnceAsync()
    {
        if (!_db.CanWrite)
        {
            // A Raft follower: the leader's sweeps reach us through the log.
            return 0;
        }

        long now = _db.NowMs();
        using (IStorageCursor cursor = _engine.OpenCursor(KeySpace.Expire))
        {
            cursor.Seek(default);
            while (cursor.Valid && _inFlight.Count < MaxPerRound)
            {
                if (!KeyCodec.TryReadExpire(cursor.Key, out long expireAt, out int db, out ReadOnlySpan<byte> key) || expireAt >= now)
                {
                    break;
                }

                ApplyRequest request = _db.Begin(now);
                CommandFormat.AddCommand(request.Payload, OpCode.ExpireSweep, 0, db, 1, expireAt);
                CommandFormat.AddArg(request.Payload, key);
                _db.Submit(request);
                _inFlight.Add(request);
                cursor.Next();
            }
        }

        int submitted = _inFlight.Count;
        foreach (ApplyRequest request in _inFlight)
        {
            await request.WaitAsync().ConfigureAwait(false);
            if (request.Reply == ReplyKind.Integer && request.Integer == 1)
            {
                Deleted++;
            }

            ApplyRequestPool.Return(request);
        }

        _inFlight.Clear();
        return submitted;
    }
}
