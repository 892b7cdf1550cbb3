using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Reads;

/// <summary>DUMP: a key's committed value as a <see cref="DumpPayload"/>, read through one view (never half of a write).</summary>
internal static class KeyDump
{
    /// <summary>Writes the payload of <paramref name="key"/> into <paramref name="output"/>; false when the key is missing.</summary>
    public static bool TryDump(StorageSnapshot view, int db, ReadOnlySpan<byte> key, long nowMs, ByteBuffer output)
    {
        KeyType type = ReadPath.Lookup(view, db, key, nowMs);
        if (type == KeyType.None)
        {
            ReadPath.Release();
            return false;
        }

        using var record = new ByteBuffer();
        record.Set(ReadPath.Record);
        ReadPath.Release();
        ReadOnlySpan<byte> meta = record.WrittenSpan;
        DumpPayload.Begin(output, meta);
        if (MetaValue.IsCollection(meta))
        {
            int countOffset = DumpPayload.CountOffset(meta);
            using MemberCursor cursor = CollectionReads.OpenMembers(view, ApplyContext.SpaceOf(type), db, key, MetaValue.Version(meta));
            for (; cursor.Valid; cursor.Next())
            {
                DumpPayload.AddMember(output, countOffset, cursor.Member, cursor.Value);
            }
        }

        DumpPayload.End(output);
        return true;
    }
}
