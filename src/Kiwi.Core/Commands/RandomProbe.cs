using Kiwi.Core.Apply;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands;

/// <summary>
/// A random member of a big collection with seeks instead of a walk to a random index (SPOP and SRANDMEMBER without a
/// count walked half the set on average: 12 ms on a set of 100,000 members, against O(1) in Redis). Members are
/// stored in byte order, so the pick descends their bytes like a trie: at each position it finds the lowest and
/// highest byte the members under the prefix so far have there (one seek, then a binary search of forward seeks:
/// the set and hash families update in place, where RocksDB cannot step back), draws a byte between them (again when
/// no member has it, up to 8 draws, then the next member after it), and goes on under it. Once the members under the prefix are
/// few (at most <see cref="WalkBelow"/>), one is drawn among them exactly. Bytes every member under the prefix shares
/// cost one seek. Each byte in use at a position is about equally likely, whatever the number of members under it:
/// members whose bytes spread evenly (ids, hashes, numbers) come out about equally often (measured: 3,000 draws from
/// 98,000 members of `m:` and a random number gave 2,939 different members, a fair draw about 2,954), a set mixing
/// shapes less so. Deterministic for a given random source and state, so replicas popping
/// with the seed fixed at proposal pick the same member.
/// </summary>
internal static class RandomProbe
{
    /// <summary>Collections of more members than this are probed; smaller ones are walked (exactly uniform, and cheap).</summary>
    public const long MinMembers = 128;

    /// <summary>Under a prefix with at most this many members, one of them is drawn by walking them.</summary>
    public const int WalkBelow = 16;

    private const int MaxDepth = 256;
    private const int MaxDraws = 8;

    /// <summary>
    /// Moves <paramref name="walk"/> (open over the collection) to a random member drawn with <paramref name="random"/>;
    /// false when the collection is empty or the descent went deeper than 256 bytes (then the caller walks).
    /// <paramref name="prefix"/> and <paramref name="probe"/> are scratch buffers.
    /// </summary>
    public static bool TryPick(MemberCursor walk, ref SplitMix64 random, ByteBuffer prefix, ByteBuffer probe)
    {
        prefix.Clear();
        walk.Restart(default);
        for (int depth = 0; depth < MaxDepth; depth++)
        {
            // The walk stands on the first member under `prefix`. Few members under it: draw one of them.
            int few = CountUpTo(walk, prefix.WrittenSpan, WalkBelow + 1);
            if (few <= WalkBelow)
            {
                if (few == 0)
                {
                    return false;
                }

                Seek(walk, prefix.WrittenSpan, -1, probe);
                for (long skip = random.Next(few); skip > 0; skip--)
                {
                    walk.Next();
                }

                return walk.Valid;
            }

            // The lowest byte after the prefix (-1: the prefix itself is a member) and the highest.
            Seek(walk, prefix.WrittenSpan, -1, probe);
            ReadOnlySpan<byte> lowest = walk.Member;
            int low = lowest.Length > prefix.Length ? lowest[prefix.Length] : -1;
            int high = low;
            if (low < 255 && Exists(walk, prefix.WrittenSpan, low + 1, probe))
            {
                high = Highest(walk, prefix.WrittenSpan, low + 1, probe);
            }

            // A byte no member has there is drawn again (up to 8 draws), so each byte in use is about equally likely
            // (without that, the member after a wide gap would come out as often as the gap is wide).
            int drawn;
            for (int draw = 1; ; draw++)
            {
                drawn = low + (int)random.Next(high - low + 1);
                if (drawn < 0)
                {
                    Seek(walk, prefix.WrittenSpan, -1, probe); // the prefix itself
                    return walk.Valid;
                }

                Seek(walk, prefix.WrittenSpan, drawn, probe);
                if (walk.Valid && walk.Member.StartsWith(prefix.WrittenSpan) && walk.Member.Length > prefix.Length
                    && walk.Member[prefix.Length] == drawn)
                {
                    break;
                }

                if (draw == MaxDraws)
                {
                    // The next member after the drawn byte: under the prefix, since the highest byte has one.
                    return walk.Valid;
                }
            }

            prefix.Write([(byte)drawn]);
        }

        return false;
    }

    // How many members (up to `limit`) start with `prefix`, counted from the first of them; leaves the walk moved.
    private static int CountUpTo(MemberCursor walk, ReadOnlySpan<byte> prefix, int limit)
    {
        int count = 0;
        while (count < limit && walk.Valid && walk.Member.StartsWith(prefix))
        {
            count++;
            walk.Next();
        }

        return count;
    }

    // The highest byte b >= `from` such that some member starts with `prefix` + b (Exists(from) holds).
    private static int Highest(MemberCursor walk, ReadOnlySpan<byte> prefix, int from, ByteBuffer probe)
    {
        int lo = from;
        int hi = 255;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (Exists(walk, prefix, mid, probe))
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    // True when some member starts with `prefix` and has a byte >= b right after it.
    private static bool Exists(MemberCursor walk, ReadOnlySpan<byte> prefix, int b, ByteBuffer probe)
    {
        Seek(walk, prefix, b, probe);
        return walk.Valid && walk.Member.StartsWith(prefix) && walk.Member.Length > prefix.Length;
    }

    // Moves the walk to the first member at or after `prefix` + b (b < 0: `prefix` alone).
    private static void Seek(MemberCursor walk, ReadOnlySpan<byte> prefix, int b, ByteBuffer probe)
    {
        probe.Set(prefix);
        if (b >= 0)
        {
            probe.Write([(byte)b]);
        }

        walk.Restart(probe.WrittenSpan);
    }
}
