namespace Kiwi.Core.Expiry;

/// <summary>
/// The earliest time the writer has put into the expiry index since the expiry cycle last looked: the cycle resumes
/// its walk where the last one stopped instead of at the index's start, unless something was indexed before that
/// place since (see <see cref="ExpiryCycle"/>). One writer notes, one reader takes.
/// </summary>
internal sealed class ExpiryIndexLow
{
    private long _lowest = long.MaxValue;

    /// <summary>The writer put an entry for <paramref name="expireAtMs"/> into the index.</summary>
    public void Note(long expireAtMs)
    {
        // Only the writer lowers it; a Take racing this leaves either value for the next Take, never a higher one.
        long seen = Volatile.Read(ref _lowest);
        while (expireAtMs < seen)
        {
            long previous = Interlocked.CompareExchange(ref _lowest, expireAtMs, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>The earliest time noted since the last call (<see cref="long.MaxValue"/>: none), and starts over.</summary>
    public long Take() => Interlocked.Exchange(ref _lowest, long.MaxValue);
}
