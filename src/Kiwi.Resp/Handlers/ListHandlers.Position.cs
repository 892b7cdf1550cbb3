using Kiwi.Core.Apply;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>LPOS's walk: forward by one cursor, backward by point reads from the tail.</content>
internal static partial class ListHandlers
{
    [ThreadStatic]
    private static ByteBuffer? t_positions;

    // Redis's loop (lposCommand): `matches >= rank` decides when matches start counting, COUNT 0 means all.
    private static void FindPositions(ref CommandContext ctx, in ListState list, long rank, long count, long maxLength, bool fromTail)
    {
        ReadOnlySpan<byte> element = ctx[2];
        ByteBuffer body = t_positions ??= new ByteBuffer();
        body.Clear();
        var positions = new RespWriter(body, ctx.Writer.Version);
        long matches = 0;
        long found = 0;
        long match = -1;
        long limit = maxLength == 0 ? list.Count : Math.Min(maxLength, list.Count);
        MemberCursor? cursor = fromTail ? null : ListReads.OpenElements(ctx.View, ctx.ReadDb, ctx[1], list.Version, list.Head);
        try
        {
            for (long index = 0; index < limit; index++)
            {
                ReadOnlySpan<byte> value;
                if (cursor is not null)
                {
                    if (!cursor.Valid)
                    {
                        break;
                    }

                    value = cursor.Value;
                }
                else if (!ListReads.TryGetElement(ctx.View, ctx.ReadDb, ctx[1], list.Version, list.SeqAt(list.Count - 1 - index), out value))
                {
                    break;
                }

                if (value.SequenceEqual(element))
                {
                    matches++;
                    if (matches >= rank)
                    {
                        match = fromTail ? list.Count - 1 - index : index;
                        if (count == -1)
                        {
                            break;
                        }

                        positions.WriteInteger(match);
                        found++;
                        if (count != 0 && matches - rank + 1 >= count)
                        {
                            break;
                        }
                    }
                }

                cursor?.Next();
            }
        }
        finally
        {
            cursor?.Dispose();
            CollectionReads.Release();
        }

        if (count != -1)
        {
            ctx.Writer.WriteArrayHeader((int)found);
            ctx.Writer.WriteRaw(body.WrittenSpan);
        }
        else if (match != -1)
        {
            ctx.Writer.WriteInteger(match);
        }
        else
        {
            ctx.Writer.WriteNull();
        }

        body.Clear();
    }
}
