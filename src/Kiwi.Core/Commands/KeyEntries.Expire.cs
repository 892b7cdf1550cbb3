using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <content>The EXPIRE family: Redis's option checks and time arithmetic, then an absolute unix-ms entry.</content>
internal static partial class KeyEntries
{
    /// <summary>
    /// EXPIRE, PEXPIRE, EXPIREAT or PEXPIREAT key time [NX|XX|GT|LT]. Negative times are allowed (the key is
    /// deleted), but the unit conversion and the addition of the base time must not overflow.
    /// </summary>
    public static EncodedEntry Expire(EntryTarget target, ReadOnlySpan<byte> key, long when, ExpireCondition condition, ExpireCommand command)
    {
        ReadOnlySpan<byte> conflict = CheckCondition(condition);
        if (!conflict.IsEmpty)
        {
            return EncodedEntry.Refused(conflict);
        }

        long now = target.NowMs();
        if (command is ExpireCommand.Expire or ExpireCommand.ExpireAt)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                return EncodedEntry.Refused(InvalidTime(command));
            }

            when *= 1000;
        }

        long basetime = command is ExpireCommand.Expire or ExpireCommand.PExpire ? now : 0;
        if (when > long.MaxValue - basetime)
        {
            return EncodedEntry.Refused(InvalidTime(command));
        }

        byte flags = (byte)condition;
        if (command is ExpireCommand.Expire or ExpireCommand.PExpire && target.RelativeTimes)
        {
            flags |= (byte)ExpireFlags.Relative;
        }
        else
        {
            when += basetime;
        }

        ApplyRequest request = target.Begin(now);
        CommandFormat.AddCommand(request.Payload, OpCode.Expire, flags, target.Database, 1, when);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    /// <summary>
    /// The error line of options that cannot go together, or empty. <see cref="Expire"/> checks it too; RESP
    /// calls it first because Redis rejects such options before it parses the time.
    /// </summary>
    public static ReadOnlySpan<byte> CheckCondition(ExpireCondition condition)
    {
        if ((condition & ExpireCondition.Nx) != 0 && (condition & (ExpireCondition.Xx | ExpireCondition.Gt | ExpireCondition.Lt)) != 0)
        {
            return "ERR NX and XX, GT or LT options at the same time are not compatible"u8;
        }

        if ((condition & ExpireCondition.Gt) != 0 && (condition & ExpireCondition.Lt) != 0)
        {
            return "ERR GT and LT options at the same time are not compatible"u8;
        }

        return default;
    }

    private static ReadOnlySpan<byte> InvalidTime(ExpireCommand command) => command switch
    {
        ExpireCommand.Expire => "ERR invalid expire time in 'expire' command"u8,
        ExpireCommand.PExpire => "ERR invalid expire time in 'pexpire' command"u8,
        ExpireCommand.ExpireAt => "ERR invalid expire time in 'expireat' command"u8,
        _ => "ERR invalid expire time in 'pexpireat' command"u8,
    };
}

/// <summary>Which of the EXPIRE family: the unit (seconds or milliseconds) and the base (now or the epoch).</summary>
internal enum ExpireCommand : byte
{
    /// <summary>EXPIRE: seconds from now.</summary>
    Expire,

    /// <summary>PEXPIRE: milliseconds from now.</summary>
    PExpire,

    /// <summary>EXPIREAT: unix seconds.</summary>
    ExpireAt,

    /// <summary>PEXPIREAT: unix milliseconds.</summary>
    PExpireAt,
}
