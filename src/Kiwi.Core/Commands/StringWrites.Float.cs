using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

internal static partial class StringWrites
{
    /// <summary>INCRBYFLOAT with Redis's long-double arithmetic and formatting; the result is stored as text.</summary>
    public static void IncrByFloat(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> key = cmd.NextArg();
        ReadOnlySpan<byte> incrementText = cmd.NextArg();
        if (!LongDouble.TryParse(incrementText, out LongDouble increment))
        {
            reply.ReplyError(KiwiError.NotFloat);
            return;
        }

        KeyType type = ctx.Read(cmd.Db, key);
        LongDouble current = default;
        long expireAt = 0;
        if (type != KeyType.None)
        {
            if (type != KeyType.String)
            {
                reply.ReplyError(KiwiError.WrongType);
                return;
            }

            if (!LongDouble.TryParse(ctx.CurrentPayload, out current))
            {
                reply.ReplyError(KiwiError.NotFloat);
                return;
            }

            expireAt = ctx.CurrentExpireAt;
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
        ctx.PutString(cmd.Db, key, ctx.Build.WrittenSpan, expireAt);
        reply.ReplyBulk(ctx.Build.WrittenSpan);
    }
}
