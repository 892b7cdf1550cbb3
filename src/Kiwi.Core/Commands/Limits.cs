namespace Kiwi.Core.Commands;

/// <summary>Size limits shared with Redis.</summary>
internal static class Limits
{
    /// <summary>Largest string value, Redis's default <c>proto-max-bulk-len</c> (512 MB).</summary>
    public const long MaxStringLength = 512L * 1024 * 1024;
}
