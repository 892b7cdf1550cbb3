namespace Kiwi.Resp.Handlers;

/// <summary>
/// Redis 7's checks and texts for container commands (CLIENT, CONFIG, COMMAND, OBJECT, MEMORY, SLOWLOG): each
/// subcommand has its own arity, reported as <c>'client|getname'</c>, and an unknown one points at HELP.
/// </summary>
internal static class Subcommands
{
    /// <summary>
    /// True when the call has the subcommand's arity (Redis's convention: positive exact, negative at least, the
    /// command and subcommand counted); otherwise replies Redis's error and returns false.
    /// </summary>
    public static bool Arity(ref CommandContext ctx, int arity, string command, string subcommand)
    {
        if (arity >= 0 ? ctx.Count == arity : ctx.Count >= -arity)
        {
            return true;
        }

        ctx.Error($"ERR wrong number of arguments for '{command}|{subcommand}' command");
        return false;
    }

    /// <summary>"ERR unknown subcommand 'x'. Try CLIENT HELP."</summary>
    public static void Unknown(ref CommandContext ctx, string upperCommand)
        => ctx.Error($"ERR unknown subcommand '{CommandErrors.Latin(ctx[1])}'. Try {upperCommand} HELP.");

    /// <summary>Redis's addReplyHelp: a header, the subcommands' lines, then HELP's own lines, as simple strings.</summary>
    public static void Help(ref CommandContext ctx, string upperCommand, string[] lines)
    {
        ctx.Writer.WriteArrayHeader(lines.Length + 3);
        ctx.Writer.WriteSimpleString(System.Text.Encoding.ASCII.GetBytes($"{upperCommand} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
        foreach (string line in lines)
        {
            ctx.Writer.WriteSimpleString(System.Text.Encoding.UTF8.GetBytes(line));
        }

        ctx.Writer.WriteSimpleString("HELP"u8);
        ctx.Writer.WriteSimpleString("    Prints this help."u8);
    }
}
