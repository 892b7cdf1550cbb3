using System.Buffers.Binary;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Apply;

/// <summary>
/// Which write ids (<see cref="Raft.WriteId"/>) the state machine has applied, so that a write retried after a
/// leader change or a cut forwarding connection is applied once. Owned by the writer and changed only by applied
/// entries, so it is the same on every member; persisted in the same storage write as the data and the applied
/// index (so restarts, checkpoints and installed snapshots carry it).
/// <para>Per origin: the highest seq applied (<c>top</c>) and a bitmap of the <see cref="Window"/> seqs up to it.
/// An origin numbers its writes in the order it sends them and they reach the log nearly in that order, so a
/// retry lands inside the window; a seq at or below <c>top - Window</c> cannot be told apart and is not applied
/// (<see cref="Verdict.TooOld"/>: at most once). At most <see cref="MaxOrigins"/> origins are kept; a new one
/// replaces the one whose last write is oldest in the log (an origin is a process start, so old ones are gone).</para>
/// Persisted in <see cref="KeySpace.Raft"/>: key <c>"dedup:" | origin:u64 big endian</c>, value
/// <c>1:u8 | top:u64 | lastIndex:i64 | bitmap (Window / 64 words:u64, bit seq % Window)</c>, little endian.
/// </summary>
internal sealed class WriteDedup
{
    /// <summary>Seqs told apart below an origin's highest applied one.</summary>
    public const int Window = 1024;

    /// <summary>Origins remembered.</summary>
    public const int MaxOrigins = 1024;

    public const byte RecordVersion = 1;
    public const int RecordSize = 1 + 8 + 8 + (Window / 8);

    private const int Words = Window / 64;

    private readonly Dictionary<ulong, OriginWindow> _origins = [];
    private readonly List<OriginWindow> _dirty = [];
    private readonly List<ulong> _evicted = [];

    /// <summary>What to do with an entry.</summary>
    public enum Verdict
    {
        /// <summary>First time seen: apply it (now recorded).</summary>
        Apply,

        /// <summary>Applied before: skip it.</summary>
        Duplicate,

        /// <summary>Below the origin's window: whether it was applied is unknown, so it is not applied.</summary>
        TooOld,
    }

    /// <summary>The key prefix of the records.</summary>
    public static ReadOnlySpan<byte> Prefix => "dedup:"u8;

    /// <summary>Origins remembered now.</summary>
    public int Count => _origins.Count;

    /// <summary>
    /// Decides whether the write (<paramref name="origin"/>, <paramref name="seq"/>) in the log entry at
    /// <paramref name="index"/> is applied, and records it when it is.
    /// </summary>
    public Verdict Admit(ulong origin, ulong seq, long index)
    {
        if (!_origins.TryGetValue(origin, out OriginWindow? window))
        {
            window = Add(origin);
        }

        if (seq > window.Top)
        {
            ulong gap = seq - window.Top;
            if (window.Top == 0 || gap >= Window)
            {
                Array.Clear(window.Bits);
            }
            else
            {
                // The seqs skipped over are not applied yet (still in flight, or never).
                for (ulong s = window.Top + 1; s < seq; s++)
                {
                    window.Clear(s);
                }
            }

            window.Top = seq;
        }
        else if (window.Top - seq >= Window)
        {
            return Verdict.TooOld;
        }
        else if (window.IsSet(seq))
        {
            return Verdict.Duplicate;
        }

        window.Set(seq);
        window.LastIndex = index;
        if (!window.Dirty)
        {
            window.Dirty = true;
            _dirty.Add(window);
        }

        return Verdict.Apply;
    }

    /// <summary>Adds the records changed since the last call to <paramref name="writes"/> (before it is committed).</summary>
    public void WriteChanges(WriteSet writes)
    {
        Span<byte> key = stackalloc byte[Prefix.Length + 8];
        Prefix.CopyTo(key);
        foreach (ulong origin in _evicted)
        {
            if (!_origins.ContainsKey(origin))
            {
                BinaryPrimitives.WriteUInt64BigEndian(key[Prefix.Length..], origin);
                writes.Delete(KeySpace.Raft, key);
            }
        }

        foreach (OriginWindow window in _dirty)
        {
            window.Dirty = false;
            if (window.Evicted)
            {
                continue;
            }

            BinaryPrimitives.WriteUInt64BigEndian(key[Prefix.Length..], window.Origin);
            Span<byte> value = writes.Reserve(KeySpace.Raft, key, RecordSize);
            value[0] = RecordVersion;
            BinaryPrimitives.WriteUInt64LittleEndian(value[1..], window.Top);
            BinaryPrimitives.WriteInt64LittleEndian(value[9..], window.LastIndex);
            for (int i = 0; i < Words; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(value[(17 + (i * 8))..], window.Bits[i]);
            }
        }

        _dirty.Clear();
        _evicted.Clear();
    }

    /// <summary>Replaces the state with the one stored in <paramref name="engine"/> (at start, after an install, after a failed write).</summary>
    public void Load(IStorageEngine engine)
    {
        _origins.Clear();
        _dirty.Clear();
        _evicted.Clear();
        using var records = new RaftRecords.Walk(engine, Prefix);
        while (records.Next())
        {
            ReadOnlySpan<byte> value = records.Value;
            if (!records.HasId || value.Length != RecordSize || value[0] != RecordVersion)
            {
                throw new InvalidDataException($"write-id record of {value.Length} bytes (version {(value.IsEmpty ? 0 : value[0])}): the database is corrupt");
            }

            var window = new OriginWindow(BinaryPrimitives.ReadUInt64BigEndian(records.Id))
            {
                Top = BinaryPrimitives.ReadUInt64LittleEndian(value[1..]),
                LastIndex = BinaryPrimitives.ReadInt64LittleEndian(value[9..]),
            };
            for (int i = 0; i < Words; i++)
            {
                window.Bits[i] = BinaryPrimitives.ReadUInt64LittleEndian(value[(17 + (i * 8))..]);
            }

            _origins[window.Origin] = window;
        }
    }

    /// <summary>Deletes every record (a snapshot being installed; RocksDB wants no put after it in the same write).</summary>
    public static void DeleteAll(WriteSet writes) => RaftRecords.DeleteAll(writes, Prefix);

    /// <summary>Adds every record of <paramref name="source"/> (a snapshot being installed) to <paramref name="writes"/>.</summary>
    public static void CopyAll(IStorageEngine source, WriteSet writes) => RaftRecords.CopyAll(source, writes, Prefix);

    private OriginWindow Add(ulong origin)
    {
        if (_origins.Count >= MaxOrigins)
        {
            // The origin whose last applied write is oldest in the log (ties: the smaller id), the same on every member.
            OriginWindow? oldest = null;
            foreach (OriginWindow candidate in _origins.Values)
            {
                if (oldest is null || candidate.LastIndex < oldest.LastIndex
                    || (candidate.LastIndex == oldest.LastIndex && candidate.Origin < oldest.Origin))
                {
                    oldest = candidate;
                }
            }

            _origins.Remove(oldest!.Origin);
            oldest.Evicted = true;
            _evicted.Add(oldest.Origin);
        }

        var window = new OriginWindow(origin);
        _origins.Add(origin, window);
        return window;
    }

    private sealed class OriginWindow(ulong origin)
    {
        public ulong Origin { get; } = origin;

        public ulong Top { get; set; }

        public long LastIndex { get; set; }

        public ulong[] Bits { get; } = new ulong[Words];

        public bool Dirty { get; set; }

        public bool Evicted { get; set; }

        public bool IsSet(ulong seq) => (Bits[(int)(seq % Window) >> 6] & (1UL << (int)(seq & 63))) != 0;

        public void Set(ulong seq) => Bits[(int)(seq % Window) >> 6] |= 1UL << (int)(seq & 63);

        public void Clear(ulong seq) => Bits[(int)(seq % Window) >> 6] &= ~(1UL << (int)(seq & 63));
    }
}
