using System.Buffers.Binary;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands;

/// <content>RESTORE: a <see cref="DumpPayload"/> written under a key, its members with it in one batch.</content>
internal static partial class KeyWrites
{
    public static void Restore(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> payload = cmd.NextArg();
        var flags = (RestoreFlags)cmd.Flags;
        bool exists = ctx.Read(cmd.Db, key) != KeyType.None;
        if (exists && (flags & RestoreFlags.Replace) == 0)
        {
            reply.Writer.WriteError("BUSYKEY Target key name already exists."u8);
            return;
        }

        if ((flags & RestoreFlags.TtlNotInteger) != 0)
        {
            reply.ReplyError(KiwiError.NotInteger);
            return;
        }

        if ((flags & RestoreFlags.TtlNegative) != 0)
        {
            reply.Writer.WriteError("ERR Invalid TTL value, must be >= 0"u8);
            return;
        }

        if ((flags & RestoreFlags.BadChecksum) != 0)
        {
            reply.Writer.WriteError("ERR DUMP payload version or checksum are wrong"u8);
            return;
        }

        if ((flags & RestoreFlags.BadFormat) != 0)
        {
            reply.Writer.WriteError("ERR Bad data format"u8);
            return;
        }

        if (exists)
        {
            ctx.Delete(cmd.Db, key);
            ctx.DropMembers(cmd.Db, key, ctx.Current.WrittenSpan);
        }

        long expireAt = (flags & RestoreFlags.RelativeTtl) != 0 ? EntryTarget.ResolveRelative(ctx.Now, cmd.N1) : cmd.N1;
        if (expireAt != 0 && expireAt <= ctx.Now)
        {
            // Redis: a key restored already expired is not created (a replaced one stays deleted).
            reply.ReplyOk();
            return;
        }

        var reader = new DumpPayload.Reader(payload);
        ReadOnlySpan<byte> source = reader.Record;
        using var record = new ByteBuffer();
        record.Set(source);
        Span<byte> meta = record.WrittenSpanMutable;
        MetaValue.SetExpireAt(meta, expireAt);
        if (MetaValue.IsCollection(meta))
        {
            ulong version = ctx.NewVersion();
            BinaryPrimitives.WriteUInt64LittleEndian(meta[9..], version);
            KeySpace space = ApplyContext.SpaceOf(MetaValue.Type(meta));
            while (reader.TryNext(out ReadOnlySpan<byte> member, out ReadOnlySpan<byte> value))
            {
                // The payload lives in the entry, not in the batch: the spans stay valid while the batch grows.
                ctx.PutMember(space, cmd.Db, key, version, member, value);
            }
        }

        ctx.PutRecord(cmd.Db, key, record.WrittenSpan);
        reply.ReplyOk();
    }
}
