namespace Kiwi.Core.Tests;

/// <summary>A clock that only moves when a test moves it, so expiry is deterministic.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _unixMs;

    public ManualClock(long unixMs) => _unixMs = unixMs;

    public long UnixMs => Interlocked.Read(ref _unixMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _unixMs));

    public void Advance(long milliseconds) => Interlocked.Add(ref _unixMs, milliseconds);

    public void Advance(TimeSpan delay) => Advance((long)delay.TotalMilliseconds);
}
