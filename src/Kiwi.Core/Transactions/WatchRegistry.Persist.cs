using System.Buffers.Binary;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Transactions;

/// <content>
/// Persisted in <see cref="KeySpace.Raft"/> (append-only format, fixed-byte tests): key <c>"watch:" | token:i64 big
/// endian</c>, value <c>1:u8 | dirty:u8 | watchedAtMs:i64 LE | count:u32 LE | (expiredAtWatch:u8 | len:u32 LE |
/// meta key){count}</c>.
/// </content>
internal sealed partial class WatchRegistry
{
    /// <summary>The record format written by this code.</summary>
    public const byte RecordVersion = 1;

    /// <summary>The key prefix of the records.</summary>
    public static ReadOnlySpan<byte> Prefix => "watch:"u8;

    /// <summary>Adds the records changed since the last call to <paramref name="writes"/> (before it is committed).</summary>
    public void WriteChanges(WriteSet writes)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        Span<byte> key = stackalloc byte[Prefix.Length + 8];
        Prefix.CopyTo(key);
        foreach (Watch watch in _changed)
        {
            watch.Changed = false;
            BinaryPrimitives.WriteInt64BigEndian(key[Prefix.Length..], watch.Token);
            if (watch.Removed)
            {
                if (!_tokens.ContainsKey(watch.Token))
                {
                    writes.Delete(KeySpace.Raft, key);
                }

                continue;
            }

            Encode(watch, writes.Reserve(KeySpace.Raft, key, RecordSize(watch)));
        }

        _changed.Clear();
    }

    /// <summary>The bytes of <paramref name="watch"/>'s record.</summary>
    internal static int RecordSize(Watch watch)
    {
        int size = 1 + 1 + 8 + 4;
        foreach (WatchedKey key in watch.Keys)
        {
            size += 1 + 4 + key.MetaKey.Length;
        }

        return size;
    }

    /// <summary>Writes <paramref name="watch"/>'s record into <paramref name="value"/> (<see cref="RecordSize"/> bytes).</summary>
    internal static void Encode(Watch watch, Span<byte> value)
    {
        value[0] = RecordVersion;
        value[1] = watch.Dirty ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(value[2..], watch.WatchedAtMs);
        BinaryPrimitives.WriteInt32LittleEndian(value[10..], watch.Keys.Count);
        int at = 14;
        foreach (WatchedKey key in watch.Keys)
        {
            value[at] = key.ExpiredAtWatch ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(value[(at + 1)..], key.MetaKey.Length);
            key.MetaKey.CopyTo(value[(at + 5)..]);
            at += 5 + key.MetaKey.Length;
        }
    }

    /// <summary>Replaces the state with the one stored in <paramref name="engine"/> (at start, after an install, after a failed write).</summary>
    public void Load(IStorageEngine engine)
    {
        _tokens.Clear();
        _byHash.Clear();
        _changed.Clear();
        using var records = new RaftRecords.Walk(engine, Prefix);
        while (records.Next())
        {
            ReadOnlySpan<byte> value = records.Value;
            if (!records.HasId || value.Length < 14 || value[0] != RecordVersion)
            {
                throw new InvalidDataException($"watch record of {value.Length} bytes: the database is corrupt");
            }

            long token = BinaryPrimitives.ReadInt64BigEndian(records.Id);
            long watchedAt = BinaryPrimitives.ReadInt64LittleEndian(value[2..]);
            int count = BinaryPrimitives.ReadInt32LittleEndian(value[10..]);
            int at = 14;
            for (int i = 0; i < count; i++)
            {
                bool expired = value[at] == 1;
                int length = BinaryPrimitives.ReadInt32LittleEndian(value[(at + 1)..]);
                ReadOnlySpan<byte> metaKey = value.Slice(at + 5, length);
                Add(token, BinaryPrimitives.ReadUInt16BigEndian(metaKey), metaKey[KeyCodec.MetaPrefix..], expired, watchedAt);
                at += 5 + length;
            }

            if (_tokens.TryGetValue(token, out Watch? watch))
            {
                watch.Dirty = value[1] == 1;
            }
        }

        foreach (Watch watch in _changed)
        {
            watch.Changed = false;
        }

        _changed.Clear();
        _writes.Observer = _tokens.Count == 0 ? null : this;
    }

    /// <summary>Deletes every record (a snapshot being installed; RocksDB wants no put after it in the same write).</summary>
    public static void DeleteAll(WriteSet writes) => RaftRecords.DeleteAll(writes, Prefix);

    /// <summary>Adds every record of <paramref name="source"/> (a snapshot being installed) to <paramref name="writes"/>.</summary>
    public static void CopyAll(IStorageEngine source, WriteSet writes) => RaftRecords.CopyAll(source, writes, Prefix);
}
