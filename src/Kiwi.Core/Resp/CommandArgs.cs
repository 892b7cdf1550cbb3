using System.Runtime.CompilerServices;
using System.Text;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Resp;

/// <summary>
/// The arguments of one parsed command as (offset, length) slices into one contiguous block: the receive
/// buffer itself when the command lies in one segment, else a pooled scratch copy. One instance per
/// connection, reused for every command; it also carries the parser's progress through a command that has
/// not fully arrived. The slices are valid until the next <c>RespReader.TryParseCommand</c> (Kiwi.Resp) call or
/// until the caller releases the receive buffer (for a pipe: <c>AdvanceTo</c>). Not thread-safe.
/// </summary>
internal sealed class CommandArgs : IDisposable
{
    private const int InitialCapacity = 16;

    private readonly ByteBuffer _scratch;
    private ArgRange[] _ranges = new ArgRange[InitialCapacity];
    private ReadOnlyMemory<byte> _memory;
    private int _count;

    /// <summary>Creates an empty container whose scratch copies rent from <paramref name="pool"/> (the shared pool when null).</summary>
    public CommandArgs(NativeBufferPool? pool = null) => _scratch = new ByteBuffer(pool);

    /// <summary>What kind of command is being parsed.</summary>
    internal enum ParseMode : byte
    {
        None,
        Multibulk,
        Inline,
    }

    /// <summary>Number of arguments of the last complete command (the name included); 0 otherwise.</summary>
    public int Count => _count;

    /// <summary>Why the last parse failed, when it returned <c>RespParseStatus.Error</c>.</summary>
    public RespProtocolError Error { get; private set; }

    /// <summary>The byte found instead of '$' for <see cref="RespProtocolError.ExpectedDollar"/>.</summary>
    public byte UnexpectedByte { get; private set; }

    /// <summary>The command's size on the wire (bytes consumed for it), once complete.</summary>
    public int WireLength => _count > 0 ? Next : 0;

    /// <summary>Parser state: the kind of command in progress.</summary>
    internal ParseMode Mode { get; private set; }

    /// <summary>Parser state: the announced argument count (0 before the '*' line was read).</summary>
    internal int Expected { get; set; }

    /// <summary>Parser state: arguments read so far.</summary>
    internal int Parsed { get; private set; }

    /// <summary>Parser state: offset, from the command's first byte, of the first byte not yet parsed.</summary>
    internal int Next { get; set; }

    /// <summary>Parser state: the command is being copied into (or was read from) the scratch buffer.</summary>
    internal bool InScratch { get; private set; }

    /// <summary>The scratch buffer (bytes of the command from its first byte).</summary>
    internal ByteBuffer Scratch => _scratch;

    /// <summary>Argument <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_count)
            {
                RespThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            }

            ArgRange range = _ranges[index];
            ReadOnlySpan<byte> data = InScratch ? _scratch.WrittenSpan : _memory.Span;
            return data.Slice(range.Offset, range.Length);
        }
    }

    /// <summary>
    /// True when argument <paramref name="index"/> equals <paramref name="name"/> ignoring ASCII case
    /// (command names, options such as "EX"); false when there is no such argument.
    /// </summary>
    public bool Is(int index, ReadOnlySpan<byte> name)
        => (uint)index < (uint)_count && Ascii.EqualsIgnoreCase(this[index], name);

    /// <summary>Forgets the last command and any partial one (for example when a connection is reused).</summary>
    public void Reset()
    {
        Begin(ParseMode.None);
        Error = RespProtocolError.None;
        UnexpectedByte = 0;
        _scratch.Clear();
    }

    /// <summary>Returns the scratch buffer to its pool.</summary>
    public void Dispose()
    {
        _count = 0;
        Mode = ParseMode.None;
        _memory = default;
        _scratch.Dispose();
    }

    /// <summary>Starts a new command, dropping the previous one.</summary>
    internal void Begin(ParseMode mode)
    {
        Mode = mode;
        _count = 0;
        _memory = default;
        Expected = 0;
        Parsed = 0;
        Next = 0;
        InScratch = false;
    }

    /// <summary>Switches the command in progress to the scratch buffer, empty.</summary>
    internal void UseScratch()
    {
        _scratch.Clear();
        InScratch = true;
    }

    /// <summary>Records the next argument (offsets from the command's first byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int offset, int length)
    {
        int parsed = Parsed;
        if (parsed == _ranges.Length)
        {
            Grow();
        }

        _ranges[parsed] = new ArgRange(offset, length);
        Parsed = parsed + 1;
    }

    /// <summary>Marks the command complete; <paramref name="memory"/> holds it unless it is in the scratch buffer.</summary>
    internal void Complete(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _count = Parsed;
        Mode = ParseMode.None;
    }

    /// <summary>Marks the command as empty (skipped); <see cref="Next"/> still says how much to consume.</summary>
    internal void Skip()
    {
        _count = 0;
        Mode = ParseMode.None;
    }

    /// <summary>Replaces the command with the arguments of an entry's command (a read queued in a transaction).</summary>
    internal void Load(ref Commands.CommandView command)
    {
        Begin(ParseMode.None);
        UseScratch();
        for (int i = 0; i < command.ArgCount; i++)
        {
            ReadOnlySpan<byte> arg = command.NextArg();
            int offset = _scratch.Length;
            _scratch.Write(arg);
            Add(offset, arg.Length);
        }

        Complete(default);
    }

    /// <summary>Records a protocol error and drops the command in progress.</summary>
    internal void Fail(RespProtocolError error, byte unexpected = 0)
    {
        Error = error;
        UnexpectedByte = unexpected;
        Begin(ParseMode.None);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        // Only a command with more arguments than any before it gets here: reuse keeps this off the hot path.
        Array.Resize(ref _ranges, _ranges.Length * 2);
    }

    private readonly record struct ArgRange(int Offset, int Length);
}
