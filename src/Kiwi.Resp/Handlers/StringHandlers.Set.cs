using Kiwi.Core;
using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <content>SET and GETEX option parsing, exactly as Redis's parseExtendedStringArgumentsOrReply.</content>
internal static partial class StringHandlers
{
    [Flags]
    private enum Options
    {
        None = 0,
        Nx = 1,
        Xx = 2,
        Get = 4,
        KeepTtl = 8,
        Persist = 16,
        Ex = 32,
        Px = 64,
        ExAt = 128,
        PxAt = 256,
    }

    private const Options AnyTime = Options.Ex | Options.Px | Options.ExAt | Options.PxAt;

    private static void Set(ref CommandContext ctx)
    {
        if (!TryParseOptions(ref ctx, 3, forSet: true, out Options options, out long time, out bool timeIsInteger))
        {
            return;
        }

        if (!timeIsInteger)
        {
            ctx.NotInteger();
            return;
        }

        KiwiExpiry expiry = ToExpiry(options, time);
        SetCondition condition = (options & Options.Nx) != 0 ? SetCondition.NotExists
            : (options & Options.Xx) != 0 ? SetCondition.Exists
            : SetCondition.Always;
        ctx.Submit(StringEntries.Set(ctx.Target, ctx[1], ctx[2], expiry, condition, get: (options & Options.Get) != 0));
    }

    private static void GetEx(ref CommandContext ctx)
    {
        if (!TryParseOptions(ref ctx, 2, forSet: false, out Options options, out long time, out bool timeIsInteger))
        {
            return;
        }

        KiwiExpiry expiry = (options & Options.Persist) != 0 ? KiwiExpiry.Persist : ToExpiry(options, time);
        if (expiry.Kind == KiwiExpiryKind.None)
        {
            // No option: a plain read, answered at once.
            Get(ref ctx);
            return;
        }

        ctx.Submit(StringEntries.GetEx(ctx.Target, ctx[1], expiry, timeIsInteger));
    }

    private static KiwiExpiry ToExpiry(Options options, long time) => options switch
    {
        _ when (options & Options.Ex) != 0 => KiwiExpiry.Seconds(time),
        _ when (options & Options.Px) != 0 => KiwiExpiry.Milliseconds(time),
        _ when (options & Options.ExAt) != 0 => KiwiExpiry.AtUnixSeconds(time),
        _ when (options & Options.PxAt) != 0 => KiwiExpiry.AtUnixMilliseconds(time),
        _ when (options & Options.KeepTtl) != 0 => KiwiExpiry.KeepTtl,
        _ => KiwiExpiry.None,
    };

    private static bool TryParseOptions(ref CommandContext ctx, int first, bool forSet, out Options options, out long time, out bool timeIsInteger)
    {
        options = Options.None;
        time = 0;
        timeIsInteger = true;
        int timeArg = -1;
        for (int j = first; j < ctx.Count; j++)
        {
            ReadOnlySpan<byte> opt = ctx[j];
            bool hasNext = j + 1 < ctx.Count;
            if (forSet && ArgParser.Is(opt, "NX"u8) && (options & Options.Xx) == 0)
            {
                options |= Options.Nx;
            }
            else if (forSet && ArgParser.Is(opt, "XX"u8) && (options & Options.Nx) == 0)
            {
                options |= Options.Xx;
            }
            else if (forSet && ArgParser.Is(opt, "GET"u8))
            {
                options |= Options.Get;
            }
            else if (forSet && ArgParser.Is(opt, "KEEPTTL"u8) && (options & (Options.Persist | AnyTime)) == 0)
            {
                options |= Options.KeepTtl;
            }
            else if (!forSet && ArgParser.Is(opt, "PERSIST"u8) && (options & (AnyTime | Options.KeepTtl)) == 0)
            {
                options |= Options.Persist;
            }
            else if (hasNext && TimeOption(opt) is Options unit and not Options.None
                && (options & (Options.KeepTtl | Options.Persist | (AnyTime & ~unit))) == 0)
            {
                options |= unit;
                timeArg = ++j;
            }
            else
            {
                ctx.SyntaxError();
                return false;
            }
        }

        if (timeArg > 0)
        {
            timeIsInteger = ArgParser.TryInt64(ctx[timeArg], out time);
        }

        return true;
    }

    private static Options TimeOption(ReadOnlySpan<byte> opt)
        => ArgParser.Is(opt, "EX"u8) ? Options.Ex
            : ArgParser.Is(opt, "PX"u8) ? Options.Px
            : ArgParser.Is(opt, "EXAT"u8) ? Options.ExAt
            : ArgParser.Is(opt, "PXAT"u8) ? Options.PxAt
            : Options.None;
}
