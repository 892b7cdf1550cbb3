using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <summary>Runs one command against its context; replies go to <see cref="CommandContext.Writer"/> or the writer pipeline.</summary>
internal delegate void CommandHandler(ref CommandContext context);

/// <summary>
/// A command's definition: its name, Redis arity (positive = exact, negative = at least), flags and key
/// positions (for COMMAND INFO and, later, cluster routing), next to its handler.
/// </summary>
internal sealed class CommandSpec
{
    /// <summary>Creates a definition.</summary>
    public CommandSpec(string name, int arity, CommandFlags flags, int firstKey, int lastKey, int step, CommandHandler handler)
    {
        Name = name;
        Arity = arity;
        Flags = flags;
        FirstKey = firstKey;
        LastKey = lastKey;
        Step = step;
        Handler = handler;
        UpperName = System.Text.Encoding.ASCII.GetBytes(name.ToUpperInvariant());
    }

    /// <summary>Lower-case name, as Redis prints it in errors.</summary>
    public string Name { get; }

    /// <summary>Upper-case ASCII name for lookup.</summary>
    internal byte[] UpperName { get; }

    /// <summary>Position in <see cref="CommandTable.All"/>: where its counters are in <see cref="CommandStats"/>.</summary>
    internal int Index { get; set; }

    /// <summary>Redis arity, counting the command name.</summary>
    public int Arity { get; }

    /// <summary>Flags.</summary>
    public CommandFlags Flags { get; }

    /// <summary>Index of the first key argument (0 = none).</summary>
    public int FirstKey { get; }

    /// <summary>Index of the last key argument (-1 = the last argument).</summary>
    public int LastKey { get; }

    /// <summary>Step between keys.</summary>
    public int Step { get; }

    /// <summary>The handler.</summary>
    public CommandHandler Handler { get; }

    /// <summary>True when <paramref name="count"/> arguments (with the name) satisfy the arity.</summary>
    public bool AcceptsArgCount(int count) => Arity >= 0 ? count == Arity : count >= -Arity;

    /// <summary>True for commands that change data.</summary>
    public bool IsWrite => (Flags & CommandFlags.Write) != 0;

    /// <summary>
    /// True when this call, with <paramref name="count"/> arguments (with the name), only reads: a read-only
    /// command, or a <see cref="CommandFlags.ReadWhenBare"/> one given its key only.
    /// </summary>
    public bool ReadsOnly(int count) => (Flags & CommandFlags.ReadOnly) != 0 || ((Flags & CommandFlags.ReadWhenBare) != 0 && count == 2);

    /// <summary>
    /// For a write command that some calls of only read (BITFIELD with GETs only): true for such a call. The session
    /// then treats it as a read (after the client's earlier writes, behind the read barrier) and the handler must
    /// answer it at once, deciding exactly as this does.
    /// </summary>
    public Func<CommandArgs, bool>? ReadsOnlyWhen { get; init; }

    /// <summary>True when this call only reads: <see cref="ReadsOnly(int)"/>, or <see cref="ReadsOnlyWhen"/> says so.</summary>
    public bool ReadsOnly(CommandArgs args) => ReadsOnly(args.Count) || (ReadsOnlyWhen is { } when && when(args));
}
