using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands;

/// <summary>
/// A run of arguments an encoder copies into an entry, whatever holds them: RESP's parsed arguments or the
/// typed arguments of a <see cref="KiwiDb"/> call. Encoders take it as a generic parameter, so each caller's
/// list is a struct the JIT specializes for: no boxing, no interface calls.
/// </summary>
internal interface IEntryArgs
{
    /// <summary>Number of arguments.</summary>
    int Count { get; }

    /// <summary>Argument <paramref name="index"/>.</summary>
    ReadOnlySpan<byte> this[int index] { get; }
}

/// <summary>RESP's arguments from <c>first</c> on.</summary>
internal readonly struct RespArgs : IEntryArgs
{
    private readonly CommandArgs _args;
    private readonly int _first;

    /// <summary>The arguments of <paramref name="args"/> from index <paramref name="first"/> on.</summary>
    public RespArgs(CommandArgs args, int first)
    {
        _args = args;
        _first = first;
    }

    /// <inheritdoc />
    public int Count => _args.Count - _first;

    /// <inheritdoc />
    public ReadOnlySpan<byte> this[int index] => _args[_first + index];
}

/// <summary>Arguments given as memory blocks (keys, members).</summary>
internal readonly ref struct MemoryArgs : IEntryArgs
{
    private readonly ReadOnlySpan<ReadOnlyMemory<byte>> _items;

    /// <summary>Wraps <paramref name="items"/>.</summary>
    public MemoryArgs(ReadOnlySpan<ReadOnlyMemory<byte>> items) => _items = items;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public ReadOnlySpan<byte> this[int index] => _items[index].Span;
}

/// <summary>Pairs given as key/value memory blocks, flattened: key, value, key, value...</summary>
internal readonly ref struct PairArgs : IEntryArgs
{
    private readonly ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> _pairs;

    /// <summary>Wraps <paramref name="pairs"/>.</summary>
    public PairArgs(ReadOnlySpan<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>> pairs) => _pairs = pairs;

    /// <inheritdoc />
    public int Count => _pairs.Length * 2;

    /// <inheritdoc />
    public ReadOnlySpan<byte> this[int index]
        => (index & 1) == 0 ? _pairs[index >> 1].Key.Span : _pairs[index >> 1].Value.Span;
}

/// <summary>One or two arguments given as spans (a single member; a field and its value).</summary>
internal readonly ref struct SpanArgs : IEntryArgs
{
    private readonly ReadOnlySpan<byte> _first;
    private readonly ReadOnlySpan<byte> _second;

    /// <summary>One argument.</summary>
    public SpanArgs(ReadOnlySpan<byte> only)
    {
        _first = only;
        Count = 1;
    }

    /// <summary>Two arguments.</summary>
    public SpanArgs(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        _first = first;
        _second = second;
        Count = 2;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public ReadOnlySpan<byte> this[int index] => index == 0 ? _first : _second;
}
