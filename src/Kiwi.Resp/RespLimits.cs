namespace Kiwi.Resp;

/// <summary>
/// Request limits, Redis's by default. Create with <c>new RespLimits()</c> (or <see cref="Default"/>) and
/// change fields with <c>with { … }</c>; <c>default(RespLimits)</c> has every limit at zero.
/// </summary>
internal readonly struct RespLimits
{
    /// <summary>Redis's <c>proto-max-bulk-len</c> default: 512 MB.</summary>
    public const long DefaultMaxBulkLength = 512L * 1024 * 1024;

    /// <summary>Redis 7's multibulk count limit (<c>INT_MAX</c>; Redis 6 and older used 1024*1024).</summary>
    public const int DefaultMaxMultibulkCount = int.MaxValue;

    /// <summary>Redis's <c>PROTO_INLINE_MAX_SIZE</c>: 64 KB, for inline lines and count lines alike.</summary>
    public const int DefaultMaxInlineLength = 64 * 1024;

    /// <summary>The most arguments a client that has not authenticated may send (Redis 7).</summary>
    public const int UnauthenticatedMaxMultibulkCount = 10;

    /// <summary>The longest argument a client that has not authenticated may send (Redis 7).</summary>
    public const int UnauthenticatedMaxBulkLength = 16384;

    /// <summary>Creates Redis's default limits.</summary>
    public RespLimits()
    {
        MaxBulkLength = DefaultMaxBulkLength;
        MaxMultibulkCount = DefaultMaxMultibulkCount;
        MaxInlineLength = DefaultMaxInlineLength;
    }

    /// <summary>Redis's default limits for an authenticated client.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>The longest bulk argument (<c>proto-max-bulk-len</c>).</summary>
    public long MaxBulkLength { get; init; }

    /// <summary>The largest <c>*</c> count.</summary>
    public int MaxMultibulkCount { get; init; }

    /// <summary>The longest inline command line, and the longest <c>*</c>/<c>$</c> count line.</summary>
    public int MaxInlineLength { get; init; }

    /// <summary>
    /// True while the connection must still AUTH: Redis then refuses more than
    /// <see cref="UnauthenticatedMaxMultibulkCount"/> arguments and arguments longer than
    /// <see cref="UnauthenticatedMaxBulkLength"/>, so an anonymous client cannot make it buffer much.
    /// </summary>
    public bool Unauthenticated { get; init; }
}
