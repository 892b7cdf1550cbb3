using Kiwi.Core.PubSub;
using System.Buffers.Binary;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <content>FLUSHDB/FLUSHALL, RENAME/RENAMENX and COPY.</content>
internal static partial class KeyWrites
{
    /// <summary>
    /// Up to this many keys, FLUSHDB/FLUSHALL deletes key by key instead of by range: a range delete of an in-place
    /// family makes the store flush its memtables after the write (about 40 ms a FLUSHALL even of an empty server,
    /// which test suites run before every test), while a thousand point deletes take about a millisecond.
    /// </summary>
    public const long FlushByKeysLimit = 1000;

    public static void FlushDb(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        long keys = cmd.Flags == 1 ? ctx.Counts.WriterKeysAll() : ctx.Counts.WriterKeys(cmd.Db);
        if (ctx.InTransaction || keys <= FlushByKeysLimit)
        {
            FlushByKeys(ctx, cmd.Flags == 1 ? -1 : cmd.Db);
            reply.ReplyOk();
            return;
        }

        Span<byte> begin = stackalloc byte[2];
        Span<byte> end = stackalloc byte[3];
        if (cmd.Flags == 1)
        {
            // Every database: the whole of every data space (one byte past the largest two-byte prefix).
            begin.Clear();
            end.Fill(0xFF);
            for (int space = (int)KeySpace.Meta; space <= (int)KeySpace.Expire; space++)
            {
                ctx.Writes.DeleteRange((KeySpace)space, begin, end);
            }

            ctx.Counts.ClearAll();
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(begin, (ushort)cmd.Db);
            BinaryPrimitives.WriteUInt16BigEndian(end, (ushort)(cmd.Db + 1));
            for (int space = (int)KeySpace.Meta; space <= (int)KeySpace.List; space++)
            {
                ctx.Writes.DeleteRange((KeySpace)space, begin, end[..2]);
            }

            ctx.Counts.Clear(cmd.Db);

            // Expiry index entries of this database become stale and are dropped by the expiry cycle.
        }

        // Later writes go into the next storage write (see ApplyContext.EndBatch).
        ctx.EndBatch = true;
        ctx.ForgetKnownKey();
        reply.ReplyOk();
    }

    // FLUSHDB/FLUSHALL of at most FlushByKeysLimit keys, and any inside EXEC: the commands after it in the transaction
    // must land in the same storage write (Redis applies a transaction whole), which a range delete of an in-place
    // family cannot share with later puts there (see ApplyContext.EndBatch). So every record of the database (of all of them for FLUSHALL, db -1), as
    // the batch sees it, is deleted one by one, as DEL would (O(keys), as Redis's synchronous flush); WATCHes of
    // keys that exist see the deletes. Expiry index entries go stale and are dropped by the expiry cycle.
    private static void FlushByKeys(ApplyContext ctx, int db)
    {
        var records = new List<(int Db, byte[] Key, byte[] Record)>();
        Span<byte> start = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(start, (ushort)Math.Max(db, 0));
        using (IStorageCursor cursor = ctx.BatchView.Snapshot.OpenCursor(KeySpace.Meta))
        {
            for (cursor.Seek(db < 0 ? default : start); cursor.Valid; cursor.Next())
            {
                ReadOnlySpan<byte> metaKey = cursor.Key;
                if (metaKey.Length < KeyCodec.MetaPrefix || (db >= 0 && !metaKey[..2].SequenceEqual(start)))
                {
                    break;
                }

                records.Add((BinaryPrimitives.ReadUInt16BigEndian(metaKey), metaKey[KeyCodec.MetaPrefix..].ToArray(), cursor.Value.ToArray()));
            }
        }

        foreach ((int keyDb, byte[] key, byte[] record) in records)
        {
            ctx.Delete(keyDb, key);
            ctx.DropMembers(keyDb, key, record);
        }

        ctx.ForgetKnownKey();
    }

    public static void Rename(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> source = cmd.NextArg();
        ReadOnlySpan<byte> destination = cmd.NextArg();
        bool nx = cmd.Flags == 1;
        if (ctx.Read(cmd.Db, source) == KeyType.None)
        {
            reply.ReplyError(KiwiError.NoSuchKey);
            return;
        }

        if (source.SequenceEqual(destination))
        {
            Reply(reply, nx, done: !nx);
            return;
        }

        ctx.Build.Set(ctx.Current.WrittenSpan);
        if (nx && ctx.Read(cmd.Db, destination) != KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        // PutCopy rewrites ctx.Build with the copy's version: keep the source's record for its members.
        using var sourceRecord = new Kiwi.Native.Memory.ByteBuffer();
        sourceRecord.Set(ctx.Build.WrittenSpan);
        PutCopy(ctx, cmd.Db, source, cmd.Db, destination);
        ctx.Delete(cmd.Db, source);
        ctx.DropMembers(cmd.Db, source, sourceRecord.WrittenSpan);
        ctx.Events.Note(KeyspaceEventClasses.Generic, "rename_from"u8, cmd.Db, source);
        ctx.Events.Note(KeyspaceEventClasses.Generic, "rename_to"u8, cmd.Db, destination);
        Reply(reply, nx, done: true);
    }

    public static void Copy(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> source = cmd.NextArg();
        ReadOnlySpan<byte> destination = cmd.NextArg();
        int targetDb = ctx.Databases.WriterPhysical((int)cmd.N1);
        bool replace = cmd.Flags == 1;
        if (cmd.Db == targetDb && source.SequenceEqual(destination))
        {
            reply.ReplyError(KiwiError.SameObject);
            return;
        }

        if (ctx.Read(cmd.Db, source) == KeyType.None)
        {
            ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, cmd.Db, source);
            reply.ReplyInteger(0);
            return;
        }

        ctx.Build.Set(ctx.Current.WrittenSpan);
        if (!replace && ctx.Read(targetDb, destination) != KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        PutCopy(ctx, cmd.Db, source, targetDb, destination);
        ctx.Events.Note(KeyspaceEventClasses.Generic, "copy_to"u8, targetDb, destination);
        reply.ReplyInteger(1);
    }

    // Writes the source's record (in ctx.Build) under the destination: a string as it is, a collection with its
    // members copied under a new version.
    private static void PutCopy(ApplyContext ctx, int sourceDb, ReadOnlySpan<byte> source, int destinationDb, ReadOnlySpan<byte> destination)
    {
        if (!MetaValue.IsCollection(ctx.Build.WrittenSpan))
        {
            ctx.PutRecord(destinationDb, destination, ctx.Build.WrittenSpan);
            return;
        }

        using var record = new Kiwi.Native.Memory.ByteBuffer();
        record.Set(ctx.Build.WrittenSpan);
        ctx.CopyCollection(sourceDb, source, destinationDb, destination, record.WrittenSpan);
    }

    private static void Reply(ApplyRequest reply, bool nx, bool done)
    {
        if (nx)
        {
            reply.ReplyInteger(done ? 1 : 0);
        }
        else
        {
            reply.ReplyOk();
        }
    }
}
