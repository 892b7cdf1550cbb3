namespace Kiwi.Core;

/// <summary>
/// An expiry option of SET / GETEX (EX, PX, EXAT, PXAT, KEEPTTL, PERSIST). Relative times become absolute
/// unix milliseconds when the command is submitted, so the entry applies identically on every replica.
/// </summary>
public readonly struct KiwiExpiry : IEquatable<KiwiExpiry>
{
    private KiwiExpiry(KiwiExpiryKind kind, long value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Which option.</summary>
    public KiwiExpiryKind Kind { get; }

    /// <summary>The option's number (seconds or milliseconds, relative or unix time).</summary>
    public long Value { get; }

    /// <summary>No expiry option: SET clears any time to live.</summary>
    public static KiwiExpiry None => default;

    /// <summary>KEEPTTL: SET keeps the key's time to live.</summary>
    public static KiwiExpiry KeepTtl => new(KiwiExpiryKind.KeepTtl, 0);

    /// <summary>PERSIST (GETEX): remove the time to live.</summary>
    public static KiwiExpiry Persist => new(KiwiExpiryKind.Persist, 0);

    /// <summary>EX seconds.</summary>
    public static KiwiExpiry Seconds(long seconds) => new(KiwiExpiryKind.Seconds, seconds);

    /// <summary>PX milliseconds.</summary>
    public static KiwiExpiry Milliseconds(long milliseconds) => new(KiwiExpiryKind.Milliseconds, milliseconds);

    /// <summary>EXAT unix-seconds.</summary>
    public static KiwiExpiry AtUnixSeconds(long unixSeconds) => new(KiwiExpiryKind.AtUnixSeconds, unixSeconds);

    /// <summary>PXAT unix-milliseconds.</summary>
    public static KiwiExpiry AtUnixMilliseconds(long unixMilliseconds) => new(KiwiExpiryKind.AtUnixMilliseconds, unixMilliseconds);

    /// <summary>PX of a <see cref="TimeSpan"/>.</summary>
    public static KiwiExpiry After(TimeSpan delay) => Milliseconds((long)delay.TotalMilliseconds);

    /// <summary>PXAT of a point in time.</summary>
    public static KiwiExpiry At(DateTimeOffset time) => AtUnixMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>True for EX, PX, EXAT and PXAT.</summary>
    public bool SetsTime => Kind >= KiwiExpiryKind.Seconds;

    /// <summary>
    /// The absolute unix-ms expiry with Redis's validation: the number must be positive, and the seconds
    /// conversion and the addition of <paramref name="nowMs"/> must not overflow. Otherwise Redis's
    /// "invalid expire time in '<paramref name="command"/>' command" error.
    /// </summary>
    public long Resolve(long nowMs, string command)
    {
        if (!TryResolve(nowMs, out long at))
        {
            throw InvalidTime(command);
        }

        return at;
    }

    /// <summary>True for a time to live (EX, PX): counted from the time the command runs.</summary>
    internal bool IsRelative => Kind is KiwiExpiryKind.Seconds or KiwiExpiryKind.Milliseconds;

    /// <summary>Like <see cref="Resolve"/> without throwing.</summary>
    public bool TryResolve(long nowMs, out long unixMs)
    {
        unixMs = 0;
        long v = Value;
        if (v <= 0)
        {
            return false;
        }

        bool seconds = Kind is KiwiExpiryKind.Seconds or KiwiExpiryKind.AtUnixSeconds;
        if (seconds)
        {
            if (v > long.MaxValue / 1000)
            {
                return false;
            }

            v *= 1000;
        }

        if (Kind is KiwiExpiryKind.Seconds or KiwiExpiryKind.Milliseconds)
        {
            if (v > long.MaxValue - nowMs)
            {
                return false;
            }

            v += nowMs;
        }

        unixMs = v;
        return true;
    }

    /// <summary>Redis's error for an invalid expire time in <paramref name="command"/>.</summary>
    public static KiwiException InvalidTime(string command) => new($"ERR invalid expire time in '{command}' command");

    /// <inheritdoc />
    public bool Equals(KiwiExpiry other) => Kind == other.Kind && Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is KiwiExpiry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Value);

    /// <summary>Equality.</summary>
    public static bool operator ==(KiwiExpiry left, KiwiExpiry right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(KiwiExpiry left, KiwiExpiry right) => !left.Equals(right);
}

/// <summary>The kinds of <see cref="KiwiExpiry"/>.</summary>
public enum KiwiExpiryKind : byte
{
    /// <summary>No option.</summary>
    None,

    /// <summary>KEEPTTL.</summary>
    KeepTtl,

    /// <summary>PERSIST.</summary>
    Persist,

    /// <summary>EX.</summary>
    Seconds,

    /// <summary>PX.</summary>
    Milliseconds,

    /// <summary>EXAT.</summary>
    AtUnixSeconds,

    /// <summary>PXAT.</summary>
    AtUnixMilliseconds,
}

/// <summary>SET's existence condition.</summary>
public enum SetCondition : byte
{
    /// <summary>Always set.</summary>
    Always,

    /// <summary>NX: only when the key does not exist.</summary>
    NotExists,

    /// <summary>XX: only when the key exists.</summary>
    Exists,
}

/// <summary>EXPIRE's condition (NX, XX, GT, LT; XX may be combined with GT or LT).</summary>
[Flags]
public enum ExpireCondition : byte
{
    /// <summary>Always set.</summary>
    None = 0,

    /// <summary>NX: only when the key has no expiry.</summary>
    Nx = 1,

    /// <summary>XX: only when the key has an expiry.</summary>
    Xx = 2,

    /// <summary>GT: only when the new expiry is greater (no expiry counts as infinite).</summary>
    Gt = 4,

    /// <summary>LT: only when the new expiry is less.</summary>
    Lt = 8,
}
