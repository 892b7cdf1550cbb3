using System.Collections.Concurrent;
using System.Diagnostics;
using Kiwi.Core;

namespace Kiwi.Resp;

/// <summary>What every connection shares: the database, settings, the client registry and statistics.</summary>
internal sealed class ServerState
{
    private long _nextClientId;
    private long _totalCommands;
    private readonly long[] _opsSamples = new long[16];
    private int _opsSampleIndex;
    private long _lastSampleCommands;
    private long _lastSampleTicks = Stopwatch.GetTimestamp();

    /// <summary>Creates the shared state.</summary>
    public ServerState(KiwiDb db, IServerSettings settings)
    {
        Db = db;
        Settings = settings;
        LinearizableReads = settings.LinearizableReads;
        StartedAt = DateTimeOffset.UtcNow;
        RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";
        db.TransactionReads = new TransactionReads(this);
        SlowLog.Configure(settings.SlowlogLogSlowerThan, settings.SlowlogMaxLen);
        Saves = new ServerSaves(db, settings.SaveDirectory);
    }

    /// <summary>SAVE, BGSAVE, LASTSAVE and INFO persistence.</summary>
    public ServerSaves Saves { get; }

    /// <summary>The database.</summary>
    public KiwiDb Db { get; }

    /// <summary>The settings.</summary>
    public IServerSettings Settings { get; }

    /// <summary>
    /// <see cref="IServerSettings.LinearizableReads"/>, read once: it cannot change at runtime, and every read
    /// command asks.
    /// </summary>
    public bool LinearizableReads { get; }

    /// <summary>
    /// Applies the writes sessions publish on an I/O thread at the end of its event-loop wave; null applies them
    /// after each read instead.
    /// </summary>
    public IWriteScheduler? WriteScheduler { get; set; }

    /// <summary>When the server started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>A random id for INFO, as Redis's run_id (40 hex characters).</summary>
    public string RunId { get; }

    /// <summary>Connected clients by id.</summary>
    public ConcurrentDictionary<long, ClientSession> Clients { get; } = new();

    /// <summary>Connections accepted since start.</summary>
    public long TotalConnections;

    /// <summary>Connections refused because of maxclients.</summary>
    public long RejectedConnections;

    /// <summary>Clients disconnected by client-output-buffer-limit.</summary>
    public long OutputLimitDisconnections;

    /// <summary>Commands processed since start.</summary>
    public long TotalCommands => Volatile.Read(ref _totalCommands);

    /// <summary>SLOWLOG (configured from <see cref="IServerSettings.SlowlogLogSlowerThan"/> and <see cref="IServerSettings.SlowlogMaxLen"/>).</summary>
    public SlowLog SlowLog { get; } = new();

    /// <summary>CLIENT PAUSE / UNPAUSE.</summary>
    public ClientPause Pause { get; } = new();

    /// <summary>INFO commandstats and errorstats.</summary>
    public CommandStats Stats { get; } = new();

    /// <summary>
    /// CONFIG RESETSTAT: zeroes the command and error statistics and the connection and command totals, as
    /// Redis does (the ops/sec samples restart from here).
    /// </summary>
    public void ResetStats()
    {
        Stats.Reset();
        Interlocked.Exchange(ref TotalConnections, 0);
        Interlocked.Exchange(ref RejectedConnections, 0);
        Interlocked.Exchange(ref _totalCommands, 0);
        Interlocked.Exchange(ref _lastSampleCommands, 0);
    }

    /// <summary>Called by SHUTDOWN: stop accepting, finish in-flight work, close storage.</summary>
    public Action? ShutdownRequested { get; set; }

    private readonly ConcurrentDictionary<ulong, byte[]> _scanCursors = new();
    private long _nextCursor;

    /// <summary>Remembers where a SCAN stopped; returns the cursor number to give the client.</summary>
    public ulong SaveCursor(byte[] resumeKey)
    {
        if (_scanCursors.Count > 100_000)
        {
            // Clients that abandon scans must not grow this forever; an evicted cursor restarts its scan.
            _scanCursors.Clear();
        }

        ulong id = (ulong)Interlocked.Increment(ref _nextCursor);
        _scanCursors[id] = resumeKey;
        return id;
    }

    /// <summary>Where the scan with <paramref name="cursor"/> resumes; false for an unknown cursor.</summary>
    public bool TryResume(ulong cursor, out byte[] resumeKey)
    {
        if (_scanCursors.TryRemove(cursor, out byte[]? key))
        {
            resumeKey = key;
            return true;
        }

        resumeKey = [];
        return false;
    }

    /// <summary>Allocates a client id.</summary>
    public long NextClientId() => Interlocked.Increment(ref _nextClientId);

    /// <summary>Counts processed commands (once per read batch per connection, not per command).</summary>
    public void AddCommands(long count) => Interlocked.Add(ref _totalCommands, count);

    /// <summary>Takes an ops/sec sample; called about every 100 ms (Redis averages 16 samples).</summary>
    public void SampleOps()
    {
        long now = Stopwatch.GetTimestamp();
        long commands = TotalCommands;
        double seconds = (now - _lastSampleTicks) / (double)Stopwatch.Frequency;
        if (seconds <= 0)
        {
            return;
        }

        // Never negative, even right after CONFIG RESETSTAT zeroed the totals.
        _opsSamples[_opsSampleIndex] = Math.Max(0, (long)((commands - _lastSampleCommands) / seconds));
        _opsSampleIndex = (_opsSampleIndex + 1) % _opsSamples.Length;
        _lastSampleCommands = commands;
        _lastSampleTicks = now;
    }

    /// <summary>Average of the recent ops/sec samples.</summary>
    public long InstantaneousOpsPerSecond
    {
        get
        {
            long sum = 0;
            foreach (long s in _opsSamples)
            {
                sum += s;
            }

            return sum / _opsSamples.Length;
        }
    }
}
