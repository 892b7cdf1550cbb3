using System.Buffers.Binary;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Reads;

/// <summary>
/// RANDOMKEY over an ordered key space. Redis picks from its hash table; here a random descent through the bytes
/// of the keys finds a start (at each position, a random byte between the smallest and the largest in use after
/// the bytes chosen so far, each bound found with a few seeks), and one of the next <see cref="Window"/> live keys,
/// wrapping around, is taken at random. A database with at most that many live keys gets an exactly uniform pick;
/// a larger one a skewed but never degenerate one (keys in sparse byte ranges weigh more).
/// </summary>
internal static class KeySampler
{
    /// <summary>Live keys the pick is made among: small databases fit whole.</summary>
    internal const int Window = 64;

    /// <summary>Bytes of the start key chosen at most; past them the window takes over.</summary>
    private const int MaxDepth = 32;

    /// <summary>A random live key of <paramref name="db"/>, or null when it has none (<paramref name="cursor"/>: over <see cref="KeySpace.Meta"/>, the caller's).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while expired keys were skipped.</exception>
    public static byte[]? PickRandom(IStorageCursor cursor, int db, long nowMs, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        Span<byte> probe = stackalloc byte[2 + MaxDepth];
        BinaryPrimitives.WriteUInt16BigEndian(probe, (ushort)db);
        int length = Descend(cursor, probe);

        // Reservoir sampling: the i-th live key seen replaces the choice with probability 1/i.
        byte[] start = probe[2..length].ToArray();
        byte[]? chosen = null;
        int seen = 0;
        KeyScan.Walk(cursor, db, start, nowMs, cancellation, (key, _) =>
        {
            if (Random.Shared.Next(++seen) == 0)
            {
                chosen = key.ToArray();
            }

            return seen < Window;
        });
        if (seen < Window && start.Length > 0)
        {
            // Wrap around: the keys before the start.
            KeyScan.Walk(cursor, db, default, nowMs, cancellation, (key, _) =>
            {
                if (key.SequenceCompareTo(start) >= 0)
                {
                    return false;
                }

                if (Random.Shared.Next(++seen) == 0)
                {
                    chosen = key.ToArray();
                }

                return seen < Window;
            });
        }

        return chosen;
    }

    /// <summary>Extends <paramref name="probe"/> (the database prefix) with random bytes in use; returns its length.</summary>
    private static int Descend(IStorageCursor cursor, Span<byte> probe)
    {
        int length = 2;
        while (length < probe.Length)
        {
            ReadOnlySpan<byte> prefix = probe[..length];
            cursor.Seek(prefix);
            if (!Under(cursor, prefix))
            {
                // Nothing starts with these bytes (an empty database, or a random byte between two in use).
                break;
            }

            if (cursor.Key.Length == length)
            {
                // The bytes so far are a key of their own; the choice goes on among the longer ones.
                cursor.Next();
                if (!Under(cursor, prefix))
                {
                    break;
                }
            }

            byte lowest = cursor.Key[length];
            cursor.Next();
            if (!Under(cursor, prefix))
            {
                // A single key starts with these bytes: the walk starts at it.
                break;
            }

            int highest = HighestByte(cursor, probe, length, lowest);
            probe[length] = (byte)Random.Shared.Next(lowest, highest + 1);
            length++;
        }

        return length;
    }

    /// <summary>The largest byte at position <paramref name="length"/> among the keys starting with the probe's bytes before it.</summary>
    private static int HighestByte(IStorageCursor cursor, Span<byte> probe, int length, byte lowest)
    {
        if (lowest == byte.MaxValue)
        {
            return lowest;
        }

        // Keys sharing this byte as well (a common prefix) are the usual case: one seek settles it.
        probe[length] = (byte)(lowest + 1);
        cursor.Seek(probe[..(length + 1)]);
        if (!Under(cursor, probe[..length]))
        {
            return lowest;
        }

        int good = lowest + 1;
        int bad = byte.MaxValue + 1;
        while (bad - good > 1)
        {
            int middle = (good + bad) >>> 1;
            probe[length] = (byte)middle;
            cursor.Seek(probe[..(length + 1)]);
            if (Under(cursor, probe[..length]))
            {
                good = middle;
            }
            else
            {
                bad = middle;
            }
        }

        return good;
    }

    private static bool Under(IStorageCursor cursor, ReadOnlySpan<byte> prefix) => cursor.Valid && cursor.Key.StartsWith(prefix);
}
