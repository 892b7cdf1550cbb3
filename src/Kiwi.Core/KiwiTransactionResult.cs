using System.Text;
using Kiwi.Core.Resp;

namespace Kiwi.Core;

/// <summary>The results of a <see cref="KiwiTransaction"/>, one per operation, in order.</summary>
public sealed class KiwiTransactionResult
{
    private readonly Item[] _items;

    private KiwiTransactionResult(Item[] items) => _items = items;

    /// <summary>Number of results.</summary>
    public int Count => _items.Length;

    /// <summary>True when operation <paramref name="index"/> failed (its error is <see cref="Error"/>).</summary>
    public bool IsError(int index) => _items[index].Error is not null;

    /// <summary>Operation <paramref name="index"/>'s error line (e.g. "WRONGTYPE ..."), or null.</summary>
    public string? Error(int index) => _items[index].Error;

    /// <summary>Operation <paramref name="index"/>'s integer result (OK counts as 1, null as 0).</summary>
    /// <exception cref="KiwiException">The operation failed.</exception>
    public long Integer(int index)
    {
        Item item = _items[index];
        return item.Error is null ? item.Integer : throw new KiwiException(item.Error);
    }

    /// <summary>True when operation <paramref name="index"/> answered null (a SET whose condition failed).</summary>
    public bool IsNull(int index) => _items[index].IsNull;

    internal static KiwiTransactionResult? Parse(ReadOnlySpan<byte> reply)
    {
        int position = 0;
        if (!RespValue.TryRead(reply, ref position, out RespValue head))
        {
            throw new KiwiException("ERR malformed transaction reply");
        }

        if (head.Type == RespType.Error)
        {
            throw KiwiException.FromErrorLine(head.Text);
        }

        if (head.Type == RespType.Null || (head.Type == RespType.Array && head.Integer < 0))
        {
            return null;
        }

        var items = new Item[head.Integer];
        for (int i = 0; i < items.Length; i++)
        {
            int start = position;
            if (!RespValue.TryRead(reply, ref position, out RespValue value))
            {
                throw new KiwiException("ERR malformed transaction reply");
            }

            items[i] = value.Type switch
            {
                RespType.Error => new Item(Encoding.UTF8.GetString(value.Text), 0, false),
                RespType.Integer => new Item(null, value.Integer, false),
                RespType.Null => new Item(null, 0, true),
                _ => new Item(null, 1, false),
            };

            if (value.Count > 0 && value.Type is not (RespType.Integer or RespType.Error))
            {
                position = start;
                RespValue.TrySkip(reply, ref position);
            }
        }

        return new KiwiTransactionResult(items);
    }

    private readonly record struct Item(string? Error, long Integer, bool IsNull);
}
