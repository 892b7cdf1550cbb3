using System.Text;

namespace Kiwi.Bench;

/// <summary>
/// A command of <c>kiwi-bench server</c> as a fixed RESP template whose random parts are digit runs overwritten in
/// place, so writing one allocates nothing. The keys follow redis-benchmark's tests of the same name (with
/// <c>-r</c>), so a cross-check with it drives the same shape: SET/GET over <c>key:N</c>, HSET fields of one hash,
/// LPUSH to one list, ZADD members of one sorted set.
/// </summary>
internal sealed class LoadCommand
{
    /// <summary>Width of a random decimal (redis-benchmark's <c>__rand_int__</c> is 12 digits too).</summary>
    private const int Digits = 12;

    private readonly byte[] _template;
    private readonly int[] _slots;

    private LoadCommand(string name, byte[] template, int[] slots)
    {
        Name = name;
        _template = template;
        _slots = slots;
    }

    public string Name { get; }

    public int Length => _template.Length;

    /// <summary>The command named <paramref name="name"/> (SET, GET, HSET, LPUSH, ZADD) with values of <paramref name="valueSize"/> bytes.</summary>
    public static LoadCommand Create(string name, int valueSize)
    {
        string value = new('x', valueSize);
        string rand = new('#', Digits);
        return name.ToUpperInvariant() switch
        {
            "SET" => Build("SET", "SET", "key:" + rand, value),
            "GET" => Build("GET", "GET", "key:" + rand),
            "HSET" => Build("HSET", "HSET", "myhash", "element:" + rand, value),
            "LPUSH" => Build("LPUSH", "LPUSH", "mylist", value),
            "ZADD" => Build("ZADD", "ZADD", "myzset", rand, "element:" + rand),
            _ => throw new ArgumentException($"unknown command {name}: SET, GET, HSET, LPUSH or ZADD"),
        };
    }

    /// <summary>Writes the command into <paramref name="destination"/> with each random run drawn below <paramref name="keyspace"/>.</summary>
    public int Write(Span<byte> destination, Random random, long keyspace)
    {
        _template.CopyTo(destination);
        foreach (int slot in _slots)
        {
            long n = random.NextInt64(keyspace);
            for (int d = Digits - 1; d >= 0; d--)
            {
                destination[slot + d] = (byte)('0' + (n % 10));
                n /= 10;
            }
        }

        return _template.Length;
    }

    private static LoadCommand Build(string name, params string[] parts)
    {
        var text = new StringBuilder();
        text.Append('*').Append(parts.Length).Append("\r\n");
        foreach (string part in parts)
        {
            text.Append('$').Append(part.Length).Append("\r\n").Append(part).Append("\r\n");
        }

        byte[] template = Encoding.ASCII.GetBytes(text.ToString());
        var slots = new List<int>();
        string s = text.ToString();
        string marker = new('#', Digits);
        for (int at = s.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = s.IndexOf(marker, at + Digits, StringComparison.Ordinal))
        {
            slots.Add(at);
        }

        return new LoadCommand(name, template, [.. slots]);
    }
}
