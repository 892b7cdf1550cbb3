using System.Buffers.Binary;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Reads;

/// <summary>Ordered walks over the live keys of one database (KEYS, SCAN, DBSIZE, RANDOMKEY).</summary>
internal static class KeyScan
{
    /// <summary>
    /// Visits live keys of <paramref name="db"/> from <paramref name="startAfterOrAt"/> (a user key; empty = the
    /// first) in byte order, calling <paramref name="visit"/> with each key and type until it returns false.
    /// Returns the user key to resume from, or null when the walk reached the end.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired during the walk (the
    /// client was killed or left, or the server is stopping): a walk over many keys must not hold up shutdown.</exception>
    public static byte[]? Walk(IStorageEngine engine, int db, ReadOnlySpan<byte> startAfterOrAt, long nowMs, CancellationToken cancellation, Func<ReadOnlySpan<byte>, KeyType, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(engine);
        using IStorageCursor cursor = engine.OpenCursor(KeySpace.Meta);
        return Walk(cursor, db, startAfterOrAt, nowMs, cancellation, visit);
    }

    /// <summary>
    /// <see cref="Walk(IStorageEngine, int, ReadOnlySpan{byte}, long, CancellationToken, Func{ReadOnlySpan{byte}, KeyType, bool})"/>
    /// with a cursor over <see cref="KeySpace.Meta"/> the caller owns (one of a read view: the writer's batch inside EXEC).
    /// </summary>
    public static byte[]? Walk(IStorageCursor cursor, int db, ReadOnlySpan<byte> startAfterOrAt, long nowMs, CancellationToken cancellation, Func<ReadOnlySpan<byte>, KeyType, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(visit);
        Span<byte> prefix = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)db);
        byte[] seek = new byte[2 + startAfterOrAt.Length];
        prefix.CopyTo(seek);
        startAfterOrAt.CopyTo(seek.AsSpan(2));
        for (cursor.Seek(seek); cursor.Valid; cursor.Next())
        {
            // Checked at every entry, expired ones included: a volatile read, next to a native call per move.
            cancellation.ThrowIfCancellationRequested();
            ReadOnlySpan<byte> key = cursor.Key;
            if (key.Length < 2 || !key[..2].SequenceEqual(prefix))
            {
                return null;
            }

            ReadOnlySpan<byte> record = cursor.Value;
            KeyType type = MetaValue.Type(record);
            if (type == KeyType.None || MetaValue.IsExpired(MetaValue.ExpireAt(record), nowMs))
            {
                continue;
            }

            if (!visit(key[2..], type))
            {
                cursor.Next();
                while (cursor.Valid)
                {
                    ReadOnlySpan<byte> next = cursor.Key;
                    if (next.Length < 2 || !next[..2].SequenceEqual(prefix))
                    {
                        return null;
                    }

                    return next[2..].ToArray();
                }

                return null;
            }
        }

        return null;
    }

    /// <summary>Number of live keys in <paramref name="db"/> (a full walk: O(keys)).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired during the walk.</exception>
    public static long Count(IStorageEngine engine, int db, long nowMs, CancellationToken cancellation)
    {
        long count = 0;
        Walk(engine, db, default, nowMs, cancellation, (_, _) =>
        {
            count++;
            return true;
        });
        return count;
    }
}
