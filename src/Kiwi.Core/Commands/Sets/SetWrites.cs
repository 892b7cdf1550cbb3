using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <summary>
/// The set commands the writer applies. Members live in <see cref="KeySpace.Set"/> with an empty value. Each
/// command checks the types of its keys before it writes anything.
/// </summary>
internal static partial class SetWrites
{
    public static void Add(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        if (!ctx.OpenCollection(cmd.Db, key, KeyType.Set, out ulong version, out long count, out long expireAt, out CollectionEncoding encoding))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long added = 0;
        for (int i = 1; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> member = cmd.NextArg();
            if (count + added > 0 && ctx.ContainsMember(KeySpace.Set, cmd.Db, key, version, member))
            {
                continue;
            }

            ctx.PutMember(KeySpace.Set, cmd.Db, key, version, member, default);
            added++;
            encoding = CollectionEncodings.Set(encoding, count + added, member);
        }

        if (added > 0)
        {
            ctx.PutCollection(cmd.Db, key, KeyType.Set, expireAt, version, count + added, encoding);
            ctx.Events.Note(KeyspaceEventClasses.Set, "sadd"u8, cmd.Db, key);
        }

        reply.ReplyInteger(added);
    }

    /// <summary>SMOVE source destination member: Redis's order of checks (a missing source replies 0 first).</summary>
    public static void Move(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> source = cmd.NextArg();
        ReadOnlySpan<byte> destination = cmd.NextArg();
        ReadOnlySpan<byte> member = cmd.NextArg();
        KeyType sourceType = ctx.Read(cmd.Db, source);
        if (sourceType == KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        bool sourceIsSet = sourceType == KeyType.Set;
        ulong sourceVersion = sourceIsSet ? ctx.CurrentVersion : 0;
        long sourceCount = sourceIsSet ? ctx.CurrentCount : 0;
        long sourceExpireAt = ctx.CurrentExpireAt;
        CollectionEncoding sourceEncoding = ctx.CurrentEncoding;
        KeyType destinationType = ctx.Read(cmd.Db, destination);
        if (!sourceIsSet || (destinationType != KeyType.None && destinationType != KeyType.Set))
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        bool present = ctx.ContainsMember(KeySpace.Set, cmd.Db, source, sourceVersion, member);
        if (!present || source.SequenceEqual(destination))
        {
            reply.ReplyInteger(present ? 1 : 0);
            return;
        }

        ulong destinationVersion = destinationType == KeyType.None ? ctx.NewVersion() : ctx.CurrentVersion;
        long destinationCount = destinationType == KeyType.None ? 0 : ctx.CurrentCount;
        long destinationExpireAt = destinationType == KeyType.None ? 0 : ctx.CurrentExpireAt;
        CollectionEncoding destinationEncoding = destinationType == KeyType.None ? CollectionEncoding.Compact : ctx.CurrentEncoding;
        ctx.DeleteMember(KeySpace.Set, cmd.Db, source, sourceVersion, member);
        ctx.PutCollection(cmd.Db, source, KeyType.Set, sourceExpireAt, sourceVersion, sourceCount - 1, sourceEncoding);
        ctx.NoteWrite(KeyspaceEventClasses.Set, "srem"u8, cmd.Db, source, sourceCount - 1);
        if (destinationCount == 0 || !ctx.ContainsMember(KeySpace.Set, cmd.Db, destination, destinationVersion, member))
        {
            ctx.PutMember(KeySpace.Set, cmd.Db, destination, destinationVersion, member, default);
            ctx.PutCollection(cmd.Db, destination, KeyType.Set, destinationExpireAt, destinationVersion, destinationCount + 1, CollectionEncodings.Set(destinationEncoding, destinationCount + 1, member));
            ctx.Events.Note(KeyspaceEventClasses.Set, "sadd"u8, cmd.Db, destination);
        }

        reply.ReplyInteger(1);
    }

    private static bool Loaded(ApplyContext ctx, KeyType type, ApplyRequest reply, out ulong version, out long count, out long expireAt)
    {
        if (type != KeyType.Set)
        {
            reply.ReplyError(KiwiError.WrongType);
            version = 0;
            count = 0;
            expireAt = 0;
            return false;
        }

        version = ctx.CurrentVersion;
        count = ctx.CurrentCount;
        expireAt = ctx.CurrentExpireAt;
        return true;
    }
}
