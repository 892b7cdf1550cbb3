using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <content>The SET family (SET, GETSET, SETNX, SETEX, PSETEX) and GETEX: their expiry checks and flags.</content>
internal static partial class StringEntries
{
    /// <summary>SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT|KEEPTTL], its options already parsed.</summary>
    public static EncodedEntry Set(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry, SetCondition condition, bool get)
        => SetCore(target, key, value, expiry, condition, get ? SetFlags.Get : SetFlags.None, "ERR invalid expire time in 'set' command"u8);

    /// <summary>GETSET key value: sets (clearing any expiry) and replies the previous value.</summary>
    public static EncodedEntry GetSet(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => SetCore(target, key, value, default, SetCondition.Always, SetFlags.Get, default);

    /// <summary>SETNX key value: replies 1 when set, 0 when the key existed.</summary>
    public static EncodedEntry SetNx(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        => SetCore(target, key, value, default, SetCondition.NotExists, SetFlags.ReplyInteger, default);

    /// <summary>SETEX key seconds value.</summary>
    public static EncodedEntry SetEx(EntryTarget target, ReadOnlySpan<byte> key, long seconds, ReadOnlySpan<byte> value)
        => SetCore(target, key, value, KiwiExpiry.Seconds(seconds), SetCondition.Always, SetFlags.None, "ERR invalid expire time in 'setex' command"u8);

    /// <summary>PSETEX key milliseconds value.</summary>
    public static EncodedEntry PSetEx(EntryTarget target, ReadOnlySpan<byte> key, long milliseconds, ReadOnlySpan<byte> value)
        => SetCore(target, key, value, KiwiExpiry.Milliseconds(milliseconds), SetCondition.Always, SetFlags.None, "ERR invalid expire time in 'psetex' command"u8);

    /// <summary>
    /// GETEX key EX|PX|EXAT|PXAT|PERSIST. Without an option GETEX is a plain read, which the caller answers
    /// itself. Redis checks GETEX's time only after finding the key, so an invalid time (or, from RESP, one that
    /// is not an integer: <paramref name="timeIsInteger"/> false) is encoded for the writer to report.
    /// </summary>
    public static EncodedEntry GetEx(EntryTarget target, ReadOnlySpan<byte> key, KiwiExpiry expiry, bool timeIsInteger = true)
    {
        if (expiry.Kind is KiwiExpiryKind.KeepTtl or KiwiExpiryKind.None)
        {
            return EncodedEntry.Refused("ERR syntax error"u8);
        }

        long now = target.NowMs();
        GetExFlags flags = GetExFlags.Persist;
        long at = 0;
        if (expiry.SetsTime)
        {
            flags = !timeIsInteger ? GetExFlags.NotInteger
                : expiry.TryResolve(now, out at) ? GetExFlags.Expire
                : GetExFlags.InvalidExpire;
            if (flags == GetExFlags.Expire && target.RelativeTimes && expiry.IsRelative)
            {
                expiry.TryResolve(0, out at);
                flags |= GetExFlags.RelativeExpire;
            }
        }

        ApplyRequest request = target.Begin(now);
        CommandFormat.AddCommand(request.Payload, OpCode.GetEx, (byte)flags, target.Database, 1, at);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    private static EncodedEntry SetCore(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KiwiExpiry expiry, SetCondition condition, SetFlags flags, ReadOnlySpan<byte> invalidTime)
    {
        if (value.Length > Limits.MaxStringLength)
        {
            return EncodedEntry.Refused(KiwiErrorText.Utf8(KiwiError.StringTooLong));
        }

        long now = target.NowMs();
        long at = 0;
        if (expiry.SetsTime)
        {
            if (!expiry.TryResolve(now, out at))
            {
                return EncodedEntry.Refused(invalidTime);
            }

            flags |= SetFlags.Expire;
            if (target.RelativeTimes && expiry.IsRelative)
            {
                expiry.TryResolve(0, out at);
                flags |= SetFlags.RelativeExpire;
            }
        }
        else if (expiry.Kind == KiwiExpiryKind.KeepTtl)
        {
            flags |= SetFlags.KeepTtl;
        }
        else if (expiry.Kind == KiwiExpiryKind.Persist)
        {
            return EncodedEntry.Refused("ERR syntax error"u8);
        }

        flags |= condition switch
        {
            SetCondition.NotExists => SetFlags.Nx,
            SetCondition.Exists => SetFlags.Xx,
            _ => SetFlags.None,
        };

        ApplyRequest request = target.Begin(now);
        CommandFormat.AddCommand(request.Payload, OpCode.Set, (byte)flags, target.Database, 2, at);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, value);
        return EncodedEntry.Ready(request);
    }
}
