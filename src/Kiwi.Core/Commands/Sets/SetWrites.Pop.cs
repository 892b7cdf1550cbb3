using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands;

/// <content>
/// SPOP: the random choice comes from the seed fixed at proposal (N2), so every replica and a replay pop the
/// same members.
/// </content>
internal static partial class SetWrites
{
    /// <summary>SPOP key (flag 0) or SPOP key count (flag 1, N1 = count, already checked non-negative).</summary>
    public static void Pop(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        bool withCount = cmd.Flags != 0;
        var random = new SplitMix64(cmd.N2);
        KeyType type = ctx.Read(cmd.Db, key);
        if (type == KeyType.None)
        {
            if (withCount)
            {
                reply.Writer.WriteSetHeader(0);
            }
            else
            {
                reply.ReplyNull();
            }

            return;
        }

        if (!Loaded(ctx, type, reply, out ulong version, out long size, out long expireAt))
        {
            return;
        }

        CollectionEncoding encoding = ctx.CurrentEncoding;

        long wanted = withCount ? Math.Min(cmd.N1, size) : 1;
        if (wanted == 0)
        {
            reply.Writer.WriteSetHeader(0);
            return;
        }

        if (!withCount && size > RandomProbe.MinMembers && PopProbed(ctx, ref cmd, key, version, size, expireAt, encoding, ref random, reply))
        {
            return;
        }

        // Selection sampling (Knuth's algorithm S): one ordered walk picks exactly `wanted` members, each subset
        // equally likely. The picks are written to the reply as they are found and deleted after the walk.
        RespWriter writer = reply.Writer;
        if (withCount)
        {
            writer.WriteSetHeader((int)wanted);
        }

        var picked = new List<byte[]>((int)Math.Min(wanted, 1024));
        long remaining = size;
        using (MemberCursor cursor = ctx.OpenMembers(KeySpace.Set, cmd.Db, key, version))
        {
            for (; cursor.Valid && picked.Count < wanted; cursor.Next(), remaining--)
            {
                if (wanted == size || random.Next(remaining) < wanted - picked.Count)
                {
                    writer.WriteBulk(cursor.Member);
                    picked.Add(cursor.Member.ToArray());
                }
            }
        }

        foreach (byte[] member in picked)
        {
            ctx.DeleteMember(KeySpace.Set, cmd.Db, key, version, member);
        }

        ctx.PutCollection(cmd.Db, key, KeyType.Set, expireAt, version, size - picked.Count, encoding);
        if (picked.Count > 0)
        {
            ctx.NoteWrite(KeyspaceEventClasses.Set, "spop"u8, cmd.Db, key, size - picked.Count);
        }
    }

    // SPOP key of a big set: one member found by a random probe (RandomProbe) instead of a walk to a random index.
    private static bool PopProbed(ApplyContext ctx, ref CommandView cmd, ReadOnlySpan<byte> key, ulong version, long size, long expireAt, CollectionEncoding encoding, ref SplitMix64 random, ApplyRequest reply)
    {
        ByteBuffer member = ctx.ProbeMember;
        using (MemberCursor cursor = ctx.OpenMembers(KeySpace.Set, cmd.Db, key, version))
        {
            if (!RandomProbe.TryPick(cursor, ref random, ctx.ProbePrefix, ctx.ProbeKey))
            {
                return false;
            }

            member.Set(cursor.Member);
        }

        reply.Writer.WriteBulk(member.WrittenSpan);
        ctx.DeleteMember(KeySpace.Set, cmd.Db, key, version, member.WrittenSpan);
        ctx.PutCollection(cmd.Db, key, KeyType.Set, expireAt, version, size - 1, encoding);
        ctx.NoteWrite(KeyspaceEventClasses.Set, "spop"u8, cmd.Db, key, size - 1);
        return true;
    }
}
