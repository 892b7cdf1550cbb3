using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Reads;

/// <summary>
/// Reads of committed collections on the caller's thread, through one read view per command (so a command never
/// sees half of a write): the meta record through <see cref="ReadPath"/>, then members under its version.
/// Scratch buffers are per thread; nothing is allocated per point read.
/// </summary>
internal static class CollectionReads
{
    [ThreadStatic]
    private static ByteBuffer? t_dataKey;

    [ThreadStatic]
    private static ByteBuffer? t_member;

    /// <summary>
    /// Loads the meta record of <paramref name="key"/>: <see cref="KeyType.None"/> when missing or expired, else its
    /// type, with a collection's version and member count.
    /// </summary>
    public static KeyType Lookup(StorageSnapshot view, int db, ReadOnlySpan<byte> key, long nowMs, out ulong version, out long count)
    {
        KeyType type = ReadPath.Lookup(view, db, key, nowMs);
        ReadOnlySpan<byte> record = ReadPath.Record;
        version = type == KeyType.None ? 0 : MetaValue.Version(record);
        count = type == KeyType.None ? 0 : MetaValue.Count(record);
        return type;
    }

    /// <summary>
    /// Loads a collection of <paramref name="type"/> for the embedded API: false when the key is missing.
    /// </summary>
    /// <exception cref="KiwiException">WRONGTYPE when the key holds another type.</exception>
    public static bool Find(StorageSnapshot view, int db, ReadOnlySpan<byte> key, long nowMs, KeyType type, out ulong version, out long count)
    {
        KeyType found = Lookup(view, db, key, nowMs, out version, out count);
        if (found == type)
        {
            return true;
        }

        return found == KeyType.None ? false : throw new KiwiException(KiwiError.WrongType);
    }

    /// <summary>Reads a member; its value stays valid until the next member read on this thread.</summary>
    public static bool TryGetMember(StorageSnapshot view, KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> member, out ReadOnlySpan<byte> value)
    {
        ByteBuffer dataKey = t_dataKey ??= new ByteBuffer();
        ByteBuffer buffer = t_member ??= new ByteBuffer();
        if (view.TryGet(space, KeyCodec.Data(dataKey, db, key, version, member), buffer))
        {
            value = buffer.WrittenSpan;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Walks a committed collection's members in byte order.</summary>
    public static MemberCursor OpenMembers(StorageSnapshot view, KeySpace space, int db, ReadOnlySpan<byte> key, ulong version, ReadOnlySpan<byte> from = default)
    {
        ByteBuffer dataKey = t_dataKey ??= new ByteBuffer();
        return MemberCursor.OpenCommitted(view.OpenCursor(space), space, KeyCodec.Data(dataKey, db, key, version, default), from);
    }

    /// <summary>Gives back a large member buffer after a big value was read.</summary>
    public static void Release() => t_member?.Clear();
}
