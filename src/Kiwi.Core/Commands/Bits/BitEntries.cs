using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands.Bits;

/// <summary>
/// Builds the log entries of the bit write commands (not submitted: the caller submits them, or a transaction
/// queues them): one encoding for the RESP handlers and <see cref="KiwiBits"/>, after their arguments were validated.
/// </summary>
internal static class BitEntries
{
    /// <summary>SETBIT key offset bit (offset valid, bit 0 or 1).</summary>
    public static EncodedEntry SetBit(EntryTarget target, ReadOnlySpan<byte> key, long offset, int bit)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.SetBit, 0, target.Database, 1, offset, bit);
        CommandFormat.AddArg(request.Payload, key);
        return EncodedEntry.Ready(request);
    }

    /// <summary>Starts BITOP: follow with the destination and every source through <see cref="CommandFormat.AddArg"/>, then submit.</summary>
    public static ApplyRequest BeginBitOp(EntryTarget target, BitOperation op, int sources)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.BitOp, (byte)op, target.Database, sources + 1);
        return request;
    }

    /// <summary>BITFIELD key ops (validated).</summary>
    public static EncodedEntry BitField(EntryTarget target, ReadOnlySpan<byte> key, ReadOnlySpan<BitFieldOp> ops)
    {
        ApplyRequest request = target.Begin(target.NowMs());
        CommandFormat.AddCommand(request.Payload, OpCode.BitField, 0, target.Database, 2, ops.Length);
        CommandFormat.AddArg(request.Payload, key);
        int size = ops.Length * BitFieldOp.EncodedSize;
        Span<byte> length = request.Payload.GetSpan(4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)size);
        request.Payload.Advance(4);
        Span<byte> encoded = request.Payload.GetSpan(Math.Max(size, 1));
        for (int i = 0; i < ops.Length; i++)
        {
            ops[i].Write(encoded.Slice(i * BitFieldOp.EncodedSize));
        }

        request.Payload.Advance(size);
        return EncodedEntry.Ready(request);
    }
}
