using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// A direct-mapped cache of small records in front of RocksDB: meta records (<see cref="KeySpace.Meta"/>) and the
/// members writes read back (see <see cref="RocksEngine"/>), each key with a tag saying which space it is in, so equal
/// bytes in two spaces are two keys. A point read that hits copies the record from one 128-byte slot instead of
/// searching the memtable skip list and the SST files (measured: about 45% of a pipelined GET's CPU, 29% of the
/// writer's in pipelined ZADD). Records that do not fit a slot are not cached; a key known to be absent is cached
/// as such.
/// <para>
/// Never newer or older than RocksDB, with one writer (the engine's commit) and any number of readers. Each
/// slot begins with a version word, in the same cache line as the key and the record's header, so a lookup is one
/// cache miss (the writer announces a batch's keys first, so their misses overlap: see <see cref="Prefetch"/>), and
/// the slots lie on huge pages where the kernel gives them (no TLB miss per lookup). The version's low
/// two bits say who holds the slot (00 free, 01 a reader filling it, 11 the writer), the third whether the
/// slot holds a record. The writer holds every slot its batch touches from before the RocksDB write until
/// after it and gives them back empty; while a slot is held, readers go to RocksDB and fill nothing. Only
/// readers fill, with what RocksDB answered, and only if the version is still the one they saw before reading
/// RocksDB, so a record read before a write is never put back after it. A reader that copies a record checks
/// the version again afterwards and discards a torn copy. Every release moves the version on by one step, so
/// no version value comes back.
/// </para>
/// <para>
/// A range delete (FLUSHDB, a snapshot install) empties the whole cache in O(1): a record counts only under the
/// generation it was written in (its tag in the version word's top bits), and the writer moves the generation
/// on. While the range delete is being written the generation is odd, and readers read RocksDB and fill nothing;
/// a fill checks the generation it looked up in is still current. (Before, the writer held and emptied every
/// slot: 46 ms of each FLUSHALL with 64 MiB, 135 ms with 256 MiB, and the whole table paged in.) The tag has
/// 15 bits: every 32,768th range delete also empties every slot, so an old tag never comes back valid.
/// </para>
/// </summary>
internal sealed partial class ReadCache
{
    /// <summary>Bytes per slot: version word, key length and tag, record length, key, record.</summary>
    public const int SlotBytes = 128;

    private const int VersionBytes = sizeof(long);
    private const int DataBytes = SlotBytes - VersionBytes;
    private const int HeaderBytes = 4;

    /// <summary>The most a key and its record may take together to be cached (the slot less its version word and lengths).</summary>
    public const int MaxPayload = DataBytes - HeaderBytes;

    private const ushort AbsentRecord = ushort.MaxValue;
    private const long HolderBits = 3;
    private const long FillerHolds = 1;
    private const long WriterHolds = 3;
    private const long Valid = 4;
    private const long Step = 8;
    private const int TagShift = 48;
    private const long TagMask = 0x7FFFL << TagShift; // the generation's tag of a valid record (the sign bit stays 0)
    private const long CounterMask = (1L << TagShift) - Step; // the version's step count, below the tag
    private const int StagedBit = int.MinValue; // in _held: the slot holds what the batch wrote (see Stage)

    // The slots, each starting with its version word, in one block on huge pages where the kernel gives them.
    private readonly HugePageBlock _memory;
    private readonly int _mask;

    // Writer only: the slots its current batch holds, and the slots of its next holds (see Touch).
    private int[] _held = new int[256];
    private int _heldCount;
    private bool _heldAll;
    private int[] _next = new int[256];
    private int _nextCount;
    private int _nextTaken;

    // Moved on by each range delete: odd while one is being written. A record is valid under its own generation only.
    private long _generation;

    private long _hits;
    private long _misses;

    /// <summary>The outcome of a lookup.</summary>
    public enum Result
    {
        /// <summary>Not cached: read RocksDB (and <see cref="Fill"/> with the ticket).</summary>
        Miss,

        /// <summary>The record was copied into the caller's buffer.</summary>
        Found,

        /// <summary>The key is known to be absent.</summary>
        Absent,
    }

    /// <summary>Creates a cache of about <paramref name="bytes"/> (rounded down to a power of two slots, at least 1,024).</summary>
    public ReadCache(long bytes)
    {
        int wanted = (int)Math.Clamp(bytes / SlotBytes, 1024, Array.MaxLength / SlotBytes);
        int count = 1 << (31 - int.LeadingZeroCount(wanted));
        _memory = HugePageBlock.Allocate((long)count * SlotBytes); // zeroed: every slot free and empty
        _mask = count - 1;
    }

    /// <summary>Memory the cache holds (allocated whole when it is created).</summary>
    public long Bytes => _memory.Length;

    /// <summary>Lookups answered from the cache (counted without synchronization: approximate).</summary>
    public long Hits => Volatile.Read(ref _hits);

    /// <summary>Lookups that went to RocksDB (approximate, like <see cref="Hits"/>).</summary>
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>
    /// Looks <paramref name="key"/> (of the space <paramref name="tag"/> names) up. On <see cref="Result.Found"/> the
    /// record is in <paramref name="record"/>; on a miss, <paramref name="ticket"/> is what <see cref="Fill"/> needs
    /// (negative: do not fill).
    /// </summary>
    public Result TryGet(ReadOnlySpan<byte> key, ByteBuffer record, out long ticket, byte tag = 0)
        => Lookup(key, tag, record, default, out _, out ticket);

    /// <summary>
    /// Starts loading the slot of <paramref name="key"/> (the line with its version word, lengths and key) into the
    /// CPU caches: the writer calls it for every key of a batch before applying it, so the slots' cache misses
    /// overlap instead of each command stalling on its own.
    /// </summary>
    public void Prefetch(ReadOnlySpan<byte> key, byte tag = 0)
    {
        if (!Cacheable(key))
        {
            return;
        }

        int slot = SlotOf(key, tag);
        _memory.Prefetch(SlotOffset(slot));
    }

    /// <summary>
    /// Copies the first bytes of <paramref name="key"/>'s cached record into <paramref name="prefix"/>: how many, -1
    /// when the key is cached as absent, -2 when not cached (read RocksDB; nothing is filled from a prefix read).
    /// </summary>
    public int TryGetPrefix(ReadOnlySpan<byte> key, Span<byte> prefix, byte tag = 0)
        => Lookup(key, tag, null, prefix, out int copied, out _) switch
        {
            Result.Found => copied,
            Result.Absent => -1,
            _ => -2,
        };

    // One read of a slot: the record goes whole into `record` or, when that is null, its first bytes into `prefix`
    // (`copied` of them).
    private Result Lookup(ReadOnlySpan<byte> key, byte tag, ByteBuffer? record, Span<byte> prefix, out int copied, out long ticket)
    {
        ticket = -1;
        copied = 0;
        if (!Cacheable(key))
        {
            return Result.Miss; // never cached
        }

        long generation = Volatile.Read(ref _generation);
        if ((generation & 1) != 0)
        {
            _misses++; // a range delete is being written: RocksDB is the truth right now
            return Result.Miss;
        }

        int slot = SlotOf(key, tag);
        ref long version = ref VersionOf(slot);
        long before = Volatile.Read(ref version);
        if ((before & HolderBits) != 0)
        {
            _misses++; // held: RocksDB is the truth right now
            return Result.Miss;
        }

        long current = TagOf(generation);
        ticket = (before & ~TagMask) | current; // what Fill checks: this slot's version, this generation
        ReadOnlySpan<byte> bytes = _memory.Slice(SlotOffset(slot) + VersionBytes, DataBytes);
        int keyField = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        int keyLength = keyField & 0xFF;
        int recordLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);
        if ((before & Valid) == 0 || (before & TagMask) != current || keyField != KeyField(key, tag) || !bytes.Slice(HeaderBytes, keyLength).SequenceEqual(key))
        {
            _misses++;
            return Result.Miss;
        }

        Result result = Result.Absent;
        if (recordLength != AbsentRecord)
        {
            if (keyLength + recordLength > MaxPayload)
            {
                ticket = -1; // a torn read of the lengths
                _misses++;
                return Result.Miss;
            }

            ReadOnlySpan<byte> stored = bytes.Slice(HeaderBytes + keyLength, recordLength);
            if (record is not null)
            {
                record.Set(stored);
            }
            else
            {
                copied = Math.Min(recordLength, prefix.Length);
                stored[..copied].CopyTo(prefix);
            }

            result = Result.Found;
        }

        // The copy must be complete before the version is read again.
        Volatile.ReadBarrier();
        if (Volatile.Read(ref version) != before || Volatile.Read(ref _generation) != generation)
        {
            record?.Clear();
            ticket = -1;
            _misses++;
            return Result.Miss;
        }

        _hits++;
        return result;
    }

    /// <summary>
    /// After a miss: stores what RocksDB answered (<paramref name="record"/> when <paramref name="found"/>, else
    /// that the key is absent), unless the slot changed since the lookup that gave <paramref name="ticket"/>.
    /// </summary>
    public void Fill(ReadOnlySpan<byte> key, bool found, ReadOnlySpan<byte> record, long ticket, byte tag = 0)
    {
        if (ticket < 0 || key.Length + (found ? record.Length : 0) > MaxPayload)
        {
            return;
        }

        int slot = SlotOf(key, tag);
        ref long version = ref VersionOf(slot);
        long seen = Volatile.Read(ref version);
        if ((seen & ~TagMask) != (ticket & ~TagMask) || Interlocked.CompareExchange(ref version, seen | FillerHolds, seen) != seen)
        {
            return; // the slot changed since the lookup
        }

        // Held: a range delete that starts now leaves this record under a generation that is no longer current.
        long generation = Volatile.Read(ref _generation);
        if ((generation & 1) != 0 || TagOf(generation) != (ticket & TagMask))
        {
            Volatile.Write(ref version, seen); // a range delete since the lookup: what RocksDB answered may be gone
            return;
        }

        WriteSlot(slot, key, tag, found, record);
        Volatile.Write(ref version, NextVersion(seen, ticket & TagMask));
    }

    // The version after `seen` that holds a valid record written under the generation tagged `tag`.
    private static long NextVersion(long seen, long tag) => (((seen & CounterMask) + Step) & CounterMask) | Valid | tag;

    // A generation's tag, in place in the version word.
    private static long TagOf(long generation) => ((generation >> 1) << TagShift) & TagMask;

    // One rule for TryGet, Touch and Hold: Hold takes the slots Touch recorded, in order.
    private static bool Cacheable(ReadOnlySpan<byte> key) => key.Length is > 0 and <= MaxPayload;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long VersionOf(int slot) => ref _memory.Int64At(SlotOffset(slot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SlotOffset(int slot) => (long)slot * SlotBytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ReadOnlySpan<byte> key, byte tag) => (int)XxHash3.HashToUInt64(key, tag) & _mask;

    // A slot's first header field: the key's length (a cached key is shorter than 256 bytes) and its tag above it.
    private static int KeyField(ReadOnlySpan<byte> key, byte tag) => (tag << 8) | key.Length;
}
