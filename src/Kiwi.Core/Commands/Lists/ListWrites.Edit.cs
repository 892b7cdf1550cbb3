using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Lists;

/// <content>
/// Edits in the middle of a list: LREM and LINSERT keep the seqs dense by rewriting the elements on one side of
/// the change (the shorter side for LINSERT), so LINDEX stays one seek at <c>head + index</c>.
/// </content>
internal static partial class ListWrites
{
    /// <summary>LREM key count element (N1 = count): removes matches from the head (count &gt; 0), the tail (&lt; 0) or all (0).</summary>
    public static void Remove(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> element = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        List<byte[]> elements = Load(ctx, cmd.Db, key, list);
        long limit = cmd.N1 == 0 ? long.MaxValue : cmd.N1 == long.MinValue ? long.MaxValue : Math.Abs(cmd.N1);
        var removed = new bool[elements.Count];
        long removedCount = 0;
        int first = elements.Count;
        for (int n = 0; n < elements.Count && removedCount < limit; n++)
        {
            int i = cmd.N1 < 0 ? elements.Count - 1 - n : n;
            if (element.SequenceEqual(elements[i]))
            {
                removed[i] = true;
                removedCount++;
                first = Math.Min(first, i);
            }
        }

        if (removedCount > 0)
        {
            // Everything after the first removed element moves toward the head; the freed seqs at the tail go.
            long write = first;
            for (int i = first; i < elements.Count; i++)
            {
                if (!removed[i])
                {
                    ctx.PutElement(cmd.Db, key, list.Version, list.SeqAt(write++), elements[i]);
                }
            }

            for (long i = write; i < elements.Count; i++)
            {
                ctx.DeleteElement(cmd.Db, key, list.Version, list.SeqAt(i));
            }

            list.Tail = list.SeqAt(write);
            ctx.PutList(cmd.Db, key, list);
            ctx.NoteWrite(KeyspaceEventClasses.List, "lrem"u8, cmd.Db, key, list.Count);
        }

        reply.ReplyInteger(removedCount);
    }

    /// <summary>LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key.</summary>
    public static void Insert(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> pivot = cmd.NextArg();
        ReadOnlySpan<byte> element = cmd.NextArg();
        KeyType found = ctx.ReadList(cmd.Db, key, out ListState list);
        if (found == KeyType.None)
        {
            reply.ReplyInteger(0);
            return;
        }

        if (found != KeyType.List)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        long at = -1;
        using (MemberCursor cursor = ctx.OpenElements(cmd.Db, key, list.Version, list.Head))
        {
            for (long i = 0; cursor.Valid && i < list.Count; cursor.Next(), i++)
            {
                if (cursor.Value.SequenceEqual(pivot))
                {
                    at = i;
                    break;
                }
            }
        }

        if (at < 0)
        {
            reply.ReplyInteger(-1);
            return;
        }

        long position = (cmd.Flags & (byte)ListFlags.After) != 0 ? at + 1 : at;
        if (position <= list.Count / 2)
        {
            // The elements before the position move one seq toward the head.
            for (long i = 0; i < position; i++)
            {
                CopyElement(ctx, cmd.Db, key, list.Version, list.SeqAt(i), list.SeqAt(i) - 1);
            }

            list.Head--;
        }
        else
        {
            // The elements from the position on move one seq toward the tail, the last first.
            for (long i = list.Count - 1; i >= position; i--)
            {
                CopyElement(ctx, cmd.Db, key, list.Version, list.SeqAt(i), list.SeqAt(i) + 1);
            }

            list.Tail++;
        }

        ctx.PutElement(cmd.Db, key, list.Version, list.SeqAt(position), element);
        ctx.PutList(cmd.Db, key, list);
        ctx.Events.Note(KeyspaceEventClasses.List, "linsert"u8, cmd.Db, key);
        reply.ReplyInteger(list.Count);
    }

    private static void CopyElement(ApplyContext ctx, int db, ReadOnlySpan<byte> key, ulong version, ulong from, ulong to)
    {
        if (ctx.TryGetElement(db, key, version, from))
        {
            // The element scratch is not part of the batch, so the put below may grow the batch safely.
            ctx.PutElement(db, key, version, to, ctx.Element.WrittenSpan);
        }
    }

    // The elements in order, copied out (LREM rewrites the list while it decides; LREM is O(N) in Redis too).
    private static List<byte[]> Load(ApplyContext ctx, int db, ReadOnlySpan<byte> key, in ListState list)
    {
        var elements = new List<byte[]>((int)Math.Min(list.Count, 1 << 16));
        using MemberCursor cursor = ctx.OpenElements(db, key, list.Version, list.Head);
        for (long i = 0; cursor.Valid && i < list.Count; cursor.Next(), i++)
        {
            elements.Add(cursor.Value.ToArray());
        }

        return elements;
    }
}
