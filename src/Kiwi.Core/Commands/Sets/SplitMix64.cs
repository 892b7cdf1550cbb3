namespace Kiwi.Core.Commands;

/// <summary>
/// SplitMix64: a small deterministic generator. SPOP draws its seed when it is proposed and every replica (and a
/// replay of the log) derives the same choices from it.
/// </summary>
internal struct SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>) (bound &gt; 0), by multiply-high.</summary>
    public long Next(long bound) => (long)(ulong)(((UInt128)Next() * (ulong)bound) >> 64);
}
