using System.Buffers.Binary;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <summary>
/// Where the applied entries end, stored in the <see cref="KeySpace.Raft"/> space inside the same batch as the
/// data it covers. A Raft log entry may carry several client entries (a batch entry): <see cref="Position.Sub"/>
/// of its <see cref="Position.SubCount"/> are applied. Persisted: key "applied", value
/// <c>index:i64 | term:i64 | sub:i32 | subCount:i32</c> (little endian; an older 16-byte value means a whole entry).
/// </summary>
internal static class AppliedState
{
    /// <summary>The record's key.</summary>
    public static ReadOnlySpan<byte> Key => "applied"u8;

    /// <summary>An applied position: the last index touched, its term, and how much of that entry is applied.</summary>
    /// <param name="Index">The log index of the last applied client entry.</param>
    /// <param name="Term">Its term.</param>
    /// <param name="Sub">Client entries of <paramref name="Index"/> applied so far.</param>
    /// <param name="SubCount">Client entries <paramref name="Index"/> carries.</param>
    public readonly record struct Position(long Index, long Term, int Sub, int SubCount)
    {
        /// <summary>The highest index whose every client entry is applied.</summary>
        public long FullyApplied => Sub >= SubCount ? Index : Index - 1;
    }

    /// <summary>Adds the record to <paramref name="writes"/>.</summary>
    public static void Write(WriteSet writes, Position position)
    {
        Span<byte> value = writes.Reserve(KeySpace.Raft, Key, 24);
        BinaryPrimitives.WriteInt64LittleEndian(value, position.Index);
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], position.Term);
        BinaryPrimitives.WriteInt32LittleEndian(value[16..], position.Sub);
        BinaryPrimitives.WriteInt32LittleEndian(value[20..], position.SubCount);
    }

    /// <summary>Reads the record; index 0 for a new database.</summary>
    public static Position Read(IStorageEngine engine)
    {
        using var buffer = new ByteBuffer();
        if (!engine.TryGet(KeySpace.Raft, Key, buffer))
        {
            return new Position(0, 0, 1, 1);
        }

        ReadOnlySpan<byte> value = buffer.WrittenSpan;
        if (value.Length != 16 && value.Length != 24)
        {
            throw new InvalidDataException($"applied-index record has {value.Length} bytes, expected 24: the database is corrupt");
        }

        long index = BinaryPrimitives.ReadInt64LittleEndian(value);
        long term = BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
        if (value.Length == 16)
        {
            return new Position(index, term, 1, 1);
        }

        int sub = BinaryPrimitives.ReadInt32LittleEndian(value[16..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(value[20..]);
        if (sub < 1 || count < sub)
        {
            throw new InvalidDataException($"applied-index record has sub-entry {sub} of {count}: the database is corrupt");
        }

        return new Position(index, term, sub, count);
    }
}
