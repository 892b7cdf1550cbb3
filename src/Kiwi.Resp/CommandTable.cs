using Kiwi.Resp.Handlers;

namespace Kiwi.Resp;

/// <summary>
/// Every command the server knows, found by name without allocating: the name is upper-cased into a
/// stack buffer and looked up in an open-addressing table keyed by its bytes.
/// </summary>
internal static class CommandTable
{
    private const int MaxNameLength = 32;
    private static readonly CommandSpec[] s_specs = Build();
    private static readonly CommandSpec?[] s_slots = Index(s_specs);

    /// <summary>All commands.</summary>
    public static IReadOnlyList<CommandSpec> All => s_specs;

    /// <summary>Finds a command by name (any case); null when unknown.</summary>
    public static CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength)
        {
            return null;
        }

        Span<byte> upper = stackalloc byte[MaxNameLength];
        for (int i = 0; i < name.Length; i++)
        {
            byte c = name[i];
            upper[i] = c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c;
        }

        ReadOnlySpan<byte> key = upper[..name.Length];
        int mask = s_slots.Length - 1;
        for (int slot = Hash(key) & mask; ; slot = (slot + 1) & mask)
        {
            CommandSpec? spec = s_slots[slot];
            if (spec is null)
            {
                return null;
            }

            if (key.SequenceEqual(spec.UpperName))
            {
                return spec;
            }
        }
    }

    private static int Hash(ReadOnlySpan<byte> upper)
    {
        uint h = 2166136261;
        foreach (byte b in upper)
        {
            h = (h ^ b) * 16777619;
        }

        return (int)(h & 0x7FFFFFFF);
    }

    private static CommandSpec?[] Index(CommandSpec[] specs)
    {
        int size = 1;
        while (size < specs.Length * 4)
        {
            size <<= 1;
        }

        var slots = new CommandSpec?[size];
        foreach (CommandSpec spec in specs)
        {
            int slot = Hash(spec.UpperName) & (size - 1);
            while (slots[slot] is not null)
            {
                slot = (slot + 1) & (size - 1);
            }

            slots[slot] = spec;
        }

        return slots;
    }

    private static CommandSpec[] Build()
    {
        var list = new List<CommandSpec>();
        StringHandlers.Register(list);
        HashHandlers.Register(list);
        SetHandlers.Register(list);
        ZSetHandlers.Register(list);
        KeyHandlers.Register(list);
        ConnectionHandlers.Register(list);
        ServerHandlers.Register(list);
        RaftHandlers.Register(list);
        BitHandlers.Register(list);
        ListHandlers.Register(list);
        SortHandlers.Register(list);
        TransactionHandlers.Register(list);
        PubSubHandlers.Register(list);
        DatabaseHandlers.Register(list);
        for (int i = 0; i < list.Count; i++)
        {
            list[i].Index = i;
        }

        return [.. list];
    }
}
