using Kiwi.Core.Apply;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <summary>The first step of every collection read over RESP: the key at <c>ctx[1]</c>, through the command's view.</summary>
internal static class CollectionLookup
{
    /// <summary>
    /// Loads the collection of <paramref name="type"/> at <c>ctx[1]</c>: false when a reply was written instead (a
    /// missing key replies <paramref name="missing"/>, another type WRONGTYPE).
    /// </summary>
    public static bool Find(ref CommandContext ctx, KeyType type, out ulong version, out long count, scoped ReadOnlySpan<byte> missing)
    {
        KeyType found = CollectionReads.Lookup(ctx.View, ctx.ReadDb, ctx[1], ctx.NowMs, out version, out count);
        if (found == type)
        {
            return true;
        }

        if (found == KeyType.None)
        {
            ctx.Writer.WriteRaw(missing);
        }
        else
        {
            ctx.Writer.WriteError(KiwiError.WrongType);
        }

        return false;
    }
}
