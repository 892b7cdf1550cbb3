using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>The hash commands the writer applies. Each checks the key's type before it writes anything.</summary>
internal static class HashWrites
{
    public static void Set(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        var flags = (HashSetFlags)cmd.Flags;
        if (!ctx.OpenCollection(cmd.Db, key, KeyType.Hash, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long added = 0;
        CollectionEncoding before = encoding;
        int pairs = (cmd.ArgCount - 1) / 2;
        for (int i = 0; i < pairs; i++)
        {
            ReadOnlySpan<byte> field = cmd.NextArg();
            ReadOnlySpan<byte> value = cmd.NextArg();
            bool exists = count + added > 0 && ctx.ContainsMember(KeySpace.Hash, cmd.Db, key, version, field);
            if (exists && (flags & HashSetFlags.OnlyNew) != 0)
            {
                continue;
            }

            ctx.PutMember(KeySpace.Hash, cmd.Db, key, version, field, value);
            if (!exists)
            {
                added++;
            }

            encoding = CollectionEncodings.Hash(encoding, count + added, field.Length, value.Length);
        }

        if (added > 0 || encoding != before)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.Hash, expireAt, version, count + added, encoding);
        }

        if ((flags & HashSetFlags.OnlyNew) == 0 || added > 0)
        {
            ctx.Events.Note(KeyspaceEventClasses.Hash, "hset"u8, cmd.Db, key);
        }

        if ((flags & HashSetFlags.ReplyOk) != 0)
        {
            reply.ReplyOk();
        }
        else
        {
            reply.ReplyInteger(added);
        }
    }

    public static void IncrBy(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> field = cmd.NextArg();
        long delta = cmd.N1;
        if (!ctx.OpenCollection(cmd.Db, key, KeyType.Hash, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long current = 0;
        bool exists = count > 0 && ctx.TryGetMember(KeySpace.Hash, cmd.Db, key, version, field, ctx.Build);
        if (exists && !RedisNumbers.TryParseInt64(ctx.Build.WrittenSpan, out current))
        {
            reply.ReplyError(KiwiError.HashNotInteger);
            return;
        }

        if ((delta < 0 && current < 0 && delta < long.MinValue - current) || (delta > 0 && current > 0 && delta > long.MaxValue - current))
        {
            reply.ReplyError(KiwiError.Overflow);
            return;
        }

        long result = current + delta;
        Span<byte> text = stackalloc byte[RedisNumbers.MaxInt64Length];
        int written = RedisNumbers.Format(result, text);
        ctx.PutMember(KeySpace.Hash, cmd.Db, key, version, field, text[..written]);
        CollectionEncoding after = CollectionEncodings.Hash(encoding, exists ? count : count + 1, field.Length, written);
        if (!exists || after != encoding)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.Hash, expireAt, version, exists ? count : count + 1, after);
        }

        ctx.Events.Note(KeyspaceEventClasses.Hash, "hincrby"u8, cmd.Db, key);
        reply.ReplyInteger(result);
    }

    public static void IncrByFloat(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> field = cmd.NextArg();
        ReadOnlySpan<byte> incrementText = cmd.NextArg();
        if (!LongDouble.TryParse(incrementText, out LongDouble increment))
        {
            reply.ReplyError(KiwiError.NotFloat);
            return;
        }

        if (!ctx.OpenCollection(cmd.Db, key, KeyType.Hash, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        LongDouble current = default;
        bool exists = count > 0 && ctx.TryGetMember(KeySpace.Hash, cmd.Db, key, version, field, ctx.Build);
        if (exists && !LongDouble.TryParse(ctx.Build.WrittenSpan, out current))
        {
            reply.ReplyError(KiwiError.HashNotFloat);
            return;
        }

        LongDouble result = current + increment;
        if (!result.IsFinite)
        {
            reply.ReplyError(KiwiError.NanOrInfinity);
            return;
        }

        ctx.Build.Clear();
        int written = result.FormatHuman(ctx.Build.GetSpan(LongDouble.MaxFormattedLength));
        ctx.Build.Advance(written);
        ctx.PutMember(KeySpace.Hash, cmd.Db, key, version, field, ctx.Build.WrittenSpan);
        CollectionEncoding after = CollectionEncodings.Hash(encoding, exists ? count : count + 1, field.Length, written);
        if (!exists || after != encoding)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.Hash, expireAt, version, exists ? count : count + 1, after);
        }

        ctx.Events.Note(KeyspaceEventClasses.Hash, "hincrbyfloat"u8, cmd.Db, key);
        reply.ReplyBulk(ctx.Build.WrittenSpan);
    }
}
