using System.Buffers.Binary;
using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Resp;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Transactions;

/// <summary>
/// Collects the commands of a transaction as they are queued — each one encoded by its own encoder, as it would be
/// outside a transaction — and builds the ONE entry EXEC submits: an <see cref="OpCode.Exec"/> header followed by
/// the queued commands, which the writer applies in one batch and answers as one array.
/// </summary>
internal sealed class TransactionBuilder : IDisposable
{
    /// <summary>The most commands one entry holds (its count is 16 bits; one is the EXEC header).</summary>
    public const int MaxCommands = ushort.MaxValue - 1;

    private readonly ByteBuffer _commands = new();

    /// <summary>Commands queued.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every queued command.</summary>
    public void Clear()
    {
        _commands.Clear();
        Count = 0;
    }

    /// <summary>
    /// Queues the command of an encoder's entry (not submitted; the caller returns it to the pool). False when the
    /// entry holds more than one command or the transaction is full.
    /// </summary>
    public bool TryAddEntry(ApplyRequest request)
    {
        ReadOnlySpan<byte> entry = request.Payload.WrittenSpan;
        if (Count >= MaxCommands || entry.Length < CommandFormat.EntryHeaderSize || BinaryPrimitives.ReadUInt16LittleEndian(entry[1..]) != 1)
        {
            return false;
        }

        _commands.Write(entry[CommandFormat.EntryHeaderSize..]);
        Count++;
        return true;
    }

    /// <summary>Queues a read, run by the writer against the batch view: its arguments, the command name first.</summary>
    public bool TryAddRead(CommandArgs args, int db)
    {
        if (Count >= MaxCommands)
        {
            return false;
        }

        int argc = args.Count;
        Span<byte> header = _commands.GetSpan(CommandFormat.CommandHeaderSize);
        header[..CommandFormat.CommandHeaderSize].Clear();
        header[0] = (byte)OpCode.TxRead;
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)db);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)argc);
        _commands.Advance(CommandFormat.CommandHeaderSize);
        for (int i = 0; i < argc; i++)
        {
            AddArg(args[i]);
        }

        Count++;
        return true;
    }

    /// <summary>Queues a reply fixed at queue time (an error the command's checks gave), answered in its place.</summary>
    public bool TryAddReply(ReadOnlySpan<byte> reply, int db)
    {
        if (Count >= MaxCommands)
        {
            return false;
        }

        Span<byte> header = _commands.GetSpan(CommandFormat.CommandHeaderSize);
        header[..CommandFormat.CommandHeaderSize].Clear();
        header[0] = (byte)OpCode.TxRead;
        header[1] = TransactionWrites.FixedReply;
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)db);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 1);
        _commands.Advance(CommandFormat.CommandHeaderSize);
        AddArg(reply);
        Count++;
        return true;
    }

    /// <summary>
    /// The EXEC entry (not submitted): the queued commands under <paramref name="watchToken"/> (0: nothing watched).
    /// The builder is left empty.
    /// </summary>
    public ApplyRequest Build(EntryTarget target, long watchToken)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.Exec, 0, target.Database, 0, Count, watchToken);
        request.Payload.Write(_commands.WrittenSpan);
        Span<byte> entry = request.Payload.WrittenSpanMutable;
        BinaryPrimitives.WriteUInt16LittleEndian(entry[1..], (ushort)(Count + 1));
        Clear();
        return request;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _commands.Dispose();

    private void AddArg(ReadOnlySpan<byte> arg)
    {
        Span<byte> span = _commands.GetSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)arg.Length);
        _commands.Advance(4);
        _commands.Write(arg);
    }
}
