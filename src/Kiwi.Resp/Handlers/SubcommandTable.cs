using Kiwi.Core.Commands;

namespace Kiwi.Resp.Handlers;

/// <summary>One subcommand of a container command: its name, its arity (see <see cref="Subcommands.Arity"/>) and its handler.</summary>
internal sealed class Subcommand(string name, int arity, CommandHandler handler)
{
    /// <summary>Upper-case ASCII name, matched against the call's second argument.</summary>
    public byte[] UpperName { get; } = System.Text.Encoding.ASCII.GetBytes(name.ToUpperInvariant());

    /// <summary>Lower-case name, as Redis prints it in errors (<c>'config|get'</c>).</summary>
    public string Name { get; } = name.ToLowerInvariant();

    /// <summary>Redis arity, the command and the subcommand counted.</summary>
    public int Arity { get; } = arity;

    /// <summary>Runs the subcommand once its arity holds.</summary>
    public CommandHandler Handler { get; } = handler;
}

/// <summary>
/// The dispatch of a container command (CONFIG, MEMORY, SLOWLOG): the subcommand named by the second argument runs
/// when its arity holds, HELP lists the help lines, any other name gets Redis's unknown-subcommand error.
/// </summary>
internal sealed class SubcommandTable
{
    private readonly string _name;
    private readonly string _upperName;
    private readonly string[] _help;
    private readonly Subcommand[] _subcommands;

    /// <summary>Creates the table of command <paramref name="name"/>; <paramref name="help"/> are HELP's lines before its own.</summary>
    public SubcommandTable(string name, string[] help, Subcommand[] subcommands)
    {
        _name = name.ToLowerInvariant();
        _upperName = name.ToUpperInvariant();
        _help = help;
        _subcommands = subcommands;
    }

    /// <summary>Runs the subcommand the call names, or replies the error Redis would.</summary>
    public void Dispatch(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> sub = ctx[1];
        foreach (Subcommand subcommand in _subcommands)
        {
            if (ArgParser.Is(sub, subcommand.UpperName))
            {
                if (Subcommands.Arity(ref ctx, subcommand.Arity, _name, subcommand.Name))
                {
                    subcommand.Handler(ref ctx);
                }

                return;
            }
        }

        if (!ArgParser.Is(sub, "HELP"u8))
        {
            Subcommands.Unknown(ref ctx, _upperName);
        }
        else if (Subcommands.Arity(ref ctx, 2, _name, "help"))
        {
            Subcommands.Help(ref ctx, _upperName, _help);
        }
    }
}
