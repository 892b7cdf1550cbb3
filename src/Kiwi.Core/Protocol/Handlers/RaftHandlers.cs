using System.Text;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Protocol.Handlers;

/// <summary>Cluster mode commands: RAFT.INFO.</summary>
internal static class RaftHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        t.Add(new("raft.info", 1, CommandFlags.None, 0, 0, 0, Info));

        // Internal: a follower forwarding a client's write (an encoded entry) to the leader.
        t.Add(new("kiwi.apply", 2, CommandFlags.Write, 0, 0, 0, ApplyForwarded));
    }

    private static void ApplyForwarded(ref CommandContext ctx)
    {
        if (ctx.Db.Raft is null)
        {
            ctx.Error("ERR This instance has cluster support disabled"u8);
            return;
        }

        Apply.ApplyRequest request = ctx.Db.BeginForwarded(ctx[1]);
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    private static void Info(ref CommandContext ctx)
    {
        KiwiRaftNode? node = ctx.Db.Raft;
        if (node is null)
        {
            // Redis's reply to CLUSTER commands when cluster mode is off.
            ctx.Error("ERR This instance has cluster support disabled"u8);
            return;
        }

        ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes(RaftInfo.Build(ctx.Db, node)));
    }
}
