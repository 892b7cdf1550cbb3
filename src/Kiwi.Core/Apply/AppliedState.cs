using System.Buffers.Binary;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <summary>
/// The applied (index, term) record, stored in the <see cref="KeySpace.Raft"/> space inside the same batch as
/// the data it covers. Persisted format: key "applied", value <c>index:i64 LE | term:i64 LE</c>.
/// </summary>
public static class AppliedState
{
    /// <summary>The record's key.</summary>
    public static ReadOnlySpan<byte> Key => "applied"u8;

    /// <summary>Adds the record to <paramref name="writes"/>.</summary>
    public static void Write(WriteSet writes, long index, long term)
    {
        Span<byte> value = writes.Reserve(KeySpace.Raft, Key, 16);
        BinaryPrimitives.WriteInt64LittleEndian(value, index);
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], term);
    }

    /// <summary>Reads the record; (0, 0) for a new database.</summary>
    public static (long Index, long Term) Read(IStorageEngine engine)
    {
        using var buffer = new ByteBuffer();
        if (!engine.TryGet(KeySpace.Raft, Key, buffer))
        {
            return (0, 0);
        }

        ReadOnlySpan<byte> value = buffer.WrittenSpan;
        if (value.Length != 16)
        {
            throw new InvalidDataException($"applied-index record has {value.Length} bytes, expected 16: the database is corrupt");
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(value), BinaryPrimitives.ReadInt64LittleEndian(value[8..]));
    }
}
