using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands.Lists;

/// <summary>RESP's arguments <c>first</c> to <c>first + count - 1</c> (the keys of LMPOP, BLPOP, BLMPOP).</summary>
internal readonly struct RespArgRange : IEntryArgs
{
    private readonly CommandArgs _args;
    private readonly int _first;

    /// <summary>The <paramref name="count"/> arguments of <paramref name="args"/> from index <paramref name="first"/> on.</summary>
    public RespArgRange(CommandArgs args, int first, int count)
    {
        _args = args;
        _first = first;
        Count = count;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public ReadOnlySpan<byte> this[int index] => _args[_first + index];
}
