using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Raft;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <summary>Cluster mode commands: RAFT.INFO.</summary>
internal static class RaftHandlers
{
    public static void Register(List<CommandSpec> t)
    {
        t.Add(new("raft.info", 1, CommandFlags.None, 0, 0, 0, Info));
        t.Add(new("raft.addnode", 2, CommandFlags.Admin, 0, 0, 0, static (ref CommandContext ctx) => ChangeMembership(ref ctx, add: true)));
        t.Add(new("raft.removenode", 2, CommandFlags.Admin, 0, 0, 0, static (ref CommandContext ctx) => ChangeMembership(ref ctx, add: false)));

        // Internal: a follower forwarding a client's write (an encoded entry) to the leader.
        t.Add(new("kiwi.apply", -2, CommandFlags.Write, 0, 0, 0, ApplyForwarded));
    }

    private static void ApplyForwarded(ref CommandContext ctx)
    {
        if (ctx.Db.Raft is null)
        {
            ctx.Error("ERR This instance has cluster support disabled"u8);
            return;
        }

        // KIWI.APPLY entry [2|3 [id]]: the reply is written in the protocol of the client the follower serves; the
        // id (origin:u64 | seq:u64, little endian) is the one the follower gave the write, the same on every attempt.
        RespVersion protocol = ctx.Count > 2 && ctx[2].SequenceEqual("2"u8) ? RespVersion.Resp2 : RespVersion.Resp3;
        ApplyRequest request = ctx.Db.BeginForwarded(ctx[1], protocol);
        if (ctx.Count > 3 && ctx[3].Length == 16)
        {
            request.WriteOrigin = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(ctx[3]);
            request.WriteSeq = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(ctx[3][8..]);
        }
        ctx.Submit(ctx.Db.SubmitRaw(request));
    }

    // RAFT.ADDNODE / RAFT.REMOVENODE ip:raftport: the change runs asynchronously on the leader; its reply takes
    // its place among the session's replies like a write's.
    private static void ChangeMembership(ref CommandContext ctx, bool add)
    {
        KiwiRaftNode? node = ctx.Db.Raft;
        if (node is null)
        {
            ctx.Error("ERR This instance has cluster support disabled"u8);
            return;
        }

        if (!System.Net.IPEndPoint.TryParse(Encoding.UTF8.GetString(ctx[1]), out System.Net.IPEndPoint? member) || member.Port == 0)
        {
            ctx.Error("ERR the node must be given as ip:raftport"u8);
            return;
        }

        ApplyRequest request = ApplyRequestPool.Rent();
        request.Protocol = ctx.Session.Protocol;
        _ = CompleteAsync(request, add ? node.AddMemberAsync(member) : node.RemoveMemberAsync(member));
        ctx.Submit(request);
    }

    private static async Task CompleteAsync(ApplyRequest request, Task<string?> change)
    {
        string? error;
        try
        {
            error = await change.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = "ERR " + ex.Message;
        }

        if (error is null)
        {
            request.ReplyOk();
        }
        else
        {
            request.ReplyErrorText(error);
        }

        request.Complete();
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
