using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

internal static partial class StringWrites
{
    /// <summary>INCRBYFLOAT with Redis's long-double arithmetic and formatting; the result is stored as text.</summary>
    public static void IncrByFloat(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> incrementText = cmd.NextArg();

        // Redis's order: the key's type, then the stored value, then the increment.
        if (!ReadStringOrMissing(ctx, cmd.Db, key, reply, out bool exists))
        {
            return;
        }

        LongDouble current = default;
        if (exists && !LongDouble.TryParse(ctx.CurrentPayload, out current))
        {
            reply.ReplyError(KiwiError.NotFloat);
            return;
        }

        if (!LongDouble.TryParse(incrementText, out LongDouble increment))
        {
            reply.ReplyError(KiwiError.NotFloat);
            return;
        }

        LongDouble result = current + increment;
        if (!result.IsFinite)
        {
            reply.ReplyError(KiwiError.NanOrInfinity);
            return;
        }

        long expireAt = exists ? ctx.CurrentExpireAt : 0;

        ctx.Build.Clear();
        int written = result.FormatHuman(ctx.Build.GetSpan(LongDouble.MaxFormattedLength));
        ctx.Build.Advance(written);
        ctx.PutString(cmd.Db, key, ctx.Build.WrittenSpan, expireAt);
        ctx.Events.Note(KeyspaceEventClasses.String, "incrbyfloat"u8, cmd.Db, key);
        reply.ReplyBulk(ctx.Build.WrittenSpan);
    }
}
