namespace Kiwi.Resp;

/// <summary>
/// CLIENT PAUSE / UNPAUSE: while a pause lasts, the commands it covers (every command, or writes only) are held,
/// not refused: the session stops before such a command and runs it once the pause ends. Checking costs one
/// volatile read while no pause is set; a pause allocates its completion source.
/// </summary>
internal sealed class ClientPause
{
    private readonly Lock _lock = new();
    private long _endMs;
    private bool _all;
    private TaskCompletionSource? _ended;
    private Timer? _timer;

    /// <summary>True while a pause is set (its end not yet reached).</summary>
    public bool IsActive => Volatile.Read(ref _endMs) != 0;

    /// <summary>True when a pause is set and holds a command that writes (<paramref name="writes"/>) or any command.</summary>
    public bool Holds(bool writes)
    {
        long end = Volatile.Read(ref _endMs);
        if (end == 0)
        {
            return false;
        }

        if (Environment.TickCount64 >= end)
        {
            End();
            return false;
        }

        return writes || Volatile.Read(ref _all);
    }

    /// <summary>
    /// Pauses for <paramref name="milliseconds"/>; as Redis, a pause already set is only extended (a later end, or
    /// ALL over WRITE), never shortened.
    /// </summary>
    public void Pause(long milliseconds, bool all)
    {
        lock (_lock)
        {
            long end = Environment.TickCount64 + Math.Max(1, milliseconds);
            if (_endMs != 0)
            {
                all |= _all;
                end = Math.Max(end, _endMs);
            }

            _ended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _all, all);
            Volatile.Write(ref _endMs, end);
            _timer?.Dispose();
            _timer = new Timer(static state => ((ClientPause)state!).End(), this, TimeSpan.FromMilliseconds(Math.Max(1, end - Environment.TickCount64)), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Ends the pause (CLIENT UNPAUSE, or its timeout): held commands run.</summary>
    public void End()
    {
        TaskCompletionSource? ended;
        lock (_lock)
        {
            Volatile.Write(ref _endMs, 0);
            Volatile.Write(ref _all, false);
            ended = _ended;
            _ended = null;
            _timer?.Dispose();
            _timer = null;
        }

        ended?.TrySetResult();
    }

    /// <summary>Completes when the current pause ends (at once when none is set).</summary>
    public Task WaitAsync(CancellationToken cancellation)
    {
        Task? ended;
        lock (_lock)
        {
            ended = _ended?.Task;
        }

        return ended is null ? Task.CompletedTask : ended.WaitAsync(cancellation);
    }
}
