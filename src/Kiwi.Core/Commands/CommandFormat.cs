using System.Buffers.Binary;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands;

/// <summary>
/// The binary entry format the writer applies and the Raft log stores. Persisted (format 1): append only,
/// covered by fixed-byte tests.
/// <code>
/// entry   := format:u8 (=1) | count:u16 LE | nowMs:i64 LE | command{count}
/// command := op:u8 | flags:u8 | db:u16 LE | argc:u32 LE | n1:i64 LE | n2:i64 LE | (len:u32 LE | bytes){argc}
/// </code>
/// Everything an entry needs to apply identically on every replica is in it: the clock reading taken at
/// proposal (<c>nowMs</c>) and absolute expiry times. An entry holds one or more commands (transactions).
/// </summary>
internal static class CommandFormat
{
    /// <summary>The format version written by this code.</summary>
    public const byte Version = 1;

    /// <summary>Bytes of the entry header.</summary>
    public const int EntryHeaderSize = 11;

    /// <summary>Bytes of a command header.</summary>
    public const int CommandHeaderSize = 24;

    /// <summary>Starts an entry in <paramref name="buffer"/> (clearing it).</summary>
    public static void BeginEntry(ByteBuffer buffer, long nowMs)
    {
        buffer.Clear();
        Span<byte> span = buffer.GetSpan(EntryHeaderSize);
        span[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(span[1..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[3..], nowMs);
        buffer.Advance(EntryHeaderSize);
    }

    /// <summary>Appends a command header; follow it with exactly <paramref name="argc"/> calls to <see cref="AddArg"/>.</summary>
    public static void AddCommand(ByteBuffer buffer, OpCode op, byte flags, int db, int argc, long n1 = 0, long n2 = 0)
    {
        Span<byte> header = buffer.WrittenSpanMutable;
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(header[1..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[1..], checked((ushort)(count + 1)));

        Span<byte> span = buffer.GetSpan(CommandHeaderSize);
        span[0] = (byte)op;
        span[1] = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)db);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)argc);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], n1);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], n2);
        buffer.Advance(CommandHeaderSize);
    }

    /// <summary>Appends one argument of the current command.</summary>
    public static void AddArg(ByteBuffer buffer, ReadOnlySpan<byte> arg)
    {
        Span<byte> span = buffer.GetSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)arg.Length);
        buffer.Advance(4);
        buffer.Write(arg);
    }

    /// <summary>Appends every argument of <paramref name="args"/> to the current command, in order.</summary>
    public static void AddArgs<TArgs>(ByteBuffer buffer, TArgs args)
        where TArgs : IEntryArgs, allows ref struct
    {
        for (int i = 0; i < args.Count; i++)
        {
            AddArg(buffer, args[i]);
        }
    }
}

/// <summary>Reads the commands of an entry in order without copying.</summary>
internal ref struct EntryReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _remaining;

    /// <summary>Starts reading <paramref name="entry"/>; <see cref="IsValid"/> tells whether its header is sound.</summary>
    public EntryReader(ReadOnlySpan<byte> entry)
    {
        _data = entry;
        if (entry.Length < CommandFormat.EntryHeaderSize || entry[0] != CommandFormat.Version)
        {
            IsValid = false;
            return;
        }

        IsValid = true;
        _remaining = BinaryPrimitives.ReadUInt16LittleEndian(entry[1..]);
        NowMs = BinaryPrimitives.ReadInt64LittleEndian(entry[3..]);
        Count = _remaining;
        _position = CommandFormat.EntryHeaderSize;
    }

    /// <summary>False when the header is malformed or a command ran past the end.</summary>
    public bool IsValid { get; private set; }

    /// <summary>The proposal-time clock reading (unix ms) every command of the entry uses as "now".</summary>
    public long NowMs { get; }

    /// <summary>Number of commands.</summary>
    public int Count { get; }

    /// <summary>Reads the next command; false at the end or when the entry is malformed.</summary>
    public bool TryRead(out CommandView command)
    {
        command = default;
        if (!IsValid || _remaining == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = _data[_position..];
        if (rest.Length < CommandFormat.CommandHeaderSize)
        {
            IsValid = false;
            return false;
        }

        uint argc = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
        int end = CommandFormat.CommandHeaderSize;
        for (uint i = 0; i < argc; i++)
        {
            if (rest.Length - end < 4)
            {
                IsValid = false;
                return false;
            }

            uint len = BinaryPrimitives.ReadUInt32LittleEndian(rest[end..]);
            if (len > (uint)(rest.Length - end - 4))
            {
                IsValid = false;
                return false;
            }

            end += 4 + (int)len;
        }

        command = new CommandView(rest[..end]);
        _position += end;
        _remaining--;
        return true;
    }
}

/// <summary>One command of an entry: its header fields and an argument cursor.</summary>
internal ref struct CommandView
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    internal CommandView(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = CommandFormat.CommandHeaderSize;
        Op = (OpCode)data[0];
        Flags = data[1];
        Db = BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
        ArgCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        N1 = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        N2 = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
    }

    /// <summary>The command.</summary>
    public OpCode Op { get; }

    /// <summary>Command-specific flags.</summary>
    public byte Flags { get; }

    /// <summary>
    /// The database the command runs in: encoded as the logical one, the physical one (see
    /// <see cref="Storage.DatabaseMap"/>) once the executor translated it.
    /// </summary>
    public int Db { get; internal set; }

    /// <summary>Number of arguments.</summary>
    public int ArgCount { get; }

    /// <summary>First integer operand.</summary>
    public long N1 { get; }

    /// <summary>Second integer operand.</summary>
    public long N2 { get; }

    /// <summary>The next argument (the entry was validated when read, so this cannot run past the end).</summary>
    public ReadOnlySpan<byte> NextArg()
    {
        int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
        ReadOnlySpan<byte> arg = _data.Slice(_position + 4, len);
        _position += 4 + len;
        return arg;
    }
}
