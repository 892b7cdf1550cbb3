using System.Globalization;
using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <summary>
/// HSCAN, SSCAN and ZSCAN (key cursor [MATCH pattern] [COUNT count]) over a collection's members in byte order. The
/// cursor names the member to resume at, kept server-side (<see cref="ServerState.SaveCursor"/>), so a page costs
/// one seek whatever its position.
/// </summary>
internal static class CollectionScan
{
    [ThreadStatic]
    private static ByteBuffer? t_body;

    private static ReadOnlySpan<byte> EmptyScan => "*2\r\n$1\r\n0\r\n*0\r\n"u8;

    /// <summary>Runs the scan of a collection of <paramref name="type"/>; <paramref name="withValues"/> adds each member's value.</summary>
    public static void Run(ref CommandContext ctx, KeyType type, bool withValues)
    {
        if (!ulong.TryParse(Encoding.ASCII.GetString(ctx[2]), NumberStyles.None, CultureInfo.InvariantCulture, out ulong cursorId))
        {
            ctx.Error("ERR invalid cursor"u8);
            return;
        }

        // Redis looks the key up before it reads the options: a missing key answers an empty scan whatever follows.
        if (!CollectionLookup.Find(ref ctx, type, out ulong version, out _, EmptyScan))
        {
            return;
        }

        if (!TryOptions(ref ctx, out byte[]? pattern, out long count))
        {
            return;
        }

        byte[] resume = [];
        if (cursorId != 0 && !ctx.Server.TryResume(cursorId, out resume))
        {
            // An unknown or evicted cursor ends the scan, as Redis does for a cursor past the end.
            ctx.Writer.WriteRaw(EmptyScan);
            return;
        }

        bool zset = type == KeyType.ZSet;
        ByteBuffer body = t_body ??= new ByteBuffer();
        body.Clear();
        var elements = new RespWriter(body, ctx.Writer.Version);
        int emitted = 0;
        long visited = 0;
        byte[]? next = null;
        using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, ApplyContext.SpaceOf(type), ctx.ReadDb, ctx[1], version, resume))
        {
            for (; cursor.Valid; cursor.Next())
            {
                ReadOnlySpan<byte> member = cursor.Member;
                if (zset && member[0] != ZSetKeys.MemberTag)
                {
                    break; // a sorted set's member order ends where its score order starts
                }

                if (visited == count)
                {
                    next = member.ToArray();
                    break;
                }

                visited++;
                ReadOnlySpan<byte> name = zset ? member[1..] : member;
                if (pattern is null || GlobPattern.IsMatch(pattern, name))
                {
                    elements.WriteBulk(name);
                    emitted++;
                    if (zset)
                    {
                        WriteScore(elements, cursor.Value);
                        emitted++;
                    }
                    else if (withValues)
                    {
                        elements.WriteBulk(cursor.Value);
                        emitted++;
                    }
                }
            }
        }

        ctx.Writer.WriteArrayHeader(2);
        ctx.Writer.WriteBulk(next is null ? "0"u8 : Encoding.ASCII.GetBytes(ctx.Server.SaveCursor(next).ToString(CultureInfo.InvariantCulture)));
        ctx.Writer.WriteArrayHeader(emitted);
        ctx.Writer.WriteRaw(body.WrittenSpan);
        body.Clear();
    }

    // ZSCAN's scores are bulk strings in either protocol, %.17g as Redis 7.0 writes them.
    private static void WriteScore(RespWriter writer, ReadOnlySpan<byte> value)
    {
        Span<byte> text = stackalloc byte[ZScore.MaxLength];
        writer.WriteBulk(text[..ZScore.Format(ZSetKeys.ReadScoreValue(value), text)]);
    }

    private static bool TryOptions(ref CommandContext ctx, out byte[]? pattern, out long count)
    {
        pattern = null;
        count = 10;
        for (int i = 3; i < ctx.Count; i += 2)
        {
            if (i + 1 >= ctx.Count)
            {
                ctx.SyntaxError();
                return false;
            }

            if (ArgParser.Is(ctx[i], "MATCH"u8))
            {
                pattern = GlobPattern.MatchesAll(ctx[i + 1]) ? null : ctx[i + 1].ToArray();
            }
            else if (ArgParser.Is(ctx[i], "COUNT"u8))
            {
                if (!ArgParser.TryInt64(ctx[i + 1], out count))
                {
                    ctx.NotInteger();
                    return false;
                }

                if (count < 1)
                {
                    ctx.SyntaxError();
                    return false;
                }
            }
            else
            {
                ctx.SyntaxError();
                return false;
            }
        }

        return true;
    }
}
