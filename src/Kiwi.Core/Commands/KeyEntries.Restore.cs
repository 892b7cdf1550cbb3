using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>Flags of <see cref="OpCode.Restore"/> (persisted: append only).</summary>
[Flags]
internal enum RestoreFlags : byte
{
    /// <summary>Refuse an existing key.</summary>
    None = 0,

    /// <summary>REPLACE: overwrite an existing key.</summary>
    Replace = 1,

    /// <summary>The TTL was not an integer: reply that once the key is known not to be busy (Redis's order).</summary>
    TtlNotInteger = 2,

    /// <summary>The TTL was negative: reply that once the key is known not to be busy.</summary>
    TtlNegative = 4,

    /// <summary>The payload's version or checksum is wrong: reply that once the key is known not to be busy.</summary>
    BadChecksum = 8,

    /// <summary>The payload's checksum holds but its contents do not parse.</summary>
    BadFormat = 16,

    /// <summary>N1 is a TTL relative to the applying entry's clock (queued in a transaction).</summary>
    RelativeTtl = 32,
}

/// <content>RESTORE.</content>
internal static partial class KeyEntries
{
    /// <summary>
    /// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], its options already parsed (IDLETIME and FREQ
    /// are checked and dropped: access times and frequencies are not tracked). As Redis, a busy key is reported before
    /// a bad TTL or payload, so those errors travel in the entry and the writer picks the first that applies.
    /// </summary>
    public static EncodedEntry Restore(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> ttl, ReadOnlySpan<byte> payload, bool replace, bool absoluteTtl)
    {
        long now = target.NowMs();
        RestoreFlags flags = replace ? RestoreFlags.Replace : RestoreFlags.None;
        long expireAt = 0;
        if (!RedisNumbers.TryParseInt64(ttl, out long given))
        {
            flags |= RestoreFlags.TtlNotInteger;
        }
        else if (given < 0)
        {
            flags |= RestoreFlags.TtlNegative;
        }
        else if (given > 0)
        {
            // Fixed at proposal, so every replica expires the key at the same time.
            expireAt = absoluteTtl ? given : target.RelativeTimes ? given : EntryTarget.ResolveRelative(now, given);
            if (!absoluteTtl && target.RelativeTimes)
            {
                flags |= RestoreFlags.RelativeTtl;
            }
        }

        const RestoreFlags Options = RestoreFlags.Replace | RestoreFlags.RelativeTtl;
        bool payloadOk = flags == (flags & Options) && DumpPayload.HasValidChecksum(payload);
        if ((flags & ~Options) == 0 && !payloadOk)
        {
            flags |= RestoreFlags.BadChecksum;
        }
        else if (payloadOk && !DumpPayload.IsWellFormed(payload))
        {
            flags |= RestoreFlags.BadFormat;
        }

        ApplyRequest request = target.Begin(now);
        CommandFormat.AddCommand(request.Payload, OpCode.Restore, (byte)flags, target.Database, 2, expireAt);
        CommandFormat.AddArg(request.Payload, key);
        CommandFormat.AddArg(request.Payload, (flags & ~Options) == 0 ? payload : default);
        return EncodedEntry.Ready(request);
    }
}
