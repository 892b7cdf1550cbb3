using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Transactions;

/// <summary>
/// The writer's side of MULTI/EXEC and WATCH (<see cref="OpCode.Exec"/>, <see cref="OpCode.TxRead"/>,
/// <see cref="OpCode.Watch"/>): a transaction is one entry, so it is applied in one batch, the same on every replica.
/// </summary>
internal static class TransactionWrites
{
    /// <summary>Flag of <see cref="OpCode.Watch"/>: drop the token instead.</summary>
    public const byte Unwatch = 1;

    /// <summary>Flag of <see cref="OpCode.TxRead"/>: the one argument is a reply fixed at queue time.</summary>
    public const byte FixedReply = 1;

    /// <summary>WATCH keys under a token, or (flag <see cref="Unwatch"/>) drop the token. Replies OK.</summary>
    public static void Watch(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        WatchRegistry watches = ctx.Watches;
        if (cmd.Flags == Unwatch)
        {
            watches.Drop(cmd.N1);
            reply.ReplyOk();
            return;
        }

        watches.Sweep(ctx.Now);
        for (int i = 0; i < cmd.ArgCount; i++)
        {
            ReadOnlySpan<byte> key = cmd.NextArg();
            bool expired = ctx.ReadRaw(cmd.Db, key) != KeyType.None && MetaValue.IsExpired(ctx.CurrentExpireAt, ctx.Now);
            watches.Add(cmd.N1, cmd.Db, key, expired, ctx.Now);
        }

        reply.ReplyOk();
    }

    /// <summary>
    /// Whether the transaction of <paramref name="token"/> may run: the token is known, none of its keys changed
    /// and none that was alive when watched has expired since (Redis's <c>isWatchedKeyExpired</c>). Drops the token.
    /// </summary>
    public static bool Admit(ApplyContext ctx, long token)
    {
        if (token == 0)
        {
            return true;
        }

        WatchRegistry watches = ctx.Watches;
        bool admit = watches.IsClean(token);
        if (admit)
        {
            foreach (WatchRegistry.WatchedKey key in watches.KeysOf(token))
            {
                if (!key.ExpiredAtWatch && ExpiredNow(ctx, key.MetaKey))
                {
                    admit = false;
                    break;
                }
            }
        }

        watches.Drop(token);
        return admit;
    }

    /// <summary>A queued read: run by the server's read code against the batch view, or a reply fixed at queue time.</summary>
    public static void Read(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        if (cmd.Flags == FixedReply)
        {
            reply.ReplyBuffer.Write(cmd.NextArg());
            return;
        }

        if (ctx.TransactionReads is not { } reads)
        {
            reply.ReplyErrorText("ERR reads inside MULTI need the RESP server");
            return;
        }

        CommandArgs args = ctx.ReadArgs;
        args.Load(ref cmd);
        reads.Run(args, cmd.Db, ctx.BatchView.Snapshot, ctx.Now, reply.Writer);
    }

    private static bool ExpiredNow(ApplyContext ctx, byte[] metaKey)
    {
        int db = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(metaKey);
        return ctx.ReadRaw(db, metaKey.AsSpan(KeyCodec.MetaPrefix)) != KeyType.None && MetaValue.IsExpired(ctx.CurrentExpireAt, ctx.Now);
    }
}
