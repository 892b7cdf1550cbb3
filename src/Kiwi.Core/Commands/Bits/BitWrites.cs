using Kiwi.Core.PubSub;
using System.Runtime.InteropServices;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Bits;

/// <summary>The bit commands the writer applies: SETBIT, BITOP, BITFIELD. Each validates before it writes.</summary>
internal static class BitWrites
{
    /// <summary>SETBIT: replies the old bit; grows the string with zero bytes; keeps the TTL.</summary>
    public static void SetBit(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        long offset = cmd.N1;
        int bit = (int)cmd.N2;
        KeyType type = ctx.Read(cmd.Db, key);
        if (type != KeyType.None && type != KeyType.String)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        bool exists = type == KeyType.String;
        ReadOnlySpan<byte> head = exists ? ctx.CurrentPayload : default;
        int old = Bitmap.GetBit(head, offset);
        int index = (int)(offset >> 3);
        if (exists && index < head.Length && old == bit)
        {
            ctx.Events.Note(KeyspaceEventClasses.String, "setbit"u8, cmd.Db, key);
            reply.ReplyInteger(old);
            return;
        }

        int length = Math.Max(head.Length, index + 1);
        Span<byte> target = ctx.ReserveString(cmd.Db, key, length, exists ? ctx.CurrentExpireAt : 0);
        head.CopyTo(target);
        target[head.Length..].Clear();
        int mask = 1 << (7 - (int)(offset & 7));
        target[index] = (byte)(bit == 1 ? target[index] | mask : target[index] & ~mask);
        ctx.Events.Note(KeyspaceEventClasses.String, "setbit"u8, cmd.Db, key);
        reply.ReplyInteger(old);
    }

    /// <summary>
    /// BITOP op destination source...: missing sources are empty strings, shorter ones are padded with zeros;
    /// the result replaces the destination (any type, TTL cleared), or deletes it when empty. Replies its length.
    /// </summary>
    public static void BitOp(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        var op = (BitOperation)cmd.Flags;
        ReadOnlySpan<byte> destination = cmd.NextArg();
        int sources = cmd.ArgCount - 1;

        // First pass: types and the longest source; second pass: fold each source into the result.
        CommandView probe = cmd;
        int longest = 0;
        for (int i = 0; i < sources; i++)
        {
            ReadOnlySpan<byte> key = probe.NextArg();
            KeyType type = ctx.Read(cmd.Db, key);
            if (type != KeyType.None && type != KeyType.String)
            {
                reply.ReplyError(KiwiError.WrongType);
                return;
            }

            if (type == KeyType.None)
            {
                ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, cmd.Db, key);
            }

            if (type == KeyType.String)
            {
                longest = Math.Max(longest, ctx.CurrentPayload.Length);
            }
        }

        ctx.Build.Clear();
        Span<byte> result = ctx.Build.GetSpan(Math.Max(longest, 1))[..longest];
        for (int i = 0; i < sources; i++)
        {
            ReadOnlySpan<byte> source = ctx.Read(cmd.Db, cmd.NextArg()) == KeyType.String ? ctx.CurrentPayload : default;
            if (i == 0)
            {
                source.CopyTo(result);
                result[source.Length..].Clear();
                if (op == BitOperation.Not)
                {
                    Invert(result);
                }

                continue;
            }

            Fold(op, result, source);
        }

        ctx.Build.Advance(longest);
        if (longest == 0)
        {
            ctx.NoteStore(KeyspaceEventClasses.String, "set"u8, cmd.Db, destination, 0, ctx.Events.Wants(KeyspaceEventClasses.Generic) && ctx.ExistsLive(cmd.Db, destination));
            ctx.Delete(cmd.Db, destination);
        }
        else
        {
            ctx.PutString(cmd.Db, destination, ctx.Build.WrittenSpan, 0);
            ctx.Events.Note(KeyspaceEventClasses.String, "set"u8, cmd.Db, destination);
        }

        reply.ReplyInteger(longest);
    }

    /// <summary>
    /// BITFIELD key ops: only GETs read (a missing key reads as zeros, nothing is written); any SET or INCRBY
    /// creates or grows the string to the farthest bit written, keeping the TTL. Replies one integer (or nil
    /// for OVERFLOW FAIL) per op.
    /// </summary>
    public static void BitField(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> encoded = cmd.NextArg();
        int count = (int)cmd.N1;
        long lastBit = -1;
        for (int i = 0; i < count; i++)
        {
            BitFieldOp op = BitFieldOp.Read(encoded.Slice(i * BitFieldOp.EncodedSize));
            if (op.Kind != BitFieldOpKind.Get)
            {
                lastBit = Math.Max(lastBit, op.LastBit);
            }
        }

        KeyType type = ctx.Read(cmd.Db, key);
        if (type != KeyType.None && type != KeyType.String)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        bool exists = type == KeyType.String;
        ReadOnlySpan<byte> head = exists ? ctx.CurrentPayload : default;
        RespWriter writer = reply.Writer;
        if (lastBit < 0)
        {
            writer.WriteArrayHeader(count);
            for (int i = 0; i < count; i++)
            {
                writer.WriteInteger(BitFieldRunner.Get(head, BitFieldOp.Read(encoded.Slice(i * BitFieldOp.EncodedSize))));
            }

            return;
        }

        int length = (int)Math.Max(head.Length, (lastBit >> 3) + 1);
        Span<byte> target = ctx.ReserveString(cmd.Db, key, length, exists ? ctx.CurrentExpireAt : 0);
        head.CopyTo(target);
        target[head.Length..].Clear();
        ctx.Events.Note(KeyspaceEventClasses.String, "setbit"u8, cmd.Db, key);
        writer.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            if (BitFieldRunner.Apply(target, BitFieldOp.Read(encoded.Slice(i * BitFieldOp.EncodedSize)), out long value))
            {
                writer.WriteInteger(value);
            }
            else
            {
                writer.WriteNull();
            }
        }
    }

    private static void Invert(Span<byte> bytes)
    {
        Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
        for (int j = 0; j < words.Length; j++)
        {
            words[j] = ~words[j];
        }

        for (int j = words.Length * sizeof(ulong); j < bytes.Length; j++)
        {
            bytes[j] = (byte)~bytes[j];
        }
    }

    /// <summary>Folds <paramref name="source"/> into <paramref name="result"/>, a word at a time; missing source bytes are zeros.</summary>
    private static void Fold(BitOperation op, Span<byte> result, ReadOnlySpan<byte> source)
    {
        int common = Math.Min(result.Length, source.Length);
        Span<ulong> into = MemoryMarshal.Cast<byte, ulong>(result[..common]);
        ReadOnlySpan<ulong> from = MemoryMarshal.Cast<byte, ulong>(source[..common]);
        int tail = into.Length * sizeof(ulong);
        switch (op)
        {
            case BitOperation.And:
                for (int j = 0; j < into.Length; j++)
                {
                    into[j] &= from[j];
                }

                for (int j = tail; j < common; j++)
                {
                    result[j] &= source[j];
                }

                result[common..].Clear();
                break;
            case BitOperation.Or:
                for (int j = 0; j < into.Length; j++)
                {
                    into[j] |= from[j];
                }

                for (int j = tail; j < common; j++)
                {
                    result[j] |= source[j];
                }

                break;
            case BitOperation.Xor:
                for (int j = 0; j < into.Length; j++)
                {
                    into[j] ^= from[j];
                }

                for (int j = tail; j < common; j++)
                {
                    result[j] ^= source[j];
                }

                break;
        }
    }
}
